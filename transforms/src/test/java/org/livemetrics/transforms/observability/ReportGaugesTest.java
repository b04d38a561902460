package org.livemetrics.transforms.observability;

import static org.junit.Assert.assertEquals;

import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.MinuteAggregateCoder;

public class ReportGaugesTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final long M = 1_795_323_600_000L; // 2026-11-22T05:00Z
  private static final long MINUTE = 60_000;

  private static MinuteAggregate row(DimensionSet set, String video, String country, long minute,
      long ccu) {
    return new MinuteAggregate("default", video, set, country, null, minute, new long[] {0, 0, 0,
        0}, new long[] {ccu, ccu}, new byte[][] {new byte[0], new byte[0]});
  }

  private static MinuteAggregate vc(String video, String country, long minute, long ccu) {
    return row(DimensionSet.VIDEO_COUNTRY, video, country, minute, ccu);
  }

  private static TimestampedValue<MinuteAggregate> at(MinuteAggregate r) {
    return TimestampedValue.of(r, new Instant(r.minute));
  }

  @Test
  public void viewersOfTheLatestCompleteMinutePerContinentAndThePeak() {
    TestStream<MinuteAggregate> rows = TestStream.create(MinuteAggregateCoder.of())
        .addElements(at(vc("v1", "US", M, 5)), at(vc("v1", "FR", M, 3)),
            at(vc("v2", "DE", M, 4)), at(vc("v1", "unknown", M, 1)),
            // Other dimension sets count the same viewers again: left out.
            at(row(DimensionSet.VIDEO, "v1", null, M, 100)))
        // A later pane of the same row replaces its value.
        .addElements(at(vc("v1", "US", M, 7)))
        .addElements(at(vc("v1", "US", M + MINUTE, 2)))
        .advanceWatermarkToInfinity();
    pipeline.apply(rows).apply(ReportAudienceGauges.create());
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    Map<String, Long> gauges = PipelineMetricsTest.gauges(result);
    // By hand: minute M+1 is still filling, so M is reported: americas = 7 (US, second pane),
    // europe = 3 (FR) + 4 (DE), unknown = 1. Peaks: the same (M+1 has 2 in the americas).
    assertEquals(Long.valueOf(7), gauges.get("concurrent_viewers__region__americas"));
    assertEquals(Long.valueOf(7), gauges.get("concurrent_viewers__region__europe"));
    assertEquals(Long.valueOf(1), gauges.get("concurrent_viewers__region__unknown"));
    assertEquals(Long.valueOf(7), gauges.get("peak_concurrent_viewers__region__americas"));
    assertEquals(Long.valueOf(7), gauges.get("peak_concurrent_viewers__region__europe"));
    assertEquals(6, gauges.size());
  }

  @Test
  public void regionsWithoutViewersGoToZeroAndThePeakStays() {
    TestStream<MinuteAggregate> rows = TestStream.create(MinuteAggregateCoder.of())
        .addElements(at(vc("v1", "US", M, 5)), at(vc("v1", "FR", M, 3)))
        .addElements(at(vc("v1", "US", M + MINUTE, 2)))
        .addElements(at(vc("v1", "US", M + 2 * MINUTE, 9)))
        // A late pane of a minute no longer reported changes nothing.
        .addElements(at(vc("v1", "FR", M, 50)))
        .advanceWatermarkToInfinity();
    pipeline.apply(rows).apply(ReportAudienceGauges.create());
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    Map<String, Long> gauges = PipelineMetricsTest.gauges(result);
    // By hand: M+1 is reported (M+2 is filling): americas 2, europe 0 (FR had viewers only in M).
    // Peaks: americas max(5, 2, 9) = 9, europe 3.
    assertEquals(Long.valueOf(2), gauges.get("concurrent_viewers__region__americas"));
    assertEquals(Long.valueOf(0), gauges.get("concurrent_viewers__region__europe"));
    assertEquals(Long.valueOf(9), gauges.get("peak_concurrent_viewers__region__americas"));
    assertEquals(Long.valueOf(3), gauges.get("peak_concurrent_viewers__region__europe"));
  }

  private static TimestampedValue<BroadcastMinute> region(String region, long minute, long live) {
    return TimestampedValue.of(new BroadcastMinute(BroadcastMinute.Scope.REGION, region, null,
        null, minute, live, 0, 0), new Instant(minute));
  }

  @Test
  public void liveChannelsPerRegion() {
    TestStream<BroadcastMinute> rows = TestStream.create(BroadcastMinute.Coder.of())
        .addElements(region("us-east-1", M, 3), region("eu-west-1", M, 1),
            // The overall and per-channel rows are left out.
            TimestampedValue.of(new BroadcastMinute(BroadcastMinute.Scope.ALL, null, null, null,
                M, 4, 0, 0), new Instant(M)),
            TimestampedValue.of(new BroadcastMinute(BroadcastMinute.Scope.CHANNEL, "us-east-1",
                "arn:aws:ivs:us-east-1:1:channel/a", "a", M, 1, 0, 0), new Instant(M)))
        .addElements(region("us-east-1", M, 4))
        .addElements(region("us-east-1", M + MINUTE, 1))
        .advanceWatermarkToInfinity();
    pipeline.apply(rows).apply(ReportLiveChannels.create());
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    Map<String, Long> gauges = PipelineMetricsTest.gauges(result);
    // By hand: minute M is reported (M+1 is filling): us-east-1 4 (its second pane), eu-west-1 1.
    assertEquals(Long.valueOf(4), gauges.get("live_channels__region__us_east_1"));
    assertEquals(Long.valueOf(1), gauges.get("live_channels__region__eu_west_1"));
    assertEquals(2, gauges.size());
  }
}
