package org.livemetrics.transforms.streaming;

import static org.livemetrics.transforms.metrics.TestEvents.at;
import static org.livemetrics.transforms.metrics.TestEvents.event;
import static org.livemetrics.transforms.metrics.TestEvents.instant;
import static org.livemetrics.transforms.metrics.TestEvents.minute;
import static org.livemetrics.transforms.metrics.TestEvents.row;
import static org.livemetrics.transforms.metrics.TestEvents.summary;
import static org.livemetrics.transforms.metrics.TestEvents.ts;

import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.MetricType;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.schemas.PlayerEventCoder;

/**
 * {@link StreamingLiveMetrics}: events after their minute's allowed lateness become {@code
 * too_late} dead letters (never silently dropped), at exactly the boundary the windows use; events
 * and summaries within it still correct their rows. Expected rows worked out by hand.
 */
public class StreamingLiveMetricsTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  /**
   * The too-late events here are each the first event of their key: they are judged by what the
   * walk of another key proved in the same instance of the step (on Flink, one subtask). The
   * DirectRunner keeps an instance per thread, so these pipelines run on one.
   */
  @org.junit.Before
  public void oneInstanceOfEachStep() {
    p.getOptions().as(org.apache.beam.runners.direct.DirectOptions.class).setTargetParallelism(1);
  }

  private static final Duration LATENESS = Duration.standardMinutes(10);

  private static StreamingLiveMetrics metrics(BadRecordErrorHandler<?> handler) {
    return StreamingLiveMetrics.create(
            java.time.Duration.ofMinutes(5), Duration.standardSeconds(5), LATENESS)
        .withBadRecordErrorHandler(handler);
  }

  /** Arrival-time stamps, as a source gives them: the transform re-stamps at event_time. */
  private static TestStream.Builder<PlayerEvent> stream() {
    return TestStream.create(PlayerEventCoder.of()).advanceWatermarkTo(instant(0, 0));
  }

  public static final class Reasons extends PTransform<PCollection<BadRecord>, PCollection<String>> {
    @Override
    public PCollection<String> expand(PCollection<BadRecord> input) {
      return input.apply(MapElements.into(TypeDescriptors.strings()).via(b -> {
        try {
          com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
          String record = json.readTree(b.getRecord().getHumanReadableJsonRecord()).get("record").asText();
          return b.getFailure().getDescription().split(":")[0] + " "
              + json.readTree(record).get("session_id").asText();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }));
    }
  }

  private static PCollection<String> videoPanes(PCollection<MinuteAggregate> rows) {
    return rows.apply("Only video", Filter.by(r -> r.dimensionSet == DimensionSet.VIDEO))
        .apply("With pane timing", ParDo.of(new DoFn<MinuteAggregate, String>() {
          @ProcessElement
          public void process(ProcessContext c) {
            c.output(c.pane().getTiming() + " " + c.element());
          }
        }));
  }

  @Test
  public void anEventPastItsMinutesLatenessIsATooLateDeadLetterAtTheExactBoundary() {
    TestStream<PlayerEvent> events = stream()
        .addElements(ts(event(MetricType.PLAY, at(0, 10), 1, "s1")))
        // Minute 0 closes when the watermark reaches 10:01 + 10 min = 10:11:00.
        .advanceWatermarkTo(instant(11, 0).minus(Duration.millis(1)))
        .addElements(ts(event(MetricType.PLAY, at(0, 20), 2, "in-time")))
        .advanceWatermarkTo(instant(11, 0))
        .addElements(
            ts(event(MetricType.PLAY, at(0, 30), 3, "too-late")),
            // Minute 1 is late but still open (it closes at 10:12): a late pane.
            ts(event(MetricType.PLAY, at(1, 30), 4, "s4")))
        .advanceWatermarkToInfinity();
    BadRecordErrorHandler<PCollection<String>> handler = p.registerBadRecordErrorHandler(new Reasons());
    PCollection<MinuteAggregate> rows = p.apply(events).apply(metrics(handler));
    handler.close();

    PAssert.that(handler.getOutput()).containsInAnyOrder("too_late too-late");
    PCollection<String> panes = videoPanes(rows);
    PAssert.that(panes).inWindow(minute(0)).containsInAnyOrder(
        "ON_TIME " + row(0, 0, 1, 0, 1, 1),
        "LATE " + row(0, 0, 2, 0, 2, 2));
    PAssert.that(panes).inWindow(minute(1)).containsInAnyOrder(
        "LATE " + row(1, 0, 1, 0, 1, 1));
    p.run();
  }

  @Test
  public void aSummaryInTimeStillMarksEarlierMinutesWhoseOwnEventsWouldBeTooLate() {
    // At watermark 10:15:30 minute 4 is closed for its own events (closed at 10:15), but a summary
    // of minute 10 (open until 10:21) also covers 10:05:30..10:10:30 and must still count there.
    TestStream<PlayerEvent> events = stream()
        .addElements(ts(event(MetricType.PLAY, at(0, 0), 9, "early")))
        .advanceWatermarkTo(instant(15, 30))
        .addElements(
            ts(summary(at(10, 30), 1, "viewer", 300_000)),
            ts(event(MetricType.PLAY, at(4, 50), 2, "too-late")))
        .advanceWatermarkToInfinity();
    BadRecordErrorHandler<PCollection<String>> handler = p.registerBadRecordErrorHandler(new Reasons());
    PCollection<MinuteAggregate> rows = p.apply(events).apply(metrics(handler));
    handler.close();

    PAssert.that(handler.getOutput()).containsInAnyOrder("too_late too-late");
    PCollection<String> panes = videoPanes(rows);
    for (int m = 5; m <= 9; m++) {
      PAssert.that(panes).inWindow(minute(m))
          .containsInAnyOrder("LATE " + row(m, 0, 0, 0, 1, 1));
    }
    PAssert.that(panes).inWindow(minute(10))
        .containsInAnyOrder("LATE " + row(10, 0, 0, 300_000, 1, 1));
    p.run();
  }
}
