package org.livemetrics.testdata;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.testdata.ReferenceMetrics.Fingerprint;
import org.livemetrics.testdata.ReferenceMetrics.Result;
import org.livemetrics.testdata.ReferenceMetrics.Row;
import org.livemetrics.testdata.ReferenceMetrics.SessionKey;

/**
 * ReferenceMetrics on a hand-written archive. Every expected value below was worked out by hand
 * from the records (see the comments), not by running code.
 */
public class ReferenceMetricsTest {

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  /** 2026-11-22T05:00:00Z; minute k of the test starts at M + k * 60 s. */
  private static final long M = Instant.parse("2026-11-22T05:00:00Z").toEpochMilli();

  private static final String V = "6300000000112";
  private static final String ACME = "acme";
  private static final String CHROME =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/120.0.0.0 Safari/537.36";
  private static final String IPHONE =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15"
          + " (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
  private static final String TIZEN =
      "Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " 76.0.3809.146/6.0 TV Safari/537.36";
  private static final String GALAXY_TAB =
      "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/120.0.0.0 Safari/537.36";

  // Viewer A: desktop in the US, watches minutes 0-3 with a summary every 61 s.
  private static final String A_DEVICE =
      "\"ip\":\"203.0.113.10\",\"user_agent\":\"" + CHROME + "\",\"player\":\"web-player-v3\","
          + "\"CloudFront-Viewer-Country\":\"US\",\"CloudFront-Viewer-Country-Name\":\"United States\","
          + "\"CloudFront-Is-Desktop-Viewer\":\"true\",\"CloudFront-Is-Mobile-Viewer\":\"false\","
          + "\"CloudFront-Is-Tablet-Viewer\":\"false\",\"CloudFront-Is-SmartTV-Viewer\":\"false\"";

  private static final List<String> PLAIN_OBJECT =
      List.of(
          a("IMPRESSION", 5_000, ""),
          a("PLAY", 6_000, ",\"startup_latency_ms\":1000"),
          // [6 s, 67 s): minutes 0 and 1.
          a("PLAYBACK_SUMMARY", 67_000, ",\"playing_time_ms\":60000,\"buffering_time_ms\":1000"),
          // [67 s, 128 s): minutes 1 and 2.
          a("PLAYBACK_SUMMARY", 128_000, ",\"playing_time_ms\":61000,\"buffering_time_ms\":0"),
          // Numbers as strings; [128 s, 189 s): minutes 2 and 3.
          a("PLAYBACK_SUMMARY", 189_000,
              ",\"playing_time_ms\":\"60500\",\"buffering_time_ms\":\"500\",\"live_latency_sec\":\"4.2\""),
          a("STOP", 200_000, ",\"end_playback_position_sec\":194.0"),
          // Viewer D: A's device (same fingerprint), another session, an unknown metric type,
          // the video id as a JSON number. Minute 1.
          "{\"metric_type\":\"REBUFFER_START\",\"event_time\":" + (M + 65_000)
              + ",\"channel_watched\":" + V + ",\"session_id\":\"sD\",\"account_id\":\"acme\","
              + A_DEVICE + "}",
          // Dead letters, each of which would count in minute 0 if accepted.
          "{\"metric_type\":\"PLAY\",\"event_ti",
          "42",
          "{\"metric_type\":\"PLAY\",\"event_time\":" + (M + 10_000) + ",\"channel_watched\":\"" + V
              + "\",\"account_id\":\"acme\"," + A_DEVICE + "}",
          "{\"metric_type\":\"PLAY\",\"event_time\":\"yesterday\",\"channel_watched\":\"" + V
              + "\",\"session_id\":\"sX\",\"account_id\":\"acme\"," + A_DEVICE + "}",
          "{\"metric_type\":\"PLAY\",\"event_time\":" + (M + 10_000) / 1000 + ",\"channel_watched\":\""
              + V + "\",\"session_id\":\"sY\",\"account_id\":\"acme\"," + A_DEVICE + "}",
          a("PLAYBACK_SUMMARY", 20_000, ",\"playing_time_ms\":\"abc\",\"buffering_time_ms\":0"),
          "");

  // Viewer B: iPhone, no device flags, country by name only, everything as strings. One summary
  // at exactly 05:04:00 covering [1:00, 4:00): minutes 1, 2, 3, and 4 (its own minute).
  private static final String B_SUMMARY =
      "{\"metric_type\":\"PLAYBACK_SUMMARY\",\"event_time\":\"" + (M + 240_000) + "\","
          + "\"channel_watched\":\"" + V + "\",\"session_id\":\"sB\",\"account_id\":\"acme\","
          + "\"playing_time_ms\":\"170000\",\"buffering_time_ms\":\"10000\",\"is_live\":\"true\","
          + "\"ip\":\"198.51.100.7\",\"user_agent\":\"" + IPHONE + "\",\"player\":\"ios-app-player\","
          + "\"CloudFront-Viewer-Country-Name\":\"Germany\",\"sdk\":{\"v\":[1,2]}}";

  // Viewer E: smart TV in Japan, an impression in minute 2, then a broken object: the rest of the
  // line (including a good-looking PLAY) is one dead letter.
  private static final String E_IMPRESSION =
      "{\"metric_type\":\"IMPRESSION\",\"event_time\":" + (M + 130_000) + ",\"channel_watched\":\""
          + V + "\",\"session_id\":\"sE\",\"account_id\":\"acme\",\"ip\":\"192.0.2.20\","
          + "\"user_agent\":\"" + TIZEN + "\",\"player\":\"tv-app-player\","
          + "\"CloudFront-Viewer-Country\":\"JP\",\"CloudFront-Is-SmartTV-Viewer\":true,"
          + "\"CloudFront-Is-Desktop-Viewer\":false}";
  private static final String E_LINE =
      E_IMPRESSION
          + "{\"metric_type\":\"PLAY\",\"event_time\":17953 garbage}"
          + E_IMPRESSION.replace("IMPRESSION", "PLAY");

  // Viewer F: Android tablet (no flags: from the user agent), invalid code XX but a country name.
  // A PLAY in minute 2, batched in an array with a number.
  private static final String F_ARRAY =
      "[{\"metric_type\":\"PLAY\",\"event_time\":" + (M + 150_000) + ",\"channel_watched\":\"" + V
          + "\",\"session_id\":\"sF\",\"account_id\":\"acme\",\"ip\":\"192.0.2.30\","
          + "\"user_agent\":\"" + GALAXY_TAB + "\",\"player\":\"android-app-player\","
          + "\"CloudFront-Viewer-Country\":\"XX\",\"CloudFront-Viewer-Country-Name\":\"Brazil\"},7]";

  // Viewer C: no ip or user agent, so identified by user; CloudFront says tablet and mobile (tablet
  // wins); country "fr"; no account (default). Two sessions with an ad each in minute 1, and a
  // third device with neither ip, user agent nor user id (identified by session).
  private static final List<String> GZIP_OBJECT =
      List.of(
          c("c1", 70_000, ",\"user_id\":\"u-77\""),
          c("c2", 80_000, ",\"user_id\":\"u-77\",\"account_id\":\"\""),
          c("c3", 90_000, ""));

  private static Result result;

  private static String a(String type, long offset, String extra) {
    return "{\"metric_type\":\"" + type + "\",\"event_time\":" + (M + offset)
        + ",\"channel_watched\":\"" + V + "\",\"session_id\":\"sA\",\"user_id\":\"u-1\","
        + "\"account_id\":\"acme\"" + extra + "," + A_DEVICE + "}";
  }

  private static String c(String session, long offset, String extra) {
    return "{\"metric_type\":\"AD_START\",\"event_time\":" + (M + offset)
        + ",\"channel_watched\":\"" + V + "\",\"session_id\":\"" + session + "\"" + extra
        + ",\"player\":\"web-player-v3\",\"CloudFront-Viewer-Country\":\"fr\","
        + "\"CloudFront-Is-Tablet-Viewer\":\"true\",\"CloudFront-Is-Mobile-Viewer\":\"true\"}";
  }

  @BeforeClass
  public static void writeArchive() throws IOException {
    Path root = TMP.newFolder("archive").toPath();
    Path hour = Files.createDirectories(root.resolve("2026/11/22/05"));
    Files.write(hour.resolve("plain-ndjson"), PLAIN_OBJECT, StandardCharsets.UTF_8);
    // Concatenated objects with no separator, and an array, on the lines of one object.
    Files.writeString(hour.resolve("plain-concatenated"),
        B_SUMMARY + "\n" + E_LINE + "\n" + F_ARRAY, StandardCharsets.UTF_8);
    // Gzip without a .gz suffix: the reader must sniff the magic bytes.
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(hour.resolve("gzipped")))) {
      out.write(String.join("", GZIP_OBJECT).getBytes(StandardCharsets.UTF_8));
    }
    result = ReferenceMetrics.withDefaults().compute(root);
  }

  private static long minute(int k) {
    return M + k * 60_000L;
  }

  private static Row row(String account, String set, String secondary, int minute) {
    return result.row(account, set, V, secondary, minute(minute))
        .orElseThrow(() -> new AssertionError(
            "no row " + account + " " + set + " " + secondary + " minute " + minute));
  }

  /** impression, view, ad, seconds_ms, ccu, fingerprint_count. */
  private static void assertRow(
      String account, String set, String secondary, int minute, long... expected) {
    Row r = row(account, set, secondary, minute);
    long[] actual = {
      r.videoImpression(), r.videoView(), r.aliveSsAdStart(), r.videoSecondsViewedMs(), r.ccu(),
      r.fingerprintCount()
    };
    assertEquals(
        account + " " + set + " " + secondary + " minute " + minute + " " + r,
        java.util.Arrays.toString(expected), java.util.Arrays.toString(actual));
  }

  /**
   * Viewer QoS by country (account-wide), every row: A (US) PLAY at 0:06 with a 1000 ms startup,
   * summaries in minutes 1 (60000 played, 1000 buffering), 2 (61000) and 3 (60500, 500), each also
   * marking the minute before; D (US) in minute 1. B (DE, by name) one summary in minute 4
   * (170000, 10000) covering minutes 1-3. F (BR, by name) a PLAY without startup in minute 2.
   * C's three sessions (FR, default account) in minute 1. E (JP) only an IMPRESSION: no row.
   */
  @Test
  public void qosRowsByCountryOfEveryViewingEvent() {
    String zero = " errors=0 playing_ms=0 buffering_ms=0 rebuffers=0 startup=0/0";
    Map<String, String> expected = new java.util.TreeMap<>();
    expected.put("acme/BR@2", "sessions=1" + zero);
    for (int m = 1; m <= 3; m++) {
      expected.put("acme/DE@" + m, "sessions=1" + zero);
    }
    expected.put("acme/DE@4", "sessions=1 errors=0 playing_ms=170000 buffering_ms=10000"
        + " rebuffers=0 startup=0/0");
    expected.put("acme/US@0", "sessions=1 errors=0 playing_ms=0 buffering_ms=0 rebuffers=0"
        + " startup=1/1000");
    expected.put("acme/US@1", "sessions=2 errors=0 playing_ms=60000 buffering_ms=1000"
        + " rebuffers=0 startup=0/0");
    expected.put("acme/US@2", "sessions=1 errors=0 playing_ms=61000 buffering_ms=0"
        + " rebuffers=0 startup=0/0");
    expected.put("acme/US@3", "sessions=1 errors=0 playing_ms=60500 buffering_ms=500"
        + " rebuffers=0 startup=0/0");
    expected.put("default/FR@1", "sessions=3" + zero);
    Map<String, String> actual = new java.util.TreeMap<>();
    result.qosRows().forEach((k, v) -> {
      if (k.dimensionSet().equals(ReferenceMetrics.QOS_COUNTRY)) {
        actual.put(k.account() + "/" + k.value() + "@" + (k.minuteStartMs() - M) / 60_000,
            v.toString());
      }
    });
    assertEquals(expected, actual);
    // By device type: A and D share A's desktop; C is a tablet by its flags, F by its agent.
    assertEquals("sessions=2 errors=0 playing_ms=60000 buffering_ms=1000 rebuffers=0"
        + " startup=0/0", result.qosRows().get(new ReferenceMetrics.QosRowKey(ACME,
            ReferenceMetrics.QOS_DEVICE_TYPE, "desktop", minute(1))).toString());
    assertEquals(3, result.qosRows().get(new ReferenceMetrics.QosRowKey("default",
        ReferenceMetrics.QOS_DEVICE_TYPE, "tablet", minute(1))).concurrentSessions());
    assertEquals(1, result.qosRows().get(new ReferenceMetrics.QosRowKey(ACME,
        ReferenceMetrics.QOS_DEVICE_TYPE, "tablet", minute(2))).concurrentSessions());
  }

  @Test
  public void countsRecordsAndDeadLettersByReason() {
    // A1-A6, D1, B1, E1, F1, C1-C3.
    assertEquals(13, result.validRecords());
    assertEquals(
        Map.of("malformed_json", 2L, "not_an_object", 2L, "missing_field", 1L, "invalid_field", 3L),
        result.badRecordsByReason());
    assertEquals(8, result.badRecords());
    assertEquals(3, result.files());
  }

  @Test
  public void videoRowsOfAContinuousViewerAndASummarySpanningThreeMinutes() {
    // minute 0: A's IMPRESSION and PLAY; A viewing (PLAY, and the first summary's span).
    assertRow(ACME, "video", "", 0, 1, 1, 0, 0, 1, 1);
    // minute 1: A's first summary (60 s); A, D (A's device) and B viewing.
    assertRow(ACME, "video", "", 1, 0, 0, 0, 60_000, 3, 2);
    // minute 2: A's second summary; E's IMPRESSION; F's PLAY; A, B, F viewing.
    assertRow(ACME, "video", "", 2, 1, 1, 0, 61_000, 3, 3);
    // minute 3: A's third summary (strings) and STOP; A and B viewing.
    assertRow(ACME, "video", "", 3, 0, 0, 0, 60_500, 2, 2);
    // minute 4: B's summary, 170 s of playing, in the minute of its event_time.
    assertRow(ACME, "video", "", 4, 0, 0, 0, 170_000, 1, 1);
    assertFalse(result.row(ACME, "video", V, "", minute(5)).isPresent());
    assertFalse(result.row(ACME, "video", V, "", minute(-1)).isPresent());
    assertEquals(5, result.series(ACME, "video", V, "").size());
  }

  @Test
  public void countryRows() {
    assertRow(ACME, "video,country", "US", 0, 1, 1, 0, 0, 1, 1);
    assertRow(ACME, "video,country", "US", 1, 0, 0, 0, 60_000, 2, 1);
    assertRow(ACME, "video,country", "US", 2, 0, 0, 0, 61_000, 1, 1);
    assertRow(ACME, "video,country", "US", 3, 0, 0, 0, 60_500, 1, 1);
    assertEquals(4, result.series(ACME, "video,country", V, "US").size());
    // B: name only.
    assertEquals(4, result.series(ACME, "video,country", V, "DE").size());
    assertRow(ACME, "video,country", "DE", 1, 0, 0, 0, 0, 1, 1);
    assertRow(ACME, "video,country", "DE", 4, 0, 0, 0, 170_000, 1, 1);
    // E: an impression makes a row, with nobody viewing.
    assertRow(ACME, "video,country", "JP", 2, 1, 0, 0, 0, 0, 0);
    assertEquals(1, result.series(ACME, "video,country", V, "JP").size());
    // F: code XX is not ISO, the name is.
    assertRow(ACME, "video,country", "BR", 2, 0, 1, 0, 0, 1, 1);
    assertEquals(1, result.series(ACME, "video,country", V, "BR").size());
    assertTrue(result.series(ACME, "video,country", V, "XX").isEmpty());
  }

  @Test
  public void deviceTypeRows() {
    assertRow(ACME, "video,device_type", "desktop", 1, 0, 0, 0, 60_000, 2, 1);
    // B: no flags, iPhone user agent.
    assertRow(ACME, "video,device_type", "mobile", 2, 0, 0, 0, 0, 1, 1);
    assertRow(ACME, "video,device_type", "smart_tv", 2, 1, 0, 0, 0, 0, 0);
    // F: no flags, Android tablet user agent.
    assertRow(ACME, "video,device_type", "tablet", 2, 0, 1, 0, 0, 1, 1);
  }

  @Test
  public void recordsWithoutAccountGoToTheDefaultAccountAndFingerprintFallsBackToUserOrSession() {
    // C1, C2 (user u-77, two sessions), C3 (session only): three ads in minute 1.
    assertRow("default", "video", "", 1, 0, 0, 3, 0, 3, 2);
    assertRow("default", "video,country", "FR", 1, 0, 0, 3, 0, 3, 2);
    assertRow("default", "video,device_type", "tablet", 1, 0, 0, 3, 0, 3, 2);
    assertThat(
        row("default", "video", "", 1).fingerprints(),
        containsInAnyOrder(Fingerprint.of("user", "u-77"), Fingerprint.of("session", "c3")));
    assertEquals(1, result.series("default", "video", V, "").size());
  }

  @Test
  public void distinctKeysOverARange() {
    Fingerprint fpA = Fingerprint.of("203.0.113.10", CHROME, "web-player-v3");
    Fingerprint fpB = Fingerprint.of("198.51.100.7", IPHONE, "ios-app-player");
    Fingerprint fpF = Fingerprint.of("192.0.2.30", GALAXY_TAB, "android-app-player");
    assertThat(
        result.distinctSessions(ACME, "video", V, "", minute(0), minute(5)),
        containsInAnyOrder(
            new SessionKey(fpA, "sA"), new SessionKey(fpA, "sD"), new SessionKey(fpB, "sB"),
            new SessionKey(fpF, "sF")));
    assertThat(
        result.distinctFingerprints(ACME, "video", V, "", minute(0), minute(5)),
        containsInAnyOrder(fpA, fpB, fpF));
    // Minutes 3 and 4 only: A and B.
    assertThat(result.distinctFingerprints(ACME, "video", V, "", minute(3), minute(5)),
        containsInAnyOrder(fpA, fpB));
    assertThat(result.sum("video_seconds_viewed_ms", ACME, "video", V, "", minute(0), minute(5)),
        is(60_000L + 61_000 + 60_500 + 170_000));
  }

  @Test
  public void capsTheSummarySpan() {
    // With a 60 s cap B's summary reaches back to 3:00 only: minutes 3 and 4.
    Result capped =
        ReferenceMetrics.withDefaults().withMaxSummarySpanMs(60_000).computeLines(List.of(B_SUMMARY));
    assertEquals(2, capped.series(ACME, "video", V, "").size());
    assertEquals(1, capped.row(ACME, "video", V, "", minute(3)).orElseThrow().ccu());
  }

  @Test
  public void defaultAccountIsConfigurable() {
    Result r = ReferenceMetrics.withDefaults().withDefaultAccount("house").computeLines(GZIP_OBJECT);
    assertEquals(3, r.row("house", "video", V, "", minute(1)).orElseThrow().aliveSsAdStart());
  }
}
