package org.livemetrics.transforms.streaming;

import static org.junit.Assert.assertEquals;
import static org.livemetrics.transforms.metrics.TestEvents.at;
import static org.livemetrics.transforms.metrics.TestEvents.event;
import static org.livemetrics.transforms.metrics.TestEvents.instant;
import static org.livemetrics.transforms.metrics.TestEvents.ts;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.Test;
import org.livemetrics.schemas.MetricType;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.schemas.PlayerEventCoder;
import org.livemetrics.transforms.parse.ParsePlayerEvents;

/**
 * A step that starts again from the same serialized job (as Flink restarts a failed job in the same
 * JVM, from its last checkpoint) judges its events afresh: what the failed attempt's walks proved
 * about the watermark must not make the replayed events too late. The same pipeline is run twice
 * on the DirectRunner, which deserializes its DoFns from the same bytes each time: both runs must
 * count the same too-late events (the one really late) and the same rows.
 */
public class RestartedStepTest {
  private static final String ROWS = "test_rows";

  @Test
  public void aRestartedStepJudgesReplayedEventsAfresh() {
    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setTargetParallelism(1); // one instance of each step (see StreamingLiveMetricsTest)
    options.setBlockOnRun(true);
    Pipeline p = Pipeline.create(options);
    TestStream<PlayerEvent> events = TestStream.create(PlayerEventCoder.of())
        .advanceWatermarkTo(instant(0, 0))
        .addElements(ts(event(MetricType.PLAY, at(0, 10), 1, "s1")))
        // Minute 0 closes at 10:11 (its end plus the 10 minutes' lateness).
        .advanceWatermarkTo(instant(30, 0))
        .addElements(ts(event(MetricType.PLAY, at(0, 20), 2, "late")))
        .advanceWatermarkToInfinity();
    BadRecordErrorHandler<PCollection<String>> handler =
        p.registerBadRecordErrorHandler(new StreamingLiveMetricsTest.Reasons());
    PCollection<MinuteAggregate> rows = p.apply(events).apply(StreamingLiveMetrics.create(
            java.time.Duration.ofMinutes(5), Duration.standardSeconds(5), Duration.standardMinutes(10))
        .withBadRecordErrorHandler(handler));
    handler.close();
    rows.apply("CountRows", ParDo.of(new CountFn()));

    PipelineResult first = p.run();
    PipelineResult again = p.run();

    assertEquals("the first run: only the late event is too late", 1, tooLate(first));
    assertEquals("run again from the same job: the same", 1, tooLate(again));
    assertEquals(counter(first, RestartedStepTest.class.getName(), ROWS),
        counter(again, RestartedStepTest.class.getName(), ROWS));
  }

  static final class CountFn extends DoFn<MinuteAggregate, Void> {
    private final org.apache.beam.sdk.metrics.Counter counted =
        org.apache.beam.sdk.metrics.Metrics.counter(RestartedStepTest.class, ROWS);

    @ProcessElement
    public void process() {
      counted.inc();
    }
  }

  private static long tooLate(PipelineResult r) {
    return counter(r, ParsePlayerEvents.METRICS_NAMESPACE, "dead_letter_too_late");
  }

  private static long counter(PipelineResult r, String namespace, String name) {
    long sum = 0;
    for (MetricResult<Long> c : r.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(namespace, name)).build()).getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }
}
