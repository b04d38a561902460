package org.livemetrics.schemas;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.junit.Test;

/**
 * The merge helper the query layer uses: sums, ratios of sums, peaks of per-minute totals, and
 * percentiles from merged KLL sketches checked against exact ranks computed here by sorting.
 */
public class QosRollupTest {
  private static final long M0 = 1_795_323_600_000L; // 2026-11-22T05:00Z

  /** Latencies in whole ms, log-normal around 1.1 s like real startup times. */
  private static double[] latencies(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      double gaussian = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
      v[i] = Math.round(Math.exp(7 + 0.6 * gaussian));
    }
    return v;
  }

  /**
   * The normalized rank error of {@code answer} as the {@code rank} quantile of {@code sorted}: 0
   * when some position the value occupies in the sorted data has exactly that rank.
   */
  static double rankError(double[] sorted, double answer, double rank) {
    int below = 0;
    int atOrBelow = 0;
    for (double v : sorted) {
      if (v < answer) {
        below++;
      }
      if (v <= answer) {
        atOrBelow++;
      }
    }
    double lo = (double) below / sorted.length;
    double hi = (double) atOrBelow / sorted.length;
    return rank < lo ? lo - rank : rank > hi ? rank - hi : 0;
  }

  private static QosMinute.Builder row(String platform, int minute) {
    return QosMinute.builder().account("a").dimensionSet(QosDimensionSet.CLIENT_PLATFORM)
        .clientPlatform(platform).minute(M0 + minute * 60_000L);
  }

  private static byte[] sketchOf(double[] values, int from, int to) {
    KllDoublesSketch s = LatencySketch.newSketch();
    for (int i = from; i < to; i++) {
      s.update(values[i]);
    }
    return s.toByteArray();
  }

  @Test
  public void kIsChosenForOnePercentRankError() {
    assertEquals(300, LatencySketch.K);
    assertTrue("rank error " + LatencySketch.RANK_ERROR, LatencySketch.RANK_ERROR < 0.01);
  }

  @Test
  public void tenThousandLatenciesP50AndP95WithinOnePercentRankError() {
    double[] values = latencies(42, 10_000);
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    LatencySketch.Merger m = LatencySketch.merger().add(sketchOf(values, 0, values.length));
    assertEquals(10_000, m.count());
    for (double rank : new double[] {0.5, 0.95}) {
      double answer = m.quantile(rank);
      double error = rankError(sorted, answer, rank);
      assertTrue("p" + rank + " = " + answer + ", rank error " + error, error <= 0.01);
    }
  }

  @Test
  public void mergeOverMinutesAndPlatformsIsAsGoodAsOneSketchOfAllValues() {
    // 10,000 startup latencies spread over 60 minutes x 4 platforms: 240 rows, merged.
    double[] values = latencies(7, 10_000);
    String[] platforms = {"web", "android", "ios", "unknown"};
    List<QosMinute> rows = new ArrayList<>();
    long exactSum = 0;
    int perRow = values.length / 240;
    for (int i = 0; i < 240; i++) {
      int from = i * perRow;
      int to = i == 239 ? values.length : from + perRow;
      long sum = 0;
      for (int j = from; j < to; j++) {
        sum += (long) values[j];
      }
      exactSum += sum;
      rows.add(row(platforms[i % 4], i / 4)
          .startup(to - from, sum, sketchOf(values, from, to)).build());
    }
    QosRollup all = QosRollup.of(rows);
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    assertEquals(10_000, all.startupCount());
    assertEquals((double) exactSum / 10_000, all.startupMeanMs().getAsDouble(), 1e-9);
    KllDoublesSketch merged = LatencySketch.heapify(all.startupSketch());
    assertEquals(10_000, merged.getN());
    assertEquals(sorted[0], merged.getMinItem(), 0);
    assertEquals(sorted[sorted.length - 1], merged.getMaxItem(), 0);
    KllDoublesSketch single = LatencySketch.heapify(sketchOf(values, 0, values.length));
    for (QosMetric m : new QosMetric[] {QosMetric.STARTUP_TIME_MS_P50, QosMetric.STARTUP_TIME_MS_P95}) {
      double fromRows = all.value(m).getAsDouble();
      double fromOne = single.getQuantile(m.rank(), QuantileSearchCriteria.INCLUSIVE);
      assertTrue(m + " merged " + fromRows, rankError(sorted, fromRows, m.rank()) <= 0.01);
      assertTrue(m + " single " + fromOne, rankError(sorted, fromOne, m.rank()) <= 0.01);
    }
  }

  @Test
  public void smallMergesAreExact() {
    // Fewer values than k: every sketch keeps all of them, so the merge is the exact quantile.
    double[] values = {120, 80, 450, 300, 95, 1000, 610, 75, 230, 180};
    List<QosMinute> rows = List.of(
        row("web", 0).liveLatency(4, 950, sketchOf(values, 0, 4)).build(),
        row("ios", 0).liveLatency(3, 1705, sketchOf(values, 4, 7)).build(),
        row("web", 1).liveLatency(3, 485, sketchOf(values, 7, 10)).build());
    QosRollup r = QosRollup.of(rows);
    // Sorted: 75 80 95 120 180 230 300 450 610 1000. Inclusive p50 = 5th = 180; p95 = 10th = 1000.
    assertEquals(180, r.value(QosMetric.LIVE_LATENCY_MS_P50).getAsDouble(), 0);
    assertEquals(1000, r.value(QosMetric.LIVE_LATENCY_MS_P95).getAsDouble(), 0);
    assertEquals(3140 / 10.0, r.value(QosMetric.LIVE_LATENCY_MS_MEAN).getAsDouble(), 1e-9);
    assertFalse(r.value(QosMetric.STARTUP_TIME_MS_P50).isPresent());
    assertFalse(r.value(QosMetric.STARTUP_TIME_MS_MEAN).isPresent());
  }

  @Test
  public void bufferRatioIsARatioOfSumsNotAMeanOfRatios() {
    QosRollup r = QosRollup.of(List.of(
        row("web", 0).playingTimeMs(9_000).bufferingTimeMs(1_000).build(), // 0.1 alone
        row("android", 0).playingTimeMs(1_000).bufferingTimeMs(1_000).build())); // 0.5 alone
    // 2,000 / 12,000, not (0.1 + 0.5) / 2.
    assertEquals(2_000.0 / 12_000, r.value(QosMetric.BUFFER_RATIO).getAsDouble(), 1e-12);
    assertFalse(QosRollup.of(List.of(row("web", 0).build())).bufferRatio().isPresent());
  }

  @Test
  public void concurrentSessionsAddUpWithinAMinuteAndPeakOverMinutes() {
    QosRollup r = QosRollup.of(List.of(
        row("web", 0).concurrentSessions(3).build(),
        row("android", 0).concurrentSessions(2).build(),
        row("web", 1).concurrentSessions(4).build(),
        row("ios", 2).concurrentSessions(1).build()));
    assertEquals(Map.of(M0, 5L, M0 + 60_000, 4L, M0 + 120_000, 1L), r.concurrentSessionsPerMinute());
    assertEquals(5, r.value(QosMetric.CONCURRENT_SESSIONS).getAsDouble(), 0);
  }

  @Test
  public void countsAndRenditionsAreSummed() {
    QosRollup r = QosRollup.of(List.of(
        row("web", 0).errorCount(2).rebufferCount(3).qualityUp(1).qualityDown(4)
            .renditionPlayingMs(Map.of("720p", 30_000L, "480p", 1_500L)).build(),
        row("web", 1).errorCount(1).rebufferCount(5).qualityUp(2)
            .renditionPlayingMs(Map.of("720p", 61_000L)).build()));
    assertEquals(3, r.value(QosMetric.ERROR_COUNT).getAsDouble(), 0);
    assertEquals(8, r.value(QosMetric.REBUFFER_COUNT).getAsDouble(), 0);
    assertEquals(3, r.value(QosMetric.QUALITY_CHANGES_UP).getAsDouble(), 0);
    assertEquals(4, r.value(QosMetric.QUALITY_CHANGES_DOWN).getAsDouble(), 0);
    assertEquals(Map.of("480p", 1.5, "720p", 91.0), r.renditionSecondsPlayed());
  }

  @Test
  public void avroRoundTrip() {
    QosMinute q = QosMinute.builder().account("a").dimensionSet(QosDimensionSet.VIDEO_CLIENT_PLATFORM)
        .video("5555").clientPlatform("ios").minute(M0).concurrentSessions(7).errorCount(1)
        .playingTimeMs(60_000).bufferingTimeMs(250).rebufferCount(2)
        .startup(2, 1_900, sketchOf(new double[] {800, 1100}, 0, 2))
        .liveLatency(1, 4_200, sketchOf(new double[] {4200}, 0, 1))
        .renditionPlayingMs(Map.of("1080p", 60_000L)).qualityUp(1).qualityDown(0).build();
    org.apache.avro.generic.GenericRecord record = QosMinuteAvro.toRecord(q, 3);
    assertTrue(org.apache.avro.generic.GenericData.get().validate(QosMinuteAvro.SCHEMA, record));
    assertEquals(q, QosMinuteAvro.fromRecord(record));
    assertEquals(3, QosMinuteAvro.version(record));
    assertArrayEquals(q.startupSketch, QosMinuteAvro.fromRecord(record).startupSketch);
  }

  @Test
  public void platformsAreNormalized() {
    assertEquals(ClientPlatform.WEB, ClientPlatform.normalize(" Web "));
    assertEquals(ClientPlatform.WEB, ClientPlatform.normalize("html5"));
    assertEquals(ClientPlatform.ANDROID, ClientPlatform.normalize("ANDROID"));
    assertEquals(ClientPlatform.IOS, ClientPlatform.normalize("iOS"));
    assertEquals(ClientPlatform.IOS, ClientPlatform.normalize("ipados"));
    assertEquals(ClientPlatform.OTHER, ClientPlatform.normalize("roku"));
    assertEquals(ClientPlatform.UNKNOWN, ClientPlatform.normalize(null));
    assertEquals(ClientPlatform.UNKNOWN, ClientPlatform.normalize("  "));
  }

  @Test
  public void metricNamesAreUniqueAndFound() {
    assertEquals(QosMetric.values().length,
        Arrays.stream(QosMetric.values()).map(QosMetric::apiName).distinct().count());
    assertEquals(QosMetric.STARTUP_TIME_MS_P95, QosMetric.fromApiName("startup_time_ms_p95").get());
    assertEquals(Dimension.CLIENT_PLATFORM, Dimension.fromApiName("client_platform").get());
    assertEquals(QosDimensionSet.VIDEO_CLIENT_PLATFORM,
        QosDimensionSet.fromId("video,client_platform").get());
  }
}
