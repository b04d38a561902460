package org.livemetrics.schemas;

import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_SKETCH_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_SUM_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_SKETCH_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_SUM_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.BUFFERING_TIME_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.ERROR_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYING_TIME_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.QUALITY_CHANGES_DOWN_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.QUALITY_CHANGES_UP_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.REBUFFER_COUNT_FIELD;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.junit.Test;

/**
 * QoS rows and their latency sketches: k gives the rank error the metrics promise (checked against
 * exact ranks computed here by sorting), rows round-trip through Avro, platforms normalize. How
 * rows combine is {@code family.FamilyRollupTest}'s.
 */
public class QosMinuteTest {
  public static final long M0 = 1_795_323_600_000L; // 2026-11-22T05:00Z

  /** Latencies in whole ms, log-normal around 1.1 s like real startup times. */
  public static double[] latencies(long seed, int n) {
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
  public static double rankError(double[] sorted, double answer, double rank) {
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

  public static byte[] sketchOf(double[] values, int from, int to) {
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
  public void avroRoundTrip() {
    QosMinute q = QosMinute.builder().account("a").dimensionSet(QosDimensionSet.VIDEO_CLIENT_PLATFORM)
        .video("5555").clientPlatform("ios").minute(M0).concurrentSessions(7)
        .count(ERROR_COUNT_FIELD, 1)
        .count(PLAYING_TIME_MS_FIELD, 60_000).count(BUFFERING_TIME_MS_FIELD, 250)
        .count(REBUFFER_COUNT_FIELD, 2)
        .count(STARTUP_COUNT_FIELD, 2).count(STARTUP_SUM_MS_FIELD, 1_900)
        .sketch(STARTUP_SKETCH_FIELD, sketchOf(new double[] {800, 1100}, 0, 2))
        .count(LIVE_LATENCY_COUNT_FIELD, 1).count(LIVE_LATENCY_SUM_MS_FIELD, 4_200)
        .sketch(LIVE_LATENCY_SKETCH_FIELD, sketchOf(new double[] {4200}, 0, 1))
        .renditionPlayingMs(Map.of("1080p", 60_000L)).count(QUALITY_CHANGES_UP_FIELD, 1)
        .count(QUALITY_CHANGES_DOWN_FIELD, 0).build();
    org.apache.avro.generic.GenericRecord record = QosMinuteAvro.toRecord(q, 3);
    assertTrue(org.apache.avro.generic.GenericData.get().validate(QosMinuteAvro.SCHEMA, record));
    assertEquals(q, QosMinuteAvro.fromRecord(record));
    assertEquals(3, QosMinuteAvro.version(record));
    assertArrayEquals(q.sketch(STARTUP_SKETCH_FIELD), QosMinuteAvro.fromRecord(record)
        .sketch(STARTUP_SKETCH_FIELD));
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
