package org.livemetrics.schemas.family;

import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_SKETCH_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_SUM_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_SUM_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.BUFFERING_TIME_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.ERROR_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.EXITS_BEFORE_VIDEO_START_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYBACK_ATTEMPTS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYBACK_FAILURES_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYING_TIME_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.QUALITY_CHANGES_DOWN_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.QUALITY_CHANGES_UP_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.REBUFFER_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.SESSIONS_LOADED_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.SESSIONS_PLAYED_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.SESSIONS_REBUFFERED_FIELD;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.livemetrics.schemas.QosMinuteTest.M0;
import static org.livemetrics.schemas.QosMinuteTest.latencies;
import static org.livemetrics.schemas.QosMinuteTest.rankError;
import static org.livemetrics.schemas.QosMinuteTest.sketchOf;
import static org.livemetrics.schemas.family.ViewerQosFamily.CONCURRENT_SESSIONS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.ERROR_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYING_TIME_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.RENDITION_PLAYING_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_SKETCH_FIELD;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.junit.Test;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.LatencySketch;
import org.livemetrics.schemas.Metric;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMetric;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.schemas.family.MetricFamilyDescription.MetricDescription;
import org.livemetrics.schemas.family.MetricFamilyDescription.Rollup;
import org.livemetrics.schemas.family.MetricFamilyDescription.Unit;

/**
 * Rows combined as each metric's declared roll-up says, which is how the query layer answers:
 * sums, ratios of sums, peaks of per-minute totals, and percentiles from merged KLL sketches
 * checked against exact ranks computed here by sorting. A metric declared in a description over
 * stored fields is answered with no other code.
 */
public class FamilyRollupTest {
  private static final MetricFamilyDescription QOS = ViewerQosFamily.DESCRIPTION;

  private static QosMinute.Builder row(String platform, int minute) {
    return QosMinute.builder().account("a").dimensionSet(QosDimensionSet.CLIENT_PLATFORM)
        .clientPlatform(platform).minute(M0 + minute * 60_000L);
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
          .count(STARTUP_COUNT_FIELD, to - from).count(STARTUP_SUM_MS_FIELD, sum)
          .sketch(STARTUP_SKETCH_FIELD, sketchOf(values, from, to)).build());
    }
    FamilyRollup all = FamilyRollup.of(QOS, rows);
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    assertEquals(240, all.rows());
    assertEquals(10_000, all.sum(STARTUP_COUNT_FIELD));
    assertEquals((double) exactSum / 10_000,
        all.value(QosMetric.STARTUP_TIME_MS_MEAN).getAsDouble(), 1e-9);
    KllDoublesSketch merged = LatencySketch.heapify(all.sketch(STARTUP_SKETCH_FIELD).toByteArray());
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
    FamilyRollup r = FamilyRollup.of(QOS, List.of(
        row("web", 0).count(LIVE_LATENCY_COUNT_FIELD, 4).count(LIVE_LATENCY_SUM_MS_FIELD, 950)
            .sketch(LIVE_LATENCY_SKETCH_FIELD, sketchOf(values, 0, 4)).build(),
        row("ios", 0).count(LIVE_LATENCY_COUNT_FIELD, 3).count(LIVE_LATENCY_SUM_MS_FIELD, 1705)
            .sketch(LIVE_LATENCY_SKETCH_FIELD, sketchOf(values, 4, 7)).build(),
        row("web", 1).count(LIVE_LATENCY_COUNT_FIELD, 3).count(LIVE_LATENCY_SUM_MS_FIELD, 485)
            .sketch(LIVE_LATENCY_SKETCH_FIELD, sketchOf(values, 7, 10)).build()));
    // Sorted: 75 80 95 120 180 230 300 450 610 1000. Inclusive p50 = 5th = 180; p95 = 10th = 1000.
    assertEquals(180, r.value(QosMetric.LIVE_LATENCY_MS_P50).getAsDouble(), 0);
    assertEquals(1000, r.value(QosMetric.LIVE_LATENCY_MS_P95).getAsDouble(), 0);
    assertEquals(3140 / 10.0, r.value(QosMetric.LIVE_LATENCY_MS_MEAN).getAsDouble(), 1e-9);
    assertFalse(r.value(QosMetric.STARTUP_TIME_MS_P50).isPresent());
    assertFalse(r.value(QosMetric.STARTUP_TIME_MS_MEAN).isPresent());
  }

  @Test
  public void ratiosAreRatiosOfSumsNotMeansOfRatios() {
    FamilyRollup r = FamilyRollup.of(QOS, List.of(
        row("web", 0).count(PLAYING_TIME_MS_FIELD, 9_000).count(BUFFERING_TIME_MS_FIELD, 1_000)
            .count(SESSIONS_LOADED_FIELD, 4).count(EXITS_BEFORE_VIDEO_START_FIELD, 1)
            .count(PLAYBACK_ATTEMPTS_FIELD, 0).count(PLAYBACK_FAILURES_FIELD, 0)
            .count(SESSIONS_PLAYED_FIELD, 0)
            .count(SESSIONS_REBUFFERED_FIELD, 0).build(), // 0.1 and 0.25 alone
        row("android", 0).count(PLAYING_TIME_MS_FIELD, 1_000).count(BUFFERING_TIME_MS_FIELD, 1_000)
            .count(SESSIONS_LOADED_FIELD, 1).count(EXITS_BEFORE_VIDEO_START_FIELD, 1)
            .count(PLAYBACK_ATTEMPTS_FIELD, 0).count(PLAYBACK_FAILURES_FIELD, 0)
            .count(SESSIONS_PLAYED_FIELD, 0)
            .count(SESSIONS_REBUFFERED_FIELD, 0).build())); // 0.5 and 1.0 alone
    // 2,000 / 12,000, not (0.1 + 0.5) / 2; 2 / 5, not (0.25 + 1) / 2.
    assertEquals(2_000.0 / 12_000, r.value(QosMetric.BUFFER_RATIO).getAsDouble(), 1e-12);
    assertEquals(2.0 / 5, r.value(QosMetric.EXITS_BEFORE_VIDEO_START_PERCENTAGE).getAsDouble(),
        1e-12);
    assertEquals(2, r.value(QosMetric.EXITS_BEFORE_VIDEO_START).getAsDouble(), 0);
    // Nothing played or loaded: no ratio, not 0.
    FamilyRollup empty = FamilyRollup.of(QOS, List.of(row("web", 0).build()));
    assertFalse(empty.value(QosMetric.BUFFER_RATIO).isPresent());
    assertFalse(empty.value(QosMetric.PLAYBACK_FAILURE_PERCENTAGE).isPresent());
  }

  @Test
  public void concurrentSessionsAddUpWithinAMinuteAndPeakOverMinutes() {
    FamilyRollup r = FamilyRollup.of(QOS, List.of(
        row("web", 0).concurrentSessions(3).build(),
        row("android", 0).concurrentSessions(2).build(),
        row("web", 1).concurrentSessions(4).build(),
        row("ios", 2).concurrentSessions(1).build()));
    assertEquals(Map.of(M0, 5L, M0 + 60_000, 4L, M0 + 120_000, 1L),
        r.perMinute(CONCURRENT_SESSIONS_FIELD));
    assertEquals(5, r.value(QosMetric.CONCURRENT_SESSIONS).getAsDouble(), 0);
    assertEquals(0, FamilyRollup.of(QOS).value(QosMetric.CONCURRENT_SESSIONS).getAsDouble(), 0);
  }

  @Test
  public void countsAndRenditionsAreSummed() {
    FamilyRollup r = FamilyRollup.of(QOS, List.of(
        row("web", 0).count(ERROR_COUNT_FIELD, 2).count(REBUFFER_COUNT_FIELD, 3)
            .count(QUALITY_CHANGES_UP_FIELD, 1).count(QUALITY_CHANGES_DOWN_FIELD, 4)
            .renditionPlayingMs(Map.of("720p", 30_000L, "480p", 1_500L)).build(),
        row("web", 1).count(ERROR_COUNT_FIELD, 1).count(REBUFFER_COUNT_FIELD, 5)
            .count(QUALITY_CHANGES_UP_FIELD, 2)
            .renditionPlayingMs(Map.of("720p", 61_000L)).build()));
    assertEquals(3, r.value(QosMetric.ERROR_COUNT).getAsDouble(), 0);
    assertEquals(8, r.value(QosMetric.REBUFFER_COUNT).getAsDouble(), 0);
    assertEquals(3, r.value(QosMetric.QUALITY_CHANGES_UP).getAsDouble(), 0);
    assertEquals(4, r.value(QosMetric.QUALITY_CHANGES_DOWN).getAsDouble(), 0);
    assertEquals(Map.of("480p", 1_500L, "720p", 91_000L), r.perKey(RENDITION_PLAYING_MS_FIELD));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> r.value(QosMetric.RENDITION_SECONDS_PLAYED));
    assertTrue(e.getMessage(), e.getMessage().contains("rendition_seconds_played"));
  }

  @Test
  public void broadcastRowsPeakLiveChannelsAndSumStarvation() {
    FamilyRollup r = FamilyRollup.of(BroadcastFamily.DESCRIPTION, List.of(
        new BroadcastMinute(BroadcastMinute.Scope.REGION, "eu-west-1", null, null, 0, 2, 1, 30_000),
        new BroadcastMinute(BroadcastMinute.Scope.REGION, "us-east-1", null, null, 0, 1, 0, 0),
        new BroadcastMinute(BroadcastMinute.Scope.REGION, "eu-west-1", null, null, 60_000, 2, 0,
            15_500)));
    assertEquals(3, r.value(QosMetric.CHANNEL_CONCURRENCY).getAsDouble(), 0);
    assertEquals(1, r.value(QosMetric.STARVATION_COUNT).getAsDouble(), 0);
    // Stored in ms, summed exactly; the API turns it into seconds.
    assertEquals(45_500, r.value(QosMetric.STARVATION_SECONDS).getAsDouble(), 0);
  }

  /** Every QoS and broadcast metric is answered by its declared roll-up, none by other code. */
  @Test
  public void everyQosAndBroadcastMetricIsAnsweredFromItsDescription() {
    QosMinute qos = row("web", 0).concurrentSessions(2).count(ERROR_COUNT_FIELD, 1)
        .count(PLAYING_TIME_MS_FIELD, 50_000)
        .count(BUFFERING_TIME_MS_FIELD, 10_000)
        .count(REBUFFER_COUNT_FIELD, 1).count(STARTUP_COUNT_FIELD, 1)
        .count(STARTUP_SUM_MS_FIELD, 900)
        .sketch(STARTUP_SKETCH_FIELD, sketchOf(new double[] {900}, 0, 1))
        .count(LIVE_LATENCY_COUNT_FIELD, 1).count(LIVE_LATENCY_SUM_MS_FIELD, 3_000)
        .sketch(LIVE_LATENCY_SKETCH_FIELD, sketchOf(new double[] {3_000}, 0, 1))
        .renditionPlayingMs(Map.of("720p", 50_000L)).count(QUALITY_CHANGES_UP_FIELD, 1)
        .count(QUALITY_CHANGES_DOWN_FIELD, 1)
        .count(SESSIONS_LOADED_FIELD, 1).count(EXITS_BEFORE_VIDEO_START_FIELD, 1)
        .count(PLAYBACK_ATTEMPTS_FIELD, 2).count(PLAYBACK_FAILURES_FIELD, 1)
        .count(SESSIONS_PLAYED_FIELD, 1).count(SESSIONS_REBUFFERED_FIELD, 1).build();
    BroadcastMinute broadcast =
        new BroadcastMinute(BroadcastMinute.Scope.ALL, null, null, null, 0, 1, 1, 1_000);
    for (QosMetric m : QosMetric.values()) {
      boolean player = m.source() == QosMetric.Source.PLAYER;
      FamilyRollup r = FamilyRollup.of(player ? QOS : BroadcastFamily.DESCRIPTION,
          List.of(player ? qos : broadcast));
      if (m.described().rollup() instanceof Rollup.PerKeySum p) {
        assertEquals(m.apiName(), Map.of("720p", 50_000L), r.perKey(p.field()));
      } else {
        assertTrue(m.apiName(), r.value(m).isPresent());
      }
    }
  }

  private enum Added { ERRORS_PER_PLAYING_MINUTE, PEAK_ERRORS, SESSIONS_IN_ALL_MINUTES }

  /**
   * What issue 14 asks of the model: a metric over stored fields is one declaration. Three are
   * added to the QoS family's description here, and answered with no other code.
   */
  @Test
  public void aMetricAddedToTheDescriptionIsAnsweredWithNoOtherCode() {
    MetricFamilyDescription extended = qosWith(
        new MetricDescription(Added.ERRORS_PER_PLAYING_MINUTE, "errors_per_playing_ms",
            "Errors per millisecond played", Unit.RATIO, "Σ error_count, Σ playing_time_ms",
            new Rollup.Ratio(ERROR_COUNT_FIELD, List.of(PLAYING_TIME_MS_FIELD)), null),
        new MetricDescription(Added.PEAK_ERRORS, "peak_errors",
            "The most errors in one minute", Unit.COUNT, "Σ error_count",
            new Rollup.Peak(ERROR_COUNT_FIELD), null),
        new MetricDescription(Added.SESSIONS_IN_ALL_MINUTES, "session_minutes",
            "Session-minutes", Unit.COUNT, "concurrent_sessions",
            new Rollup.Sum(CONCURRENT_SESSIONS_FIELD), null));
    FamilyRollup r = FamilyRollup.of(extended, List.of(
        row("web", 0).count(ERROR_COUNT_FIELD, 2)
            .count(PLAYING_TIME_MS_FIELD, 60_000).concurrentSessions(3).build(),
        row("ios", 0).count(ERROR_COUNT_FIELD, 1)
            .count(PLAYING_TIME_MS_FIELD, 30_000).concurrentSessions(1).build(),
        row("web", 1).count(ERROR_COUNT_FIELD, 4)
            .count(PLAYING_TIME_MS_FIELD, 10_000).concurrentSessions(2).build()));
    assertEquals(7.0 / 100_000, r.value(Added.ERRORS_PER_PLAYING_MINUTE).getAsDouble(), 1e-15);
    assertEquals(4, r.value(Added.PEAK_ERRORS).getAsDouble(), 0); // minute 1: 4 > 2 + 1
    assertEquals(6, r.value(Added.SESSIONS_IN_ALL_MINUTES).getAsDouble(), 0);
    // The family's own metrics are unchanged beside them.
    assertEquals(4, r.value(QosMetric.CONCURRENT_SESSIONS).getAsDouble(), 0);
  }

  /** The QoS family's description with {@code added} metrics after its own. */
  private static MetricFamilyDescription qosWith(MetricDescription... added) {
    List<MetricDescription> metrics = new ArrayList<>(QOS.metrics());
    metrics.addAll(List.of(added));
    return new MetricFamilyDescription(QOS.name(), QOS.label(), QOS.storeDirectory(), QOS.index(),
        QOS.storedRow(), QOS.storedFields(), QOS.storedSets(), QOS.querySets(), metrics);
  }

  @Test
  public void aRollupOverAFieldOfTheWrongTypeIsRefusedNamingTheMetric() {
    MetricFamilyDescription broken = qosWith(
        new MetricDescription(Added.PEAK_ERRORS, "error_count_p50", "Not a sketch",
            Unit.COUNT, "error_count", new Rollup.Quantile(ERROR_COUNT_FIELD, 0.5), null));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FamilyRollup.of(broken));
    assertTrue(e.getMessage(), e.getMessage().contains("error_count_p50")
        && e.getMessage().contains("BYTES"));
  }

  @Test
  public void distinctCountsAreTheAudienceEnginesNotARowSum() {
    FamilyRollup r = FamilyRollup.of(AudienceFamily.DESCRIPTION);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> r.value(Metric.CCU));
    assertTrue(e.getMessage(), e.getMessage().contains("ccu"));
  }
}
