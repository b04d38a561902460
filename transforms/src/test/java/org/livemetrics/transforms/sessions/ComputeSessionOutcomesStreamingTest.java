package org.livemetrics.transforms.sessions;

import static org.livemetrics.schemas.family.ViewerQosFamily.EXITS_BEFORE_VIDEO_START_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYBACK_ATTEMPTS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYBACK_FAILURES_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.SESSIONS_LOADED_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.SESSIONS_PLAYED_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.SESSIONS_REBUFFERED_FIELD;
import static org.livemetrics.transforms.sessions.SessionEvents.at;
import static org.livemetrics.transforms.sessions.SessionEvents.impression;
import static org.livemetrics.transforms.sessions.SessionEvents.play;
import static org.livemetrics.transforms.sessions.SessionEvents.stop;
import static org.livemetrics.transforms.sessions.SessionEvents.summary;

import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.DoFn;
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
import org.livemetrics.transforms.qos.ComputeQosMetrics;

/**
 * The session metrics in the streaming QoS rows (as {@code StreamingPlayerMetrics} wires them): a
 * session's outcome is known only once it ends, and its end minute's on-time pane waits for it. Expected panes worked out by hand (gap 3 min,
 * the rows' allowed lateness 10 min).
 */
public class ComputeSessionOutcomesStreamingTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final long FP_A = 0x9E3779B97F4A7C15L;
  private static final long FP_B = 0xC2B2AE3D27D4EB4FL;
  private static final Duration LATENESS = Duration.standardMinutes(10);

  private static TimestampedValue<PlayerEvent> ts(PlayerEvent e) {
    return TimestampedValue.of(e, new Instant(e.eventTime));
  }

  private static PCollection<QosMinute> rows(TestStream<PlayerEvent> events, TestPipeline p) {
    return p.apply(events).apply(ComputeQosMetrics
        .withMaxSummarySpan(java.time.Duration.ofMinutes(5))
        .withWindowing(WindowIntoMinutes.streaming(Duration.standardSeconds(5), LATENESS))
        .withSessionOutcomes(ComputeSessionOutcomes.withGap(java.time.Duration.ofMinutes(3))
            .inStreaming(LATENESS)));
  }

  /** Each web {client_platform} pane as "TIMING minute: row". */
  private static PCollection<String> webPanes(PCollection<QosMinute> rows, boolean countsOnly) {
    return rows.apply(ParDo.of(new DoFn<QosMinute, String>() {
      @ProcessElement
      public void process(ProcessContext c) {
        QosMinute r = c.element();
        if (r.dimensionSet != QosDimensionSet.CLIENT_PLATFORM || !r.clientPlatform.equals("web")) {
          return;
        }
        String minute = c.pane().getTiming() + " " + (r.minute - TestEvents.T0) / 60_000 + ": ";
        if (!countsOnly) {
          c.output(minute + r);
        } else if (r.count(SESSIONS_LOADED_FIELD) + r.count(PLAYBACK_ATTEMPTS_FIELD) +
            r.count(SESSIONS_PLAYED_FIELD) > 0) {
          c.output(minute + "loaded=" + r.count(SESSIONS_LOADED_FIELD) + " exits=" +
              r.count(EXITS_BEFORE_VIDEO_START_FIELD)
              + " attempts=" + r.count(PLAYBACK_ATTEMPTS_FIELD) + " failures=" +
              r.count(PLAYBACK_FAILURES_FIELD)
              + " played=" + r.count(SESSIONS_PLAYED_FIELD) + " rebuffered=" +
              r.count(SESSIONS_REBUFFERED_FIELD));
        }
      }
    }));
  }

  @Test
  public void anOutcomeIsInItsEndMinutesOnTimePaneAndALateEventDoesNotCountItTwice() {
    // Session a: PLAY 0:10, summary 1:00 (50 s played, 1 rebuffer of 1 s).
    TestStream<PlayerEvent> events = TestStream.create(PlayerEventCoder.of())
        .advanceWatermarkTo(TestEvents.instant(0, 0))
        .addElements(ts(play(at(0, 10), FP_A, "a")))
        .addElements(ts(summary(at(1, 0), FP_A, "a", 50_000, 1, 0)))
        // Minute 0 closes; minute 1 waits for the session (last event 1:00, open until 4:00),
        // which holds the watermark at 1:00.
        .advanceWatermarkTo(TestEvents.instant(2, 0))
        // The session ends: minute 1's on-time pane has its outcome.
        .advanceWatermarkTo(TestEvents.instant(4, 1))
        // A late summary of the same session (1:00.5, 400 ms played): it corrects minute 1's
        // playing time, but its own gap ended at 4:00.5, before the watermark: it is dropped from
        // the session metrics, and the session is not counted again.
        .addElements(ts(summary(at(1, 0) + 500, FP_A, "a", 400, 0, 0)))
        .advanceWatermarkToInfinity();
    String row = "client_platform[1234/web @" + (TestEvents.T0 + 60_000) + "] sessions=1 errors=0 ";
    String outcome = " loaded=0 exits_before_start=0 attempts=1 failures=0 played=1 rebuffered=1";
    PAssert.that(webPanes(rows(events, p), false)).containsInAnyOrder(
        "ON_TIME 0: client_platform[1234/web @" + TestEvents.T0 + "] sessions=1 errors=0"
            + " playing_ms=0 buffering_ms=0 rebuffers=0 startup=0/0 live_latency=0/0"
            + " renditions={} up=0 down=0",
        "ON_TIME 1: " + row + "playing_ms=50000 buffering_ms=1000 rebuffers=1 startup=0/0"
            + " live_latency=0/0 renditions={unknown=50000} up=0 down=0" + outcome,
        "LATE 1: " + row + "playing_ms=50400 buffering_ms=1000 rebuffers=1 startup=0/0"
            + " live_latency=0/0 renditions={unknown=50400} up=0 down=0" + outcome);
    p.run();
  }

  @Test
  public void aStopEndsTheSessionAtOnceAndALaterPlayStartsAnother() {
    // In arrival order: IMPRESSION, PLAY, STOP 0:30, then a PLAY 0:40 of the same session id,
    // within the gap. The first session ends at its STOP and is emitted as soon as the watermark
    // passes it; the second ends at 0:40 and is emitted when the watermark passes 3:40, which
    // minute 0's on-time pane waits for: one pane with both.
    TestStream<PlayerEvent> events = TestStream.create(PlayerEventCoder.of())
        .advanceWatermarkTo(TestEvents.instant(0, 0))
        .addElements(ts(impression(at(0, 0), FP_B, "b")))
        .addElements(ts(play(at(0, 5), FP_B, "b")))
        .addElements(ts(stop(at(0, 30), FP_B, "b")))
        .addElements(ts(play(at(0, 40), FP_B, "b")))
        .advanceWatermarkTo(TestEvents.instant(0, 31))
        .advanceWatermarkTo(TestEvents.instant(1, 0))
        .advanceWatermarkTo(TestEvents.instant(4, 0))
        .advanceWatermarkToInfinity();
    PAssert.that(webPanes(rows(events, p), true)).containsInAnyOrder(
        "ON_TIME 0: loaded=1 exits=0 attempts=2 failures=0 played=2 rebuffered=0");
    p.run();
  }
}
