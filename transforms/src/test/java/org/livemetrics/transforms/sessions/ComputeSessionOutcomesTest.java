package org.livemetrics.transforms.sessions;

import static org.livemetrics.schemas.family.ViewerQosFamily.EXITS_BEFORE_VIDEO_START_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYBACK_ATTEMPTS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYBACK_FAILURES_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.SESSIONS_LOADED_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.SESSIONS_PLAYED_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.SESSIONS_REBUFFERED_FIELD;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.livemetrics.transforms.sessions.SessionEvents.at;
import static org.livemetrics.transforms.sessions.SessionEvents.impression;
import static org.livemetrics.transforms.sessions.SessionEvents.play;
import static org.livemetrics.transforms.sessions.SessionEvents.stop;
import static org.livemetrics.transforms.sessions.SessionEvents.summary;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.schemas.PlayerEventCoder;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.transforms.metrics.TestEvents;
import org.livemetrics.transforms.qos.ComputeQosMetrics;

/**
 * {@link ComputeSessionOutcomes} merged into the QoS rows, in batch, with a 3-minute gap. Each
 * expected line is a (client_platform = web) row's minute and its six session counts, worked out
 * by hand from the session rules: loaded (IMPRESSION), exits (loaded, no PLAY), attempts
 * (IMPRESSION or PLAY), failures (attempted; last error summary at or after the last clean
 * playing), played (PLAY or playing_time_ms > 0), rebuffered (played, buffering_count > 0).
 */
public class ComputeSessionOutcomesTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final long FP_A = 0x9E3779B97F4A7C15L;
  private static final long FP_B = 0xC2B2AE3D27D4EB4FL;
  private static final long FP_C = 0x165667B19E3779F9L;

  private PCollection<String> outcomes(List<PlayerEvent> events) {
    return outcomes(p.apply(Create.of(events).withCoder(PlayerEventCoder.of())));
  }

  private static PCollection<String> outcomes(PCollection<PlayerEvent> events) {
    return events
        .apply(ComputeQosMetrics.withMaxSummarySpan(Duration.ofMinutes(5))
            .withSessionOutcomes(ComputeSessionOutcomes.withGap(Duration.ofMinutes(3))))
        .apply("WebRowsWithSessions", Filter.by((QosMinute r) -> r.dimensionSet == QosDimensionSet.CLIENT_PLATFORM
            && r.count(SESSIONS_LOADED_FIELD) + r.count(PLAYBACK_ATTEMPTS_FIELD) +
                r.count(SESSIONS_PLAYED_FIELD) > 0))
        .apply("Lines", MapElements.into(TypeDescriptors.strings()).via(r -> line(r)));
  }

  private static String line(QosMinute r) {
    return r.clientPlatform + " " + (r.minute - TestEvents.T0) / 60_000 + ": loaded="
        + r.count(SESSIONS_LOADED_FIELD) + " exits=" + r.count(EXITS_BEFORE_VIDEO_START_FIELD)
        + " attempts="
        + r.count(PLAYBACK_ATTEMPTS_FIELD) + " failures=" + r.count(PLAYBACK_FAILURES_FIELD)
        + " played=" + r.count(SESSIONS_PLAYED_FIELD)
        + " rebuffered=" + r.count(SESSIONS_REBUFFERED_FIELD);
  }

  @Test
  public void aStopAfterTheSessionsEventsEndsItInAnyOrder() {
    // The STOP is the session's last event: whatever order the events merge in, the session
    // {IMPRESSION, PLAY, summary, STOP} ends at the STOP (minute 1). (A STOP followed by more
    // events of its session id is in ComputeSessionOutcomesStreamingTest and
    // StopClosingSessionsTest: there the order of arrival matters.)
    PCollection<String> out = outcomes(List.of(
        stop(at(1, 5), FP_A, "a"),
        summary(at(1, 0), FP_A, "a", 50_000, 0, 0),
        impression(at(0, 0), FP_A, "a"),
        play(at(0, 5), FP_A, "a")));
    PAssert.that(out).containsInAnyOrder(
        "web 1: loaded=1 exits=0 attempts=1 failures=0 played=1 rebuffered=0");
    p.run();
  }

  @Test
  public void aGapSplitsASession() {
    // 1:10 → 4:11 is 3:01 of silence, more than the gap: {IMPRESSION, PLAY, summary with 2
    // rebuffers} ends at 1:10 (minute 1); {summary 4:11} is a session of its own, ended in minute 4,
    // that played but attempted nothing we saw (no IMPRESSION, no PLAY).
    PCollection<String> out = outcomes(List.of(
        impression(at(0, 0), FP_A, "a"),
        play(at(0, 10), FP_A, "a"),
        summary(at(1, 10), FP_A, "a", 55_000, 2, 0),
        summary(at(4, 11), FP_A, "a", 60_000, 0, 0)));
    PAssert.that(out).containsInAnyOrder(
        "web 1: loaded=1 exits=0 attempts=1 failures=0 played=1 rebuffered=1",
        "web 4: loaded=0 exits=0 attempts=0 failures=0 played=1 rebuffered=0");
    p.run();
  }

  @Test
  public void anEventExactlyOneGapLaterStartsANewSessionOneMillisecondEarlierDoesNot() {
    // a: IMPRESSION 0:00, PLAY at exactly 3:00 → the session ended at 0:00 without a PLAY (an
    // exit), and the PLAY is a new session ending in minute 3.
    // b: IMPRESSION 0:00, PLAY at 2:59.999 → one session that started, ended in minute 2.
    PCollection<String> out = outcomes(List.of(
        impression(at(0, 0), FP_A, "a"),
        play(at(3, 0), FP_A, "a"),
        impression(at(0, 0), FP_B, "b"),
        play(at(3, 0) - 1, FP_B, "b")));
    PAssert.that(out).containsInAnyOrder(
        "web 0: loaded=1 exits=1 attempts=1 failures=0 played=0 rebuffered=0",
        "web 3: loaded=0 exits=0 attempts=1 failures=0 played=1 rebuffered=0",
        "web 2: loaded=1 exits=0 attempts=1 failures=0 played=1 rebuffered=0");
    p.run();
  }

  @Test
  public void anImpressionOnlySessionExitsBeforeVideoStart() {
    PCollection<String> out = outcomes(List.of(impression(at(0, 20), FP_A, "a")));
    PAssert.that(out).containsInAnyOrder(
        "web 0: loaded=1 exits=1 attempts=1 failures=0 played=0 rebuffered=0");
    p.run();
  }

  @Test
  public void errorsThenPlayingAgainIsNotFatalErrorsLastAre() {
    // a: error at 1:00, clean playing at 2:00 → recovered, not a failure.
    // b: clean playing at 1:00, errors at 2:00 (with some playing before them), STOP 2:05 → the
    //    errors ended playback: a failure.
    // c: IMPRESSION, then a summary with an error and nothing played → a failure and an exit.
    PCollection<String> out = outcomes(List.of(
        play(at(0, 0), FP_A, "a"),
        summary(at(1, 0), FP_A, "a", 30_000, 0, 1),
        summary(at(2, 0), FP_A, "a", 60_000, 0, 0),
        play(at(0, 0), FP_B, "b"),
        summary(at(1, 0), FP_B, "b", 60_000, 0, 0),
        summary(at(2, 0), FP_B, "b", 10_000, 0, 2),
        stop(at(2, 5), FP_B, "b"),
        impression(at(0, 0), FP_C, "c"),
        summary(at(0, 30), FP_C, "c", 0, 0, 1)));
    PAssert.that(out).containsInAnyOrder(
        "web 2: loaded=0 exits=0 attempts=2 failures=1 played=2 rebuffered=0",
        "web 0: loaded=1 exits=1 attempts=1 failures=1 played=0 rebuffered=0");
    p.run();
  }

  @Test
  public void aLongHostileSessionIsOneSession() {
    // Hostile: one session sends a summary every 100 ms for 2 000 s, each with a rebuffer and no
    // error. It stays one session (no gap), ending at its last event, minute
    // (19 999 × 100 ms) / 60 s = 33. (The direct runner takes minutes for a million events; the
    // state's bound at a million is the next test.)
    PCollection<PlayerEvent> events = p.apply(GenerateSequence.from(0).to(20_000))
        .apply("Summaries", MapElements.into(TypeDescriptor.of(PlayerEvent.class))
            .via(i -> summary(at(0, 0) + i * 100, FP_A, "a", 50, 1, 0)))
        .setCoder(PlayerEventCoder.of());
    PAssert.that(outcomes(events)).containsInAnyOrder(
        "web 33: loaded=0 exits=0 attempts=0 failures=0 played=1 rebuffered=1");
    p.run();
  }

  @Test
  public void aMillionEventSessionsStateIsTheSameFewBytesAsOneEvents() throws Exception {
    SessionOutcome one = SessionOutcome.of(summary(at(0, 0), FP_A, "a", 50, 1, 0));
    SessionOutcome many = SessionOutcome.empty();
    for (int i = 0; i < 1_000_000; i++) {
      many.merge(SessionOutcome.of(summary(at(0, 0) + i * 100L, FP_A, "a", 50, 1, i % 2)));
    }
    assertEquals(size(one), size(many));
    assertTrue("a session's state is " + size(many) + " bytes", size(many) < 64);
  }

  private static int size(SessionOutcome s) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    SessionOutcome.Coder.of().encode(s, b);
    return b.size();
  }
}
