package org.livemetrics.transforms.qos;

import static org.livemetrics.transforms.qos.ComputeQosMetricsTest.FP_A;
import static org.livemetrics.transforms.qos.ComputeQosMetricsTest.FP_B;
import static org.livemetrics.transforms.qos.QosEvents.at;
import static org.livemetrics.transforms.qos.QosEvents.minute;
import static org.livemetrics.transforms.qos.QosEvents.play;
import static org.livemetrics.transforms.qos.QosEvents.summary;

import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.schemas.PlayerEventCoder;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.transforms.metrics.TestEvents;
import org.livemetrics.transforms.metrics.WindowIntoMinutes;

/**
 * {@link ComputeQosMetrics} with the streaming windowing ({@link WindowIntoMinutes}, as the audience
 * metrics use it): early, on-time and late panes of the {client_platform} web row, each carrying
 * the row's full value so far. Expected rows worked out by hand.
 */
public class QosStreamingTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final Duration EARLY = Duration.standardSeconds(5);

  private static TimestampedValue<PlayerEvent> ts(PlayerEvent e) {
    return TimestampedValue.of(e, new Instant(e.eventTime));
  }

  private static PCollection<String> webPanes(PCollection<QosMinute> rows) {
    return rows
        .apply(Filter.by(r -> r.dimensionSet == QosDimensionSet.CLIENT_PLATFORM
            && r.clientPlatform.equals("web")))
        .apply(ParDo.of(new DoFn<QosMinute, String>() {
          @ProcessElement
          public void process(ProcessContext c) {
            c.output(c.pane().getTiming() + " " + c.element());
          }
        }));
  }

  private static String web(int minute, String values) {
    return "client_platform[1234/web @" + minute(minute) + "] " + values;
  }

  @Test
  public void earlyThenOnTimeThenLatePanesCarryTheWholeRow() {
    TestStream<PlayerEvent> events = TestStream.create(PlayerEventCoder.of())
        .advanceWatermarkTo(TestEvents.instant(0, 0))
        .addElements(ts(play(at(0, 10), "v1", FP_A, "a", "web", 800L)))
        .advanceProcessingTime(EARLY.plus(Duration.standardSeconds(1)))
        .addElements(ts(play(at(0, 30), "v1", FP_B, "b", "web", 1_200L)))
        .advanceWatermarkTo(TestEvents.instant(1, 0))
        // Late for 10:00 (watermark at 10:01), within the lateness: b's summary of 10:00:50,
        // 20 s played and 5 s buffered, reaching back to 10:00:25 (b already counted there).
        .addElements(ts(summary(at(0, 50), "v1", FP_B, "b", "web", 20_000, 5_000, 1, 0, 2_500L,
            "720p")))
        .advanceWatermarkToInfinity();
    PCollection<QosMinute> rows = p.apply(events).apply(ComputeQosMetrics
        .withMaxSummarySpan(java.time.Duration.ofMinutes(5))
        .withWindowing(WindowIntoMinutes.streaming(EARLY, Duration.standardMinutes(10))));
    String none = " errors=0 playing_ms=0 buffering_ms=0 rebuffers=0";
    PAssert.that(webPanes(rows)).containsInAnyOrder(
        "EARLY " + web(0, "sessions=1" + none
            + " startup=1/800 live_latency=0/0 renditions={} up=0 down=0"),
        "ON_TIME " + web(0, "sessions=2" + none
            + " startup=2/2000 live_latency=0/0 renditions={} up=0 down=0"),
        "LATE " + web(0, "sessions=2 errors=0 playing_ms=20000 buffering_ms=5000 rebuffers=1"
            + " startup=2/2000 live_latency=1/2500 renditions={720p=20000} up=0 down=0"));
    p.run();
  }

  @Test
  public void noEmptyOnTimePaneAfterAnEarlyFiring() {
    TestStream<PlayerEvent> events = TestStream.create(PlayerEventCoder.of())
        .advanceWatermarkTo(TestEvents.instant(0, 0))
        .addElements(ts(play(at(0, 10), "v1", FP_A, "a", "web", 800L)))
        .advanceProcessingTime(EARLY.plus(Duration.standardSeconds(1)))
        .advanceWatermarkToInfinity();
    PCollection<QosMinute> rows = p.apply(events).apply(ComputeQosMetrics
        .withMaxSummarySpan(java.time.Duration.ofMinutes(5))
        .withWindowing(WindowIntoMinutes.streaming(EARLY, Duration.standardMinutes(10))));
    PAssert.that(webPanes(rows)).containsInAnyOrder(
        "EARLY " + web(0, "sessions=1 errors=0 playing_ms=0 buffering_ms=0 rebuffers=0"
            + " startup=1/800 live_latency=0/0 renditions={} up=0 down=0"));
    p.run();
  }
}
