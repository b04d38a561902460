package org.livemetrics.transforms.qos;

import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_VIEW_FIELD;
import static org.livemetrics.transforms.qos.ComputeQosMetricsTest.FP_A;
import static org.livemetrics.transforms.qos.ComputeQosMetricsTest.FP_B;
import static org.livemetrics.transforms.qos.QosEvents.at;
import static org.livemetrics.transforms.qos.QosEvents.minute;
import static org.livemetrics.transforms.qos.QosEvents.play;

import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.schemas.PlayerEventCoder;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.transforms.StreamingMetricsOptions;
import org.livemetrics.transforms.metrics.ComputeLiveMetrics;
import org.livemetrics.transforms.metrics.TestEvents;
import org.livemetrics.transforms.metrics.WindowIntoMinutes;
import org.livemetrics.transforms.streaming.InTimeEvents;
import org.livemetrics.transforms.streaming.StreamingLiveMetricsTest;

/**
 * The streaming wiring the pipelines use: {@link InTimeEvents} once, then the audience and the QoS
 * metrics, both from the options, with their windows; a too-late event is one dead letter.
 */
public class QosInTimeEventsTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  /**
   * "b" is the first event of its key, judged too late by what another key's walk proved in the
   * same instance of the step (on Flink, one subtask): the DirectRunner keeps an instance per
   * thread, so this runs on one.
   */
  @org.junit.Before
  public void oneInstanceOfEachStep() {
    p.getOptions().as(org.apache.beam.runners.direct.DirectOptions.class).setTargetParallelism(1);
  }

  @Test
  public void audienceAndQosFromTheSameInTimeEvents() {
    StreamingMetricsOptions options = PipelineOptionsFactory.fromArgs(
        "--allowedLateness=PT2M", "--maxSummarySpan=PT1M").as(StreamingMetricsOptions.class);
    // Arrival-time stamps, as a source gives them.
    TestStream<PlayerEvent> events = TestStream.create(PlayerEventCoder.of())
        .advanceWatermarkTo(TestEvents.instant(0, 0))
        .addElements(play(at(0, 10), "v1", FP_A, "a", "web", 800L))
        .advanceWatermarkTo(TestEvents.instant(10, 0))
        // 10:00:20 with the watermark at 10:10: past 10:01 + 2 minutes of lateness.
        .addElements(play(at(0, 20), "v1", FP_B, "b", "web", 900L))
        .advanceWatermarkToInfinity();
    BadRecordErrorHandler<PCollection<String>> handler =
        p.registerBadRecordErrorHandler(new StreamingLiveMetricsTest.Reasons());
    PCollection<PlayerEvent> inTime = p.apply(events)
        .apply(InTimeEvents.from(options).withBadRecordErrorHandler(handler));
    handler.close();
    PCollection<MinuteAggregate> audience = inTime.apply(
        ComputeLiveMetrics.from(options).withWindowing(WindowIntoMinutes.from(options)));
    PCollection<QosMinute> qos = inTime.apply(
        ComputeQosMetrics.from(options).withWindowing(WindowIntoMinutes.from(options)));
    PAssert.that(qos.apply("Platform rows", Filter.by(r -> r.dimensionSet == QosDimensionSet.CLIENT_PLATFORM))
            .apply("Qos", MapElements.into(TypeDescriptors.strings()).via(QosMinute::toString)))
        .containsInAnyOrder("client_platform[1234/web @" + minute(0) + "] sessions=1 errors=0"
            + " playing_ms=0 buffering_ms=0 rebuffers=0 startup=1/800 live_latency=0/0"
            + " renditions={} up=0 down=0"
            // a's session (its PLAY) ended in minute 0; b's events were too late for any row.
            + " loaded=0 exits_before_start=0 attempts=1 failures=0 played=1 rebuffered=0");
    PAssert.that(audience.apply("Video rows", Filter.by(r -> r.dimensionSet.id().equals("video")))
            .apply("Audience", MapElements.into(TypeDescriptors.strings()).via(r -> r.video + " "
            + r.count(VIDEO_VIEW_FIELD))))
        .containsInAnyOrder("v1 1");
    PAssert.that(handler.getOutput()).containsInAnyOrder("too_late b");
    p.run();
  }

}
