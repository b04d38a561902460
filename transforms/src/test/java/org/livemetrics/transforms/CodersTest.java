package org.livemetrics.transforms;

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
import org.livemetrics.transforms.metrics.MinuteKey;
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
        "a", "v", DimensionSet.VIDEO_COUNTRY, "GB", null, 60_000, 1, 2, 3, 4, 5, 6, new byte[] {1}, new byte[0]));
    CoderProperties.coderDecodeEncodeEqual(MinuteKey.Coder.of(), new MinuteKey(DimensionSet.VIDEO, "a", "v", "", 5));
  }
}
