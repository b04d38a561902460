package org.livemetrics.pipelines;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.livemetrics.schemas.BroadcastAvro;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.StreamSession;
import org.livemetrics.testdata.BroadcastSample;

/**
 * What the broadcast sample ({@link BroadcastSample}) must give for [05:00, 07:00), worked out by
 * hand in its javadoc, and the checks of a store against it: shared by the backfill and the
 * streaming tests.
 */
public final class BroadcastExpectations {
  public static final long FROM = BroadcastSample.at("05:00:00");
  public static final long TO = BroadcastSample.at("07:00:00");

  private BroadcastExpectations() {}

  /** Live channels of all regions per minute (minutes with none left out). */
  static Map<Long, Long> allChannelsLive() {
    Map<Long, Long> m = new TreeMap<>();
    add(m, "05:10", "05:40", 1); // X
    add(m, "05:30", "06:06", 1); // Y, live in 06:05 (failed at 06:05:30)
    add(m, "06:30", "07:00", 1); // Z, open
    return m;
  }

  static Map<Long, Long> euWest1Live() {
    Map<Long, Long> m = new TreeMap<>();
    add(m, "05:10", "05:40", 1);
    add(m, "06:30", "07:00", 1);
    return m;
  }

  private static void add(Map<Long, Long> m, String from, String to, long n) {
    for (long t = BroadcastSample.at(from + ":00"); t < BroadcastSample.at(to + ":00"); t += 60_000) {
      m.merge(t, n, Long::sum);
    }
  }

  /** The broadcast minute rows in the store within the range (latest versions). */
  public static List<BroadcastMinute> minutes(Path store) throws IOException {
    return StoreContents.current(store, "broadcast", BroadcastAvro::minuteFromRecord,
            m -> m.scope().id() + "|" + m.region() + "|" + m.channelArn() + "|" + m.minute())
        .stream().filter(m -> m.minute() >= FROM && m.minute() < TO).toList();
  }

  public static List<StreamSession> streams(Path store) throws IOException {
    return StoreContents.current(store, "streams", BroadcastAvro::sessionFromRecord,
        s -> s.channelArn() + "|" + s.streamId());
  }

  /** Channel concurrency (all and eu-west-1) and X's starvation, minute by minute. */
  public static void checkMinutes(List<BroadcastMinute> rows) {
    Map<Long, Long> all = new TreeMap<>();
    Map<Long, Long> eu = new TreeMap<>();
    Map<Long, long[]> starvingX = new TreeMap<>();
    for (BroadcastMinute m : rows) {
      if (m.scope() == BroadcastMinute.Scope.ALL && m.liveChannels() > 0) {
        all.put(m.minute(), m.liveChannels());
      }
      if (m.scope() == BroadcastMinute.Scope.REGION && "eu-west-1".equals(m.region())
          && m.liveChannels() > 0) {
        eu.put(m.minute(), m.liveChannels());
      }
      if (m.scope() == BroadcastMinute.Scope.CHANNEL && BroadcastSample.X.equals(m.channelArn())
          && (m.starvationCount() > 0 || m.starvationMs() > 0)) {
        starvingX.put(m.minute(), new long[] {m.starvationCount(), m.starvationMs()});
      }
      if (m.scope() == BroadcastMinute.Scope.CHANNEL && !BroadcastSample.X.equals(m.channelArn())) {
        assertEquals("only X starves: " + m, 0, m.starvationCount() + m.starvationMs());
      }
    }
    assertEquals(allChannelsLive(), all);
    assertEquals(euWest1Live(), eu);
    assertEquals(2, starvingX.size());
    assertEquals("1 episode, 30 s in 05:20", List.of(1L, 30_000L),
        List.of(starvingX.get(BroadcastSample.at("05:20:00"))[0], starvingX.get(BroadcastSample.at("05:20:00"))[1]));
    assertEquals("15 s in 05:21", List.of(0L, 15_000L),
        List.of(starvingX.get(BroadcastSample.at("05:21:00"))[0], starvingX.get(BroadcastSample.at("05:21:00"))[1]));
  }

  /**
   * The three streams; Z is open, its duration measured to {@code zAsOf} (null: to whenever the
   * row says, which in a running stream is its watermark).
   */
  public static void checkStreams(List<StreamSession> streams, Long zAsOf) {
    Map<String, StreamSession> byId = new TreeMap<>();
    streams.forEach(s -> byId.put(s.streamId(), s));
    assertEquals(List.of("st-x", "st-y", "st-z"), List.copyOf(byId.keySet()));
    StreamSession x = byId.get("st-x");
    assertEquals(BroadcastSample.X, x.channelArn());
    assertEquals(StreamSession.Outcome.ENDED, x.outcome());
    assertEquals(Long.valueOf(BroadcastSample.at("05:10:00")), x.startTime());
    assertEquals(Long.valueOf(BroadcastSample.at("05:40:00")), x.endTime());
    assertEquals(Long.valueOf(30 * 60_000L), x.durationMs());
    assertEquals(1, x.starvationCount());
    assertEquals(45_000, x.starvationMs());
    StreamSession y = byId.get("st-y");
    assertEquals(StreamSession.Outcome.FAILED, y.outcome());
    assertEquals("us-east-1", y.region());
    assertEquals(Long.valueOf(35 * 60_000L + 30_000L), y.durationMs());
    assertEquals(Long.valueOf(BroadcastSample.at("05:29:50")), y.sessionCreatedTime());
    assertEquals(Long.valueOf(BroadcastSample.at("06:05:40")), y.sessionEndedTime());
    StreamSession z = byId.get("st-z");
    assertEquals(StreamSession.Outcome.OPEN, z.outcome());
    assertEquals(null, z.endTime());
    long asOf = zAsOf != null ? zAsOf : z.asOf();
    assertEquals(asOf, z.asOf());
    assertEquals(Long.valueOf(asOf - BroadcastSample.at("06:30:00")), z.durationMs());
  }
}
