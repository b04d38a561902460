package org.livemetrics.transforms.qos;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.livemetrics.transforms.qos.QosEvents.at;
import static org.livemetrics.transforms.qos.QosEvents.event;
import static org.livemetrics.transforms.qos.QosEvents.minute;
import static org.livemetrics.transforms.qos.QosEvents.play;
import static org.livemetrics.transforms.qos.QosEvents.qualityChange;
import static org.livemetrics.transforms.qos.QosEvents.summary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;
import org.livemetrics.schemas.MetricType;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMetric;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.schemas.family.FamilyRollup;
import org.livemetrics.schemas.family.ViewerQosFamily;

/**
 * The QoS definitions on a small hand-made story (every expected row worked out by hand from the
 * events), and percentiles on 10,000 random latencies checked against exact ranks computed here.
 */
public class ComputeQosMetricsTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  // Fingerprints as real ones are (64-bit keyed hashes): small hand-picked numbers can collide in
  // the session key, which folds the fingerprint into its hash's starting value by XOR.
  static final long FP_A = 0x9E3779B97F4A7C15L;
  static final long FP_B = 0xC2B2AE3D27D4EB4FL;
  static final long FP_C = 0x165667B19E3779F9L;
  static final long FP_D = 0x27D4EB2F165667C5L;
  static final long FP_E = 0x85EBCA77C2B2AE63L;

  private static ComputeQosMetrics qos() {
    return ComputeQosMetrics.withMaxSummarySpan(java.time.Duration.ofMinutes(5));
  }

  /**
   * Two web sessions (one says "WEB") and an android session of another video, each with a PLAY,
   * a summary 60 s later covering back to the PLAY, and quality changes; a viewer who only loads
   * the player; a "roku" player that only starts.
   */
  static List<PlayerEvent> story() {
    return List.of(
        play(at(0, 10), "v1", FP_A, "a", "web", 800L),
        // Covers [10:00:10, 10:01:10): viewing in 10:00 and 10:01.
        summary(at(1, 10), "v1", FP_A, "a", "web", 55_000, 5_000, 2, 0, 3_000L, "720p"),
        play(at(0, 30), "v1", FP_B, "b", "WEB", 1_200L),
        qualityChange(at(0, 40), "v1", FP_B, "b", "WEB", "down", null, null),
        summary(at(1, 30), "v1", FP_B, "b", "WEB", 40_000, 20_000, 3, 1, 5_000L, "480p"),
        play(at(0, 50), "v2", FP_C, "c", "android", 2_000L),
        // No step_direction: 800 kbps to 1,500 kbps is up.
        qualityChange(at(1, 5), "v2", FP_C, "c", "android", null, 800_000L, 1_500_000L),
        summary(at(1, 50), "v2", FP_C, "c", "android", 60_000, 0, 0, 2, null, null),
        event(MetricType.IMPRESSION, at(0, 20), "v1", FP_D, "d", null).build(),
        play(at(2, 0), "v1", FP_E, "e", "roku", null));
  }

  static String row(QosDimensionSet set, String video, String platform, int minute,
      String values) {
    return set.id() + "[1234" + (video == null ? "" : "/" + video) + "/" + platform + " @"
        + minute(minute) + "] " + values;
  }

  static String accountRow(QosDimensionSet set, String value, int minute, String values) {
    return set.id() + "[1234/" + value + " @" + minute(minute) + "] " + values;
  }

  static List<String> storyRows() {
    String web0 = "sessions=2 errors=0 playing_ms=0 buffering_ms=0 rebuffers=0 startup=2/2000"
        + " live_latency=0/0 renditions={} up=0 down=1";
    String web1 = "sessions=2 errors=1 playing_ms=95000 buffering_ms=25000 rebuffers=5"
        + " startup=0/0 live_latency=2/8000 renditions={480p=40000, 720p=55000} up=0 down=0";
    String android0 = "sessions=1 errors=0 playing_ms=0 buffering_ms=0 rebuffers=0 startup=1/2000"
        + " live_latency=0/0 renditions={} up=0 down=0";
    String android1 = "sessions=1 errors=2 playing_ms=60000 buffering_ms=0 rebuffers=0"
        + " startup=0/0 live_latency=0/0 renditions={unknown=60000} up=1 down=0";
    String other2 = "sessions=1 errors=0 playing_ms=0 buffering_ms=0 rebuffers=0 startup=0/0"
        + " live_latency=0/0 renditions={} up=0 down=0";
    List<String> rows = new ArrayList<>();
    QosDimensionSet p = QosDimensionSet.CLIENT_PLATFORM;
    QosDimensionSet vp = QosDimensionSet.VIDEO_CLIENT_PLATFORM;
    rows.add(row(p, null, "web", 0, web0));
    rows.add(row(p, null, "web", 1, web1));
    rows.add(row(p, null, "android", 0, android0));
    rows.add(row(p, null, "android", 1, android1));
    rows.add(row(p, null, "other", 2, other2));
    rows.add(row(vp, "v1", "web", 0, web0));
    rows.add(row(vp, "v1", "web", 1, web1));
    rows.add(row(vp, "v2", "android", 0, android0));
    rows.add(row(vp, "v2", "android", 1, android1));
    rows.add(row(vp, "v1", "other", 2, other2));
    // Account-wide by country and by device type: sessions a, b (web) and e (other) watch from
    // the US on a desktop, c (android) from Brazil on a phone, so each row is one platform's.
    for (String[] place : new String[][] {{"US", "BR"}, {"desktop", "mobile"}}) {
      QosDimensionSet set = place[0].equals("US") ? QosDimensionSet.COUNTRY
          : QosDimensionSet.DEVICE_TYPE;
      rows.add(accountRow(set, place[0], 0, web0));
      rows.add(accountRow(set, place[0], 1, web1));
      rows.add(accountRow(set, place[0], 2, other2));
      rows.add(accountRow(set, place[1], 0, android0));
      rows.add(accountRow(set, place[1], 1, android1));
    }
    return rows;
  }

  private static PCollection<String> described(PCollection<QosMinute> rows) {
    return rows.apply("Describe", MapElements.into(TypeDescriptors.strings()).via(QosMinute::toString));
  }

  @Test
  public void storyRowsByPlatformVideoCountryAndDeviceType() {
    PCollection<QosMinute> rows = p.apply(Create.of(story())).apply(qos());
    PAssert.that(described(rows)).containsInAnyOrder(storyRows());
    PAssert.that(rows.apply("Web 10:00", Filter.by(r ->
            r.dimensionSet == QosDimensionSet.CLIENT_PLATFORM && r.clientPlatform.equals("web")
                && r.minute == minute(0))))
        .satisfies(web -> {
          FamilyRollup r = FamilyRollup.of(ViewerQosFamily.DESCRIPTION, web);
          // Startup latencies 800 and 1200: the inclusive median is the lower one.
          assertEquals(800, r.value(QosMetric.STARTUP_TIME_MS_P50).getAsDouble(), 0);
          assertEquals(1200, r.value(QosMetric.STARTUP_TIME_MS_P95).getAsDouble(), 0);
          assertEquals(1000, r.value(QosMetric.STARTUP_TIME_MS_MEAN).getAsDouble(), 0);
          return null;
        });
    PAssert.that(rows.apply("Web rows", Filter.by(r ->
            r.dimensionSet == QosDimensionSet.CLIENT_PLATFORM && r.clientPlatform.equals("web"))))
        .satisfies(web -> {
          FamilyRollup r = FamilyRollup.of(ViewerQosFamily.DESCRIPTION, web);
          // 25 s buffering of 120 s played or buffered; live latencies 3 s and 5 s.
          assertEquals(25_000.0 / 120_000, r.value(QosMetric.BUFFER_RATIO).getAsDouble(), 1e-12);
          assertEquals(4_000, r.value(QosMetric.LIVE_LATENCY_MS_MEAN).getAsDouble(), 0);
          assertEquals(3_000, r.value(QosMetric.LIVE_LATENCY_MS_P50).getAsDouble(), 0);
          assertEquals(5_000, r.value(QosMetric.LIVE_LATENCY_MS_P95).getAsDouble(), 0);
          assertEquals(2, r.value(QosMetric.CONCURRENT_SESSIONS).getAsDouble(), 0);
          assertEquals(5, r.value(QosMetric.REBUFFER_COUNT).getAsDouble(), 0);
          return null;
        });
    p.run();
  }

  /**
   * Rendition names come from the player: a flood of made-up names must not grow a row without
   * bound. Past MAX_RENDITIONS names the time goes to (other), in the fold and when partial rows
   * merge (a tiny buffer emits them early here), and the total stays exact.
   */
  @Test
  public void aFloodOfRenditionNamesIsBoundedAndTheTotalKept() {
    assertFloodBounded(2_000_000);
  }

  @Test
  public void aFloodOfRenditionNamesStaysBoundedWhenPartialRowsMerge() {
    assertFloodBounded(50);
  }

  private void assertFloodBounded(int buffered) {
    int names = ViewerQosFamily.MAX_RENDITIONS * 4;
    List<PlayerEvent> events = new ArrayList<>();
    for (int i = 0; i < names; i++) {
      events.add(summary(at(0, i % 60), "v1", 1, "a", "web", 1_000, 0, 0, 0, null,
          "made-up-" + i));
    }
    events.add(summary(at(0, 5), "v1", 1, "a", "web", 7, 0, 0, 0, null, "720p"));
    PCollection<QosMinute> rows = p.apply(Create.of(events))
        .apply(qos().withMaxBufferedEntries(buffered))
        .apply(Filter.by(r -> r.dimensionSet == QosDimensionSet.CLIENT_PLATFORM
            && r.minute == minute(0))); // (the summaries' spans also mark the minute before)
    PAssert.that(rows).satisfies(all -> {
      QosMinute row = all.iterator().next();
      assertTrue(row.renditionPlayingMs.size() + " names",
          row.renditionPlayingMs.size() <= ViewerQosFamily.MAX_RENDITIONS + 1);
      assertTrue(row.renditionPlayingMs.containsKey(ViewerQosFamily.OTHER_RENDITIONS));
      assertEquals(names * 1_000L + 7, row.renditionPlayingMs.values().stream()
          .mapToLong(Long::longValue).sum());
      assertEquals(names * 1_000L + 7, row.count(ViewerQosFamily.PLAYING_TIME_MS_FIELD));
      return null;
    });
    p.run();
  }

  @Test
  public void earlyEmittedPartialRowsMergeToTheSameRows() {
    PCollection<QosMinute> rows =
        p.apply(Create.of(story())).apply(qos().withMaxBufferedEntries(1));
    PAssert.that(described(rows)).containsInAnyOrder(storyRows());
    p.run();
  }

  @Test
  public void minuteRangeKeepsOnlyItsMinutes() {
    PCollection<QosMinute> rows = p.apply(Create.of(story()))
        .apply(qos().withMinuteRange(minute(1), minute(2)));
    List<String> expected = new ArrayList<>();
    for (String r : storyRows()) {
      if (r.contains("@" + minute(1) + "]")) {
        expected.add(r);
      }
    }
    assertEquals(4 + 2 + 2, expected.size()); // platforms, videos × platforms, countries, devices
    PAssert.that(described(rows)).containsInAnyOrder(expected);
    p.run();
  }

  // ---- percentiles on many values -----------------------------------------------------------

  static final String[] PLATFORMS = {"web", "android", "ios", null};

  /** The rank error of {@code answer} as the {@code rank} quantile of {@code sorted} (0 if exact). */
  static double rankError(double[] sorted, double answer, double rank) {
    int below = 0;
    int atOrBelow = 0;
    for (double v : sorted) {
      below += v < answer ? 1 : 0;
      atOrBelow += v <= answer ? 1 : 0;
    }
    double lo = (double) below / sorted.length;
    double hi = (double) atOrBelow / sorted.length;
    return rank < lo ? lo - rank : rank > hi ? rank - hi : 0;
  }

  @Test
  public void tenThousandStartupTimesP50AndP95WithinOnePercentAfterMergingMinutesAndPlatforms() {
    SplittableRandom random = new SplittableRandom(2026);
    List<PlayerEvent> events = new ArrayList<>();
    Map<String, List<Double>> byPlatform = new HashMap<>();
    Map<Long, Long> sessionsPerMinute = new TreeMap<>();
    long sum = 0;
    for (int i = 0; i < 10_000; i++) {
      // Exponential-ish startup times with a long tail: 200 ms plus up to ~10 s.
      long ms = 200 + (long) (-900 * Math.log(1 - random.nextDouble()));
      String platform = PLATFORMS[random.nextInt(PLATFORMS.length)];
      int m = random.nextInt(10);
      long time = at(m, random.nextInt(60));
      events.add(play(time, "v" + random.nextInt(3), random.nextLong(), "s" + i, platform, ms));
      byPlatform.computeIfAbsent(platform == null ? "unknown" : platform, k -> new ArrayList<>())
          .add((double) ms);
      sessionsPerMinute.merge(minute(m), 1L, Long::sum);
      sum += ms;
    }
    double[] all = events.stream().mapToDouble(e -> e.startupLatencyMs).sorted().toArray();
    long exactSum = sum;
    PCollection<QosMinute> rows = p.apply(Create.of(events)).apply(qos());
    PAssert.that(rows.apply("Platform rows",
            Filter.by(r -> r.dimensionSet == QosDimensionSet.CLIENT_PLATFORM)))
        .satisfies(platformRows -> {
          FamilyRollup merged = FamilyRollup.of(ViewerQosFamily.DESCRIPTION, platformRows);
          assertEquals(10_000, merged.sum(ViewerQosFamily.STARTUP_COUNT_FIELD));
          assertEquals((double) exactSum / 10_000, merged.value(QosMetric.STARTUP_TIME_MS_MEAN).getAsDouble(), 1e-9);
          assertEquals(sessionsPerMinute, merged.perMinute(ViewerQosFamily.CONCURRENT_SESSIONS_FIELD));
          for (double rank : new double[] {0.5, 0.95}) {
            double q = merged.sketch(ViewerQosFamily.STARTUP_SKETCH_FIELD).quantile(rank);
            double error = rankError(all, q, rank);
            assertTrue("all platforms p" + rank + "=" + q + " rank error " + error, error <= 0.01);
          }
          for (Map.Entry<String, List<Double>> e : byPlatform.entrySet()) {
            List<QosMinute> mine = new ArrayList<>();
            platformRows.forEach(r -> {
              if (r.clientPlatform.equals(e.getKey())) {
                mine.add(r);
              }
            });
            double[] exact = e.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
            FamilyRollup one = FamilyRollup.of(ViewerQosFamily.DESCRIPTION, mine);
            assertEquals(exact.length, one.sum(ViewerQosFamily.STARTUP_COUNT_FIELD));
            for (double rank : new double[] {0.5, 0.95}) {
              double q = one.sketch(ViewerQosFamily.STARTUP_SKETCH_FIELD).quantile(rank);
              assertTrue(e.getKey() + " p" + rank + "=" + q, rankError(exact, q, rank) <= 0.01);
            }
          }
          return null;
        });
    // The {video, client_platform} rows add up to the same totals.
    PAssert.that(rows.apply("Video rows",
            Filter.by(r -> r.dimensionSet == QosDimensionSet.VIDEO_CLIENT_PLATFORM)))
        .satisfies(videoRows -> {
          FamilyRollup merged = FamilyRollup.of(ViewerQosFamily.DESCRIPTION, videoRows);
          assertEquals(10_000, merged.sum(ViewerQosFamily.STARTUP_COUNT_FIELD));
          assertEquals(sessionsPerMinute, merged.perMinute(ViewerQosFamily.CONCURRENT_SESSIONS_FIELD));
          double q = merged.value(QosMetric.STARTUP_TIME_MS_P95).getAsDouble();
          assertTrue("p95 " + q, rankError(all, q, 0.95) <= 0.01);
          return null;
        });
    p.run();
    assertTrue(Arrays.stream(all).min().getAsDouble() >= 200);
  }
}
