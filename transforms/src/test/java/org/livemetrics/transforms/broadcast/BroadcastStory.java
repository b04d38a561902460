package org.livemetrics.transforms.broadcast;

import static org.livemetrics.schemas.BroadcastEventType.SESSION_CREATED;
import static org.livemetrics.schemas.BroadcastEventType.SESSION_ENDED;
import static org.livemetrics.schemas.BroadcastEventType.STARVATION_END;
import static org.livemetrics.schemas.BroadcastEventType.STARVATION_START;
import static org.livemetrics.schemas.BroadcastEventType.STREAM_END;
import static org.livemetrics.schemas.BroadcastEventType.STREAM_FAILURE;
import static org.livemetrics.schemas.BroadcastEventType.STREAM_START;

import java.util.ArrayList;
import java.util.List;
import org.livemetrics.schemas.BroadcastEvent;
import org.livemetrics.schemas.BroadcastEventType;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.BroadcastMinute.Scope;
import org.livemetrics.schemas.StreamSession;
import org.livemetrics.schemas.StreamSession.Outcome;
import org.livemetrics.transforms.metrics.TestEvents;

/**
 * Three IVS channels around 2026-11-22T10:00Z, and every row they should give, worked out by hand
 * (streams open at most 5 minutes, so an open stream settles within the test):
 *
 * <pre>
 * A alpha eu-west-1  a0: End 10:00:05 only (no start)
 *                    a1: Start 10:00:30, End 10:03:10; starving 10:01:50-10:02:20 (10 s + 20 s)
 * B beta  eu-west-1  b1: Session Created 10:00:55, Start 10:01:00, Failure 10:02:00,
 *                        Session Ended 10:02:05: live in 10:01 only
 * C gamma us-east-1  c1: Start 10:02:15, no end: live to 10:07:15 (the 5-minute cap);
 *                        Starvation Start 10:04:40, no end: to 10:07:15 (20+60+60+15 s)
 * </pre>
 */
final class BroadcastStory {
  static final String A = "arn:aws:ivs:eu-west-1:111111111111:channel/aaaaAAAA";
  static final String B = "arn:aws:ivs:eu-west-1:111111111111:channel/bbbbBBBB";
  static final String C = "arn:aws:ivs:us-east-1:222222222222:channel/ccccCCCC";
  static final java.time.Duration MAX_STREAM = java.time.Duration.ofMinutes(5);

  private BroadcastStory() {}

  static long at(int minute, int second) {
    return TestEvents.at(minute, second);
  }

  static long minute(int m) {
    return TestEvents.T0 + m * 60_000L;
  }

  static BroadcastEvent event(String id, BroadcastEventType type, int minute, int second,
      String channel, String stream) {
    String region = channel.split(":")[3];
    String account = channel.split(":")[4];
    String name = channel.equals(A) ? "alpha" : channel.equals(B) ? "beta" : "gamma";
    return new BroadcastEvent(id, type, at(minute, second), account, region, channel, name, stream);
  }

  static final BroadcastEvent A0_END = event("e-a0-end", STREAM_END, 0, 5, A, "st-a0");
  static final BroadcastEvent A1_START = event("e-a1-start", STREAM_START, 0, 30, A, "st-a1");
  static final BroadcastEvent A1_END = event("e-a1-end", STREAM_END, 3, 10, A, "st-a1");
  static final BroadcastEvent A1_STARVING = event("e-a1-starv", STARVATION_START, 1, 50, A, "st-a1");
  static final BroadcastEvent A1_FED = event("e-a1-fed", STARVATION_END, 2, 20, A, "st-a1");
  static final BroadcastEvent B1_CREATED = event("e-b1-created", SESSION_CREATED, 0, 55, B, "st-b1");
  static final BroadcastEvent B1_START = event("e-b1-start", STREAM_START, 1, 0, B, "st-b1");
  static final BroadcastEvent B1_FAILURE = event("e-b1-fail", STREAM_FAILURE, 2, 0, B, "st-b1");
  static final BroadcastEvent B1_ENDED = event("e-b1-ended", SESSION_ENDED, 2, 5, B, "st-b1");
  static final BroadcastEvent C1_START = event("e-c1-start", STREAM_START, 2, 15, C, "st-c1");
  static final BroadcastEvent C1_STARVING = event("e-c1-starv", STARVATION_START, 4, 40, C, "st-c1");

  /** Every event once. */
  static List<BroadcastEvent> events() {
    return List.of(A0_END, A1_START, A1_END, A1_STARVING, A1_FED, B1_CREATED, B1_START, B1_FAILURE,
        B1_ENDED, C1_START, C1_STARVING);
  }

  /** As EventBridge may deliver them: ends before starts, and three events delivered twice. */
  static List<BroadcastEvent> delivered() {
    List<BroadcastEvent> d = new ArrayList<>(List.of(
        A1_END, A1_FED, C1_STARVING, B1_FAILURE, B1_ENDED, A0_END, A1_STARVING, A1_START,
        B1_START, B1_CREATED, C1_START));
    d.add(A1_START);
    d.add(B1_FAILURE);
    d.add(A1_STARVING);
    return d;
  }

  private static BroadcastMinute channel(String arn, String name, int m, long live, long count,
      long ms) {
    return new BroadcastMinute(Scope.CHANNEL, arn.split(":")[3], arn, name, minute(m), live, count, ms);
  }

  private static BroadcastMinute region(String region, int m, long live, long count, long ms) {
    return new BroadcastMinute(Scope.REGION, region, null, null, minute(m), live, count, ms);
  }

  private static BroadcastMinute all(int m, long live, long count, long ms) {
    return new BroadcastMinute(Scope.ALL, null, null, null, minute(m), live, count, ms);
  }

  /** The minute rows of the whole story (no minute without a live or starving channel). */
  static List<BroadcastMinute> minutes() {
    return List.of(
        channel(A, "alpha", 0, 1, 0, 0),
        channel(A, "alpha", 1, 1, 1, 10_000),
        channel(A, "alpha", 2, 1, 0, 20_000),
        channel(A, "alpha", 3, 1, 0, 0),
        channel(B, "beta", 1, 1, 0, 0),
        channel(C, "gamma", 2, 1, 0, 0),
        channel(C, "gamma", 3, 1, 0, 0),
        channel(C, "gamma", 4, 1, 1, 20_000),
        channel(C, "gamma", 5, 1, 0, 60_000),
        channel(C, "gamma", 6, 1, 0, 60_000),
        channel(C, "gamma", 7, 1, 0, 15_000),
        region("eu-west-1", 0, 1, 0, 0),
        region("eu-west-1", 1, 2, 1, 10_000),
        region("eu-west-1", 2, 1, 0, 20_000),
        region("eu-west-1", 3, 1, 0, 0),
        region("us-east-1", 2, 1, 0, 0),
        region("us-east-1", 3, 1, 0, 0),
        region("us-east-1", 4, 1, 1, 20_000),
        region("us-east-1", 5, 1, 0, 60_000),
        region("us-east-1", 6, 1, 0, 60_000),
        region("us-east-1", 7, 1, 0, 15_000),
        all(0, 1, 0, 0),
        all(1, 2, 1, 10_000),
        all(2, 2, 0, 20_000),
        all(3, 2, 0, 0),
        all(4, 1, 1, 20_000),
        all(5, 1, 0, 60_000),
        all(6, 1, 0, 60_000),
        all(7, 1, 0, 15_000));
  }

  /** The stream rows (version 0: as a batch run states them). */
  static List<StreamSession> sessions() {
    return List.of(
        new StreamSession("111111111111", "eu-west-1", A, "alpha", "st-a0", null, at(0, 5),
            Outcome.ENDED, null, at(0, 5), 0, null, null, 0, 0),
        new StreamSession("111111111111", "eu-west-1", A, "alpha", "st-a1", at(0, 30), at(3, 10),
            Outcome.ENDED, 160_000L, at(3, 10), 0, null, null, 1, 30_000),
        new StreamSession("111111111111", "eu-west-1", B, "beta", "st-b1", at(1, 0), at(2, 0),
            Outcome.FAILED, 60_000L, at(2, 0), 0, at(0, 55), at(2, 5), 0, 0),
        new StreamSession("222222222222", "us-east-1", C, "gamma", "st-c1", at(2, 15), null,
            Outcome.OPEN, 300_000L, at(7, 15), 0, null, null, 1, 155_000));
  }
}
