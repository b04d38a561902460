package org.livemetrics.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.livemetrics.query.AggregateStore;
import org.livemetrics.query.AggregateStores;
import org.livemetrics.query.QueryCommand;
import org.livemetrics.query.QueryEngine;
import org.livemetrics.testdata.ReferenceMetrics;

/**
 * The checked-in sample archive through the real backfill into a Parquet store, served over HTTP,
 * every answer compared with {@link ReferenceMetrics}, the independent reference calculator; and
 * the same bodies as {@code livemetrics query} prints, since both are one implementation.
 */
public class SampleDataApiTest {
  private static final List<String> VIDEOS = List.of("6336854458112", "6373141262112");
  private static final String ACCOUNT = SampleStore.ACCOUNT;
  private static final long FROM = SampleStore.FROM;
  private static final long TO = SampleStore.TO;
  private static final long HOUR = 3_600_000L;
  private static final String TOKEN = "lm_sampleReaderToken00000000000012D28Hw";

  private static Path storeDir;
  private static AggregateStore store;
  private static ApiServer server;
  private static URI uri;
  private static ReferenceMetrics.Result reference;

  @BeforeClass
  public static void serveTheSample() {
    storeDir = SampleStore.get();
    reference = SampleStore.reference();
    store = AggregateStores.open(storeDir.toString(), () -> {
      throw new AssertionError("a local store needs no pipeline options");
    });
    server = ApiServer.builder(new QueryEngine(store),
            AccessTokens.parse(new String[] {AccessTokens.entryLine(TOKEN, ACCOUNT)}, "test"))
        .clock(Clock.fixed(Instant.ofEpochMilli(TO), ZoneOffset.UTC))
        .port(0)
        .build()
        .start();
    uri = server.uri();
  }

  @AfterClass
  public static void stop() throws Exception {
    server.stop();
    store.close();
  }

  private static JsonNode ok(String pathAndQuery) {
    Http.Response r = Http.get(uri, pathAndQuery, TOKEN);
    assertEquals(r.toString(), 200, r.status());
    return r.json();
  }

  private static SortedMap<Long, ReferenceMetrics.Row> series(String set, String video,
      String secondary) {
    return reference.series(ACCOUNT, set, video, secondary).subMap(FROM, TO);
  }

  @Test
  public void ccuPerMinuteMatchesTheReference() {
    for (String video : VIDEOS) {
      JsonNode points = ok("/v1/timeseries/accounts/" + ACCOUNT + "?dimensions=video"
          + "&metrics=ccu&where=video==" + video + "&from=" + FROM + "&to=" + (TO - 1))
          .path("ccu").path("data").get(0).path("points");
      SortedMap<Long, ReferenceMetrics.Row> want = series("video", video, "");
      long first = want.firstKey();
      assertEquals(video, (want.lastKey() - first) / 60_000 + 1, points.size());
      for (int i = 0; i < points.size(); i++) {
        long minute = first + i * 60_000L;
        ReferenceMetrics.Row row = want.get(minute);
        assertEquals(minute, points.get(i).get("timestamp").asLong());
        assertEquals(video + " @" + minute, row == null ? 0 : row.ccu(),
            points.get(i).get("value").asLong());
      }
    }
  }

  @Test
  public void hourlyPeaksAndSumsMatchTheReference() {
    for (String video : VIDEOS) {
      JsonNode body = ok("/v1/timeseries/accounts/" + ACCOUNT + "?dimensions=video"
          + "&metrics=ccu,fingerprint_count,video_view,video_seconds_viewed&where=video==" + video
          + "&from=" + FROM + "&to=" + (TO - 1) + "&bucket_duration=1h");
      for (long hour = FROM; hour < TO; hour += HOUR) {
        int index = (int) ((hour - FROM) / HOUR);
        SortedMap<Long, ReferenceMetrics.Row> rows = series("video", video, "")
            .subMap(hour, hour + HOUR);
        long peakCcu = rows.values().stream().mapToLong(ReferenceMetrics.Row::ccu).max()
            .orElse(0);
        long peakDevices = rows.values().stream()
            .mapToLong(ReferenceMetrics.Row::fingerprintCount).max().orElse(0);
        assertEquals(peakCcu, value(body, "ccu", index).longValue());
        assertEquals(peakDevices, value(body, "fingerprint_count", index).longValue());
        assertEquals(reference.sum("video_view", ACCOUNT, "video", video, "", hour, hour + HOUR),
            value(body, "video_view", index).longValue());
        assertEquals(0, seconds(reference.sum("video_seconds_viewed_ms", ACCOUNT, "video", video,
            "", hour, hour + HOUR)).compareTo(value(body, "video_seconds_viewed", index)));
      }
    }
  }

  private static BigDecimal value(JsonNode body, String metric, int index) {
    JsonNode point = body.path(metric).path("data").get(0).path("points").get(index);
    return point.get("value").decimalValue();
  }

  private static BigDecimal seconds(long ms) {
    return BigDecimal.valueOf(ms, 3);
  }

  @Test
  public void streamTotalsMatchTheReference() {
    JsonNode data = ok("/v1/events/accounts/" + ACCOUNT + "?dimensions=video&metrics=ccu,"
        + "fingerprint_count,video_view,video_impression,alive_ss_ad_start,video_seconds_viewed"
        + "&where=video==" + String.join(",", VIDEOS)).path("data");
    assertEquals(2, data.size());
    for (int i = 0; i < VIDEOS.size(); i++) {
      String video = VIDEOS.get(i);
      JsonNode totals = data.get(i).path("totals");
      assertEquals(video, data.get(i).path("dimensions").path("video").asText());
      assertEquals(reference.distinctSessions(ACCOUNT, "video", video, "", FROM, TO).size(),
          totals.get("ccu").asLong());
      assertEquals(reference.distinctFingerprints(ACCOUNT, "video", video, "", FROM, TO).size(),
          totals.get("fingerprint_count").asLong());
      for (String metric : List.of("video_view", "video_impression", "alive_ss_ad_start")) {
        assertEquals(metric, reference.sum(metric, ACCOUNT, "video", video, "", FROM, TO),
            totals.get(metric).asLong());
      }
      assertEquals(0, seconds(reference.sum("video_seconds_viewed_ms", ACCOUNT, "video", video,
          "", FROM, TO)).compareTo(totals.get("video_seconds_viewed").decimalValue()));
    }
    // The sample's README table, as a check on the check: 55 and 85 devices, 77 and 142 views.
    assertEquals(55, data.get(0).path("totals").get("fingerprint_count").asLong());
    assertEquals(142, data.get(1).path("totals").get("video_view").asLong());
  }

  @Test
  public void viewsByCountryMatchTheReference() {
    String video = VIDEOS.get(1);
    JsonNode data = ok("/v1/events/accounts/" + ACCOUNT + "?dimensions=video,country"
        + "&metrics=video_view,fingerprint_count&where=video==" + video).path("data");
    Map<String, String> got = new TreeMap<>();
    for (JsonNode entry : data) {
      got.put(entry.path("dimensions").path("country").asText(),
          entry.path("totals").path("video_view").asLong() + " views, "
              + entry.path("totals").path("fingerprint_count").asLong() + " devices");
    }
    Map<String, String> want = new TreeMap<>();
    reference.rows().keySet().stream()
        .filter(k -> k.account().equals(ACCOUNT) && k.dimensionSet().equals("video,country")
            && k.video().equals(video))
        .map(ReferenceMetrics.RowKey::secondary)
        .distinct()
        .forEach(country -> want.put(country,
            reference.sum("video_view", ACCOUNT, "video,country", video, country, FROM, TO)
                + " views, " + reference.distinctFingerprints(ACCOUNT, "video,country", video,
                    country, FROM, TO).size() + " devices"));
    assertTrue(want.size() > 5);
    assertEquals(want, got);
  }

  @Test
  public void answersAreWhatLivemetricsQueryPrints() {
    for (String request : List.of(
        "/v1/timeseries/accounts/default?dimensions=video&metrics=ccu,video_seconds_viewed"
            + "&where=video==6336854458112,6373141262112&bucket_duration=15m",
        "/v1/timeseries/accounts/default?dimensions=video,device_type&metrics=fingerprint_count"
            + "&where=video==6373141262112&bucket_limit=4",
        "/v1/events/accounts/default?dimensions=video,country&metrics=ccu,video_view,"
            + "video_seconds_viewed&where=video==6336854458112&from=" + (FROM + 30 * 60_000))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status = QueryCommand.run(
          new String[] {"--store", storeDir.toString(), "--now", Long.toString(TO), request},
          new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      assertEquals(err.toString(StandardCharsets.UTF_8), 0, status);
      assertEquals(request, out.toString(StandardCharsets.UTF_8).trim(),
          Http.get(uri, request, TOKEN).text());
    }
  }

  @Test
  public void theExportOfTheWholeSampleStreamOpensWithFourSheets() throws Exception {
    String video = VIDEOS.get(0);
    Http.Response r = Http.get(uri, "/v1/events/accounts/default/videos/" + video
        + "/export?format=xlsx", TOKEN);
    assertEquals(r.toString(), 200, r.status());
    assertEquals(ApiServer.XLSX_CONTENT_TYPE, r.header("Content-Type"));
    try (org.apache.poi.xssf.usermodel.XSSFWorkbook workbook = Workbooks.open(r.body())) {
      assertEquals(List.of("Summary", "Concurrent users", "Views by Device Type",
          "Views by Geography"), Workbooks.sheetNames(workbook));
      SortedMap<Long, ReferenceMetrics.Row> rows = series("video", video, "");
      assertEquals((rows.lastKey() - rows.firstKey()) / 60_000 + 1,
          Workbooks.dataRows(workbook, "Concurrent users"));
      Map<String, Object> summary = Workbooks.summary(workbook);
      assertEquals((double) rows.values().stream().mapToLong(ReferenceMetrics.Row::ccu).max()
          .orElseThrow(), summary.get("Peak concurrent viewers (ccu)"));
      assertEquals((double) reference.sum("video_view", ACCOUNT, "video", video, "", FROM, TO),
          summary.get("Views"));
      assertEquals((double) reference.distinctFingerprints(ACCOUNT, "video", video, "", FROM, TO)
          .size(), summary.get("Unique devices"));
    }
  }
}
