package org.livemetrics.query;

import static org.junit.Assert.assertEquals;
import static org.livemetrics.query.Rows.t;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The usage examples of the Brightcove Live Analytics document, run through the CLI against a
 * Parquet store: account 1234, video 5555 (and 5556), now = 2020-02-15 12:00:00 UTC.
 */
public class BrightcoveExamplesTest {
  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();

  private static final long NOW = 1581768000000L; // 2020-02-15T12:00:00Z
  private static Path store;

  @BeforeClass
  public static void writeStore() throws IOException {
    store = tmp.newFolder("store").toPath();
    ParquetStoreWriter writer = new ParquetStoreWriter(store);
    writer.writeAll("backfill", List.of(
        // Video 5555, a channel: a little on Feb 1st, 10th and 14th, a program at 10:00 today.
        Rows.video("5555", "2020-02-01T09:00").sessions(101, 104).fingerprints(1, 4)
            .views(4).impressions(5).secondsViewedMs(240_000).ads(1).build(),
        Rows.video("5555", "2020-02-10T08:00").sessions(201, 211).fingerprints(11, 20)
            .views(11).impressions(12).secondsViewedMs(600_500).build(),
        Rows.video("5555", "2020-02-14T13:00").sessions(301, 309).fingerprints(21, 28)
            .views(9).impressions(9).secondsViewedMs(540_000).ads(2).build(),
        Rows.video("5555", "2020-02-15T10:00").sessions(401, 403).fingerprints(31, 33)
            .views(3).impressions(4).secondsViewedMs(90_000).ads(1).build(),
        Rows.video("5555", "2020-02-15T10:01").sessions(401, 405).fingerprints(31, 35)
            .views(2).impressions(2).secondsViewedMs(250_000).build(),
        Rows.video("5555", "2020-02-15T10:30").sessions(404, 407).fingerprints(34, 36)
            .views(1).impressions(1).secondsViewedMs(240_000).ads(3).build(),
        Rows.video("5555", "2020-02-15T11:57").sessions(501, 502).fingerprints(41, 42)
            .views(2).impressions(2).secondsViewedMs(61_500).build(),
        Rows.video("5555", "2020-02-15T11:58").sessions(501, 506).fingerprints(41, 45)
            .views(4).impressions(5).secondsViewedMs(300_001).build(),
        Rows.video("5555", "2020-02-15T11:59").sessions(502, 508).fingerprints(42, 47)
            .views(1).impressions(1).secondsViewedMs(420_000).ads(1).build(),
        // Video 5556 is still live.
        Rows.video("5556", "2020-02-15T11:00").sessions(601, 620).fingerprints(61, 75)
            .views(20).impressions(25).secondsViewedMs(1_200_000).build(),
        Rows.video("5556", "2020-02-15T11:59").sessions(611, 630).fingerprints(70, 84)
            .views(5).impressions(6).secondsViewedMs(1_199_999).build(),
        Rows.video("5556", "2020-02-15T12:00").sessions(625, 631).fingerprints(80, 85)
            .secondsViewedMs(1_000).build(),
        // 5555 by country.
        Rows.country("5555", "US", "2020-02-15T10:00").fingerprints(31, 32).views(2).build(),
        Rows.country("5555", "US", "2020-02-15T11:58").fingerprints(41, 43).views(3).build(),
        Rows.country("5555", "CA", "2020-02-15T10:01").fingerprints(33, 33).views(1).build(),
        Rows.country("5555", "CA", "2020-02-15T11:59").fingerprints(33, 33).views(1).build(),
        Rows.country("5555", "unknown", "2020-02-15T11:57").fingerprints(44, 44).build(),
        // Another account's video with the same id.
        Rows.video("5555", "2020-02-15T11:59").account("9999").sessions(1, 100).views(50)
            .build()));
    // A superseded run of the 11:00 hour that must not be read.
    writer.write("2020-02-15T11", "old", 0, List.of(
        Rows.video("5555", "2020-02-15T11:59").sessions(1, 1000).views(1000).build()));
    writer.commit("2020-02-15T11", "backfill");
  }

  private static String query(String uri) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = QueryCommand.run(
        new String[] {"--store", store.toString(), "--now", Long.toString(NOW), uri},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(err.toString(StandardCharsets.UTF_8), 0, status);
    String body = out.toString(StandardCharsets.UTF_8);
    assertEquals('\n', body.charAt(body.length() - 1));
    return body.substring(0, body.length() - 1);
  }

  private static String point(String isoMinute, long value) {
    return "{\"timestamp\":" + t(isoMinute) + ",\"value\":" + value + "}";
  }

  private static final String CCU_5555 = "{\"ccu\":{\"data\":[{\"dimensions\":"
      + "{\"account\":\"1234\",\"video\":\"5555\"},\"points\":[";

  @Test
  public void currentViewerCount() {
    // from = 11:58; the last point is the current CCU.
    assertEquals(CCU_5555 + "{\"timestamp\":1581767880000,\"value\":6},"
        + "{\"timestamp\":1581767940000,\"value\":7}]}]}}",
        query("/v1/timeseries/accounts/1234?dimensions=video&metrics=ccu&where=video==5555"
            + "&from=1581767880000"));
  }

  @Test
  public void ccuGraphOfThePast24HoursZoomedIn() throws IOException {
    String body = query("/v1/timeseries/accounts/1234?dimensions=video&metrics=ccu"
        + "&where=video==5555&from=1581681600000&bucket_duration=1m");
    JsonNode points = new ObjectMapper().readTree(body).path("ccu").path("data").get(0)
        .path("points");
    // One point a minute from the first data (14th 13:00) to the last (15th 11:59): 22h59m + 1.
    assertEquals(22 * 60 + 59 + 1, points.size());
    Map<Long, Long> nonZero = new LinkedHashMap<>();
    long expectedTimestamp = t("2020-02-14T13:00");
    for (JsonNode p : points) {
      assertEquals(expectedTimestamp, p.get("timestamp").asLong());
      expectedTimestamp += 60_000;
      if (p.get("value").asLong() != 0) {
        nonZero.put(p.get("timestamp").asLong(), p.get("value").asLong());
      }
    }
    assertEquals(Map.of(
        t("2020-02-14T13:00"), 9L,
        t("2020-02-15T10:00"), 3L,
        t("2020-02-15T10:01"), 5L,
        t("2020-02-15T10:30"), 4L,
        t("2020-02-15T11:57"), 2L,
        t("2020-02-15T11:58"), 6L,
        t("2020-02-15T11:59"), 7L), nonZero);
  }

  @Test
  public void ccuGraphOfThePast24HoursZoomedOut() {
    // Hourly buckets from 14th 12:00: 13:00 holds 9; 10:00 today max(3, 5, 4); 11:00 max(2, 6, 7).
    StringBuilder points = new StringBuilder(point("2020-02-14T13:00", 9));
    for (long ts = t("2020-02-14T14:00"); ts <= t("2020-02-15T09:00"); ts += 3_600_000) {
      points.append(",{\"timestamp\":").append(ts).append(",\"value\":0}");
    }
    points.append(',').append(point("2020-02-15T10:00", 5));
    points.append(',').append(point("2020-02-15T11:00", 7));
    assertEquals(CCU_5555 + points + "]}]}}",
        query("/v1/timeseries/accounts/1234?dimensions=video&metrics=ccu&where=video==5555"
            + "&from=1581681600000&bucket_duration=1h"));
  }

  @Test
  public void maximumCcuOverThePast7Days() {
    // As the document writes it, bucket_duration=7d: one bucket from Feb 9th 00:00 holding the
    // maximum over the week, max(11, 9, 3, 5, 4, 2, 6, 7).
    assertEquals(CCU_5555 + point("2020-02-09T00:00", 11) + "]}]}}",
        query("/v1/timeseries/accounts/1234?dimensions=video&metrics=ccu&where=video==5555"
            + "&from=1581206400000&bucket_duration=7d"));
    // Per day (what the document's title asks for): 10th 11, 14th 9, 15th max(3,5,4,2,6,7).
    assertEquals(CCU_5555 + point("2020-02-10T00:00", 11) + "," + point("2020-02-11T00:00", 0)
        + "," + point("2020-02-12T00:00", 0) + "," + point("2020-02-13T00:00", 0) + ","
        + point("2020-02-14T00:00", 9) + "," + point("2020-02-15T00:00", 7) + "]}]}}",
        query("/v1/timeseries/accounts/1234?dimensions=video&metrics=ccu&where=video==5555"
            + "&from=1581206400000&bucket_duration=1d"));
  }

  @Test
  public void maximumCcuAtAnyTimeDuringTheStream() {
    // No from: one bucket from the first minute with data (Feb 1st 09:00) to now.
    assertEquals(CCU_5555 + point("2020-02-01T09:00", 11) + "]}]}}",
        query("/v1/timeseries/accounts/1234?dimensions=video&metrics=ccu&where=video==5555"
            + "&bucket_limit=1"));
  }

  @Test
  public void uniqueViewersAndSecondsViewedForSeveralStreams() {
    // 5555 devices: 1-4, 11-20, 21-28, 31-36, 41-47 → 4 + 10 + 8 + 6 + 7 = 35; seconds:
    // 240000 + 600500 + 540000 + 90000 + 250000 + 240000 + 61500 + 300001 + 420000 = 2742001 ms.
    // 5556 devices: 61-75 ∪ 70-84 ∪ 80-85 = 61-85 → 25; 1200000 + 1199999 + 1000 = 2400999 ms.
    assertEquals("{\"data\":["
        + "{\"dimensions\":{\"account\":\"1234\",\"video\":\"5555\"},"
        + "\"totals\":{\"fingerprint_count\":35,\"video_seconds_viewed\":2742.001}},"
        + "{\"dimensions\":{\"account\":\"1234\",\"video\":\"5556\"},"
        + "\"totals\":{\"fingerprint_count\":25,\"video_seconds_viewed\":2400.999}}]}",
        query("/v1/events/accounts/1234?dimensions=video&metrics=fingerprint_count,"
            + "video_seconds_viewed&where=video==5555,5556"));
  }

  @Test
  public void viewershipAndAdTotalsForAnHourLongProgram() {
    // 10:00 to 10:59:59.999 holds the rows of 10:00, 10:01 and 10:30: ads 1 + 0 + 3,
    // views 3 + 2 + 1, devices 31-33 ∪ 31-35 ∪ 34-36 = 31-36 → 6.
    assertEquals("{\"data\":[{\"dimensions\":{\"account\":\"1234\",\"video\":\"5555\"},"
        + "\"totals\":{\"alive_ss_ad_start\":4,\"video_view\":6,\"fingerprint_count\":6}}]}",
        query("/v1/events/accounts/1234?dimensions=video&metrics=alive_ss_ad_start,video_view,"
            + "fingerprint_count&where=video==5555&from=1581760800000&to=1581764399999"));
  }

  @Test
  public void viewershipByCountry() {
    // CA: views 1 + 1, device 33 twice → 1; US: 2 + 3, devices 31-32 ∪ 41-43 → 5; unknown: 0, 1.
    assertEquals("{\"data\":["
        + "{\"dimensions\":{\"account\":\"1234\",\"video\":\"5555\",\"country\":\"CA\"},"
        + "\"totals\":{\"video_view\":2,\"fingerprint_count\":1}},"
        + "{\"dimensions\":{\"account\":\"1234\",\"video\":\"5555\",\"country\":\"US\"},"
        + "\"totals\":{\"video_view\":5,\"fingerprint_count\":5}},"
        + "{\"dimensions\":{\"account\":\"1234\",\"video\":\"5555\",\"country\":\"unknown\"},"
        + "\"totals\":{\"video_view\":0,\"fingerprint_count\":1}}]}",
        query("/v1/events/accounts/1234?dimensions=video,country&metrics=video_view,"
            + "fingerprint_count&where=video==5555"));
  }

  @Test
  public void aStillLiveStreamIncludesTheCurrentMinute() {
    // to defaults to now, 12:00:00, so the minute 12:00 is in range: 5556's row there counts.
    assertEquals("{\"data\":[{\"dimensions\":{\"account\":\"1234\",\"video\":\"5556\"},"
        + "\"totals\":{\"ccu\":31,\"video_impression\":31}}]}",
        query("/v1/events/accounts/1234?dimensions=video&metrics=ccu,video_impression"
            + "&where=video==5556"));
  }
}
