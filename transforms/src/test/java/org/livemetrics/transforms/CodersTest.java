package org.livemetrics.transforms;

import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_SKETCH_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_SUM_MS_FIELD;
import static org.junit.Assert.assertEquals;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.Test;
import org.livemetrics.schemas.DeviceType;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.MetricType;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.MinuteAggregateCoder;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.schemas.PlayerEventCoder;
import org.livemetrics.schemas.BroadcastEvent;
import org.livemetrics.schemas.BroadcastEventType;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.LatencySketch;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.schemas.QosMinuteCoder;
import org.livemetrics.schemas.StreamSession;
import org.livemetrics.transforms.metrics.MinuteKey;
import org.livemetrics.transforms.qos.QosKey;
import org.livemetrics.transforms.metrics.MinuteTotals;
import org.livemetrics.transforms.parse.RawRecord;

/**
 * Beam infers our hand-written coders, not Java serialization (a silent fallback that made the
 * Flink backfill 20x slower), and they round-trip.
 */
public class CodersTest {
  private final CoderRegistry registry = CoderRegistry.createDefault();

  private Class<?> inferred(Class<?> type) throws Exception {
    Coder<?> c = registry.getCoder(type);
    return c.getClass();
  }

  @Test
  public void defaultCodersAreOurs() throws Exception {
    assertEquals(PlayerEventCoder.class, inferred(PlayerEvent.class));
    assertEquals(MinuteAggregateCoder.class, inferred(MinuteAggregate.class));
    assertEquals(RawRecord.Coder.class, inferred(RawRecord.class));
    assertEquals(MinuteKey.Coder.class, inferred(MinuteKey.class));
    assertEquals(MinuteTotals.Coder.class, inferred(MinuteTotals.class));
    assertEquals(QosMinuteCoder.class, inferred(QosMinute.class));
    assertEquals(QosKey.Coder.class, inferred(QosKey.class));
    assertEquals(BroadcastEvent.Coder.class, inferred(BroadcastEvent.class));
    assertEquals(BroadcastMinute.Coder.class, inferred(BroadcastMinute.class));
    assertEquals(StreamSession.Coder.class, inferred(StreamSession.class));
  }

  @Test
  public void qosAndBroadcastRoundTrip() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(QosKey.Coder.of(),
        new QosKey(QosDimensionSet.VIDEO_CLIENT_PLATFORM, "a", "v", "ios", 7));
    CoderProperties.coderDecodeEncodeEqual(QosMinuteCoder.of(), QosMinute.builder().account("a")
        .dimensionSet(QosDimensionSet.CLIENT_PLATFORM).clientPlatform("web").minute(60_000)
        .concurrentSessions(3).renditionPlayingMs(java.util.Map.of("720p", 1L, "1080p", 2L))
        .count(STARTUP_COUNT_FIELD, 1).count(STARTUP_SUM_MS_FIELD, 900)
        .sketch(STARTUP_SKETCH_FIELD, sketch(900)).build());
    CoderProperties.coderDecodeEncodeEqual(BroadcastEvent.Coder.of(), new BroadcastEvent("id-1",
        BroadcastEventType.STREAM_END, 1_601_517_718_000L, "123456789012", "eu-west-1",
        "arn:aws:ivs:eu-west-1:123456789012:channel/tbHb69cdvlbk", null, "st-1"));
  }

  private static byte[] sketch(double v) {
    org.apache.datasketches.kll.KllDoublesSketch s = LatencySketch.newSketch();
    s.update(v);
    return s.toByteArray();
  }

  @Test
  public void roundTrips() throws Exception {
    PlayerEvent.Builder b = PlayerEvent.builder().metricType(MetricType.PLAYBACK_SUMMARY)
        .eventTime(1_763_787_600_000L).account("a").video("v").sessionId("s").country("US")
        .deviceType(DeviceType.TABLET).fingerprint(-7).playingTimeMs(1L).bufferingTimeMs(null);
    b.renditionName = "720p";
    b.liveLatencyMs = 4200L;
    b.isLive = false;
    b.endPlaybackPositionSec = 12.5;
    CoderProperties.coderDecodeEncodeEqual(PlayerEventCoder.of(), b.build());
    CoderProperties.coderDecodeEncodeEqual(PlayerEventCoder.of(), PlayerEvent.builder()
        .metricType(MetricType.UNKNOWN).eventTime(1).account("a").video("v").sessionId("s").build());
    CoderProperties.coderDecodeEncodeEqual(MinuteAggregateCoder.of(), new MinuteAggregate(
        "a", "v", DimensionSet.VIDEO_COUNTRY, "GB", null, 60_000, new long[] {1, 2, 3, 4},
            new long[] {5, 6}, new byte[][] {{1}, {}}));
    CoderProperties.coderDecodeEncodeEqual(MinuteKey.Coder.of(), new MinuteKey(DimensionSet.VIDEO, "a", "v", "", 5));
  }
}
