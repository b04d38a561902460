package org.livemetrics.api;

import org.livemetrics.query.Rows;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.livemetrics.query.Rows.t;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.livemetrics.query.InMemoryAggregateStore;
import org.livemetrics.query.QueryEngine;

/**
 * The API over HTTP on a loopback port, against hand-made rows whose answers are worked out by
 * hand in each test: the Brightcove document's usage examples (account 1234, video 5555, now =
 * 2020-02-15 12:00:00 UTC), access control, every kind of refusal, the size limits, and many
 * requests at once.
 */
public class ApiServerTest {
  static final long NOW = 1581768000000L; // 2020-02-15T12:00:00Z

  // Tokens and their entries, computed independently (see AccessTokensTest).
  static final String TOKEN_1234 = AccessTokensTest.TOKEN_1234;
  static final String TOKEN_ALL = AccessTokensTest.TOKEN_ALL;
  static final String TOKEN_9999 = "lm_reader9999tokenCCCCCCCCCCCCCCC2pb72I";
  static final String TOKENS = String.join("\n",
      "# test tokens",
      AccessTokensTest.ENTRY_1234 + " 1234",
      AccessTokensTest.ENTRY_ALL + " *",
      "lm_sha256:9499f66143859a50c623e5346bb0c4f5255fe645405d718db2909fdc7020a3b6:0IgFuc"
          + " 9999,7777");

  static final int MAX_VIDEOS = 3;
  static final int MAX_POINTS_PER_SERIES = 2_000;

  private static ApiServer server;
  private static URI uri;
  private static InMemoryAggregateStore store;

  @BeforeClass
  public static void startServer() {
    store = new InMemoryAggregateStore(List.of(
        // Video 5555, a channel: a show on the 12th, a program 10:00-11:00 today, live now.
        Rows.video("5555", "2020-02-12T20:00").sessions(1, 8).fingerprints(1, 6)
            .views(8).impressions(9).secondsViewedMs(480_000).ads(2).build(),
        Rows.video("5555", "2020-02-15T10:00").sessions(11, 14).fingerprints(11, 13)
            .views(4).impressions(5).secondsViewedMs(200_000).ads(1).build(),
        Rows.video("5555", "2020-02-15T10:30").sessions(12, 16).fingerprints(12, 15)
            .views(1).impressions(1).secondsViewedMs(300_000).ads(2).build(),
        Rows.video("5555", "2020-02-15T10:59").sessions(15, 17).fingerprints(14, 16)
            .secondsViewedMs(180_000).build(),
        Rows.video("5555", "2020-02-15T11:00").sessions(20, 21).fingerprints(20, 21)
            .views(2).impressions(2).secondsViewedMs(90_500).build(),
        Rows.video("5555", "2020-02-15T11:58").sessions(30, 35).fingerprints(30, 34)
            .views(6).impressions(7).secondsViewedMs(250_250).ads(1).build(),
        Rows.video("5555", "2020-02-15T11:59").sessions(31, 39).fingerprints(31, 37)
            .views(3).impressions(3).secondsViewedMs(420_000).build(),
        // Video 5556, still live at 12:00.
        Rows.video("5556", "2020-02-15T11:00").sessions(100, 111).fingerprints(100, 109)
            .views(12).impressions(15).secondsViewedMs(600_000).build(),
        Rows.video("5556", "2020-02-15T11:59").sessions(105, 120).fingerprints(105, 118)
            .views(4).impressions(4).secondsViewedMs(720_001).build(),
        Rows.video("5556", "2020-02-15T12:00").sessions(118, 121).fingerprints(117, 119)
            .impressions(1).secondsViewedMs(1_000).build(),
        // 5555 by country and by device type.
        Rows.country("5555", "US", "2020-02-15T10:00").fingerprints(11, 12).views(3).build(),
        Rows.country("5555", "GB", "2020-02-15T10:30").fingerprints(13, 13).views(1).build(),
        Rows.country("5555", "US", "2020-02-15T11:58").fingerprints(30, 32).views(4).build(),
        Rows.country("5555", "GB", "2020-02-15T11:58").fingerprints(12, 12).views(2).build(),
        Rows.country("5555", "unknown", "2020-02-15T11:59").fingerprints(40, 40).build(),
        Rows.device("5555", "mobile", "2020-02-15T10:00").fingerprints(11, 11).views(2).build(),
        Rows.device("5555", "desktop", "2020-02-15T10:00").fingerprints(12, 13).views(2)
            .build(),
        // Another account with a video of the same id.
        Rows.video("5555", "2020-02-15T11:59").account("9999").sessions(1, 50).views(50)
            .build()));
    server = ApiServer.builder(new QueryEngine(store, MAX_POINTS_PER_SERIES),
            AccessTokens.parse(TOKENS.split("\n"), "test"))
        .clock(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC))
        .maxVideos(MAX_VIDEOS)
        .bind("127.0.0.1")
        .port(0)
        .build()
        .start();
    uri = server.uri();
  }

  @AfterClass
  public static void stopServer() {
    server.stop();
  }

  private static Http.Response get(String pathAndQuery) {
    return Http.get(uri, pathAndQuery, TOKEN_1234);
  }

  /** The body of a 200 JSON answer. */
  private static String ok(String pathAndQuery) {
    Http.Response r = get(pathAndQuery);
    assertEquals(r.toString(), 200, r.status());
    assertEquals("application/json", r.header("Content-Type"));
    return r.text();
  }

  private static String point(String isoMinute, long value) {
    return "{\"timestamp\":" + t(isoMinute) + ",\"value\":" + value + "}";
  }

  private static String ccu5555(String... points) {
    return "{\"ccu\":{\"data\":[{\"dimensions\":{\"account\":\"1234\",\"video\":\"5555\"},"
        + "\"points\":[" + String.join(",", points) + "]}]}}";
  }

  // ---------------------------------------------------------------------------------------------
  // The Brightcove document's usage examples

  @Test
  public void currentViewerCount() {
    // from = 11:58; the last point is the current CCU: 11:58 has 6 sessions, 11:59 has 9.
    assertEquals(ccu5555(point("2020-02-15T11:58", 6), point("2020-02-15T11:59", 9)),
        ok("/v1/timeseries/accounts/1234?dimensions=video&metrics=ccu&where=video==5555"
            + "&from=1581767880000"));
  }

  @Test
  public void ccuGraphOfThePast24HoursZoomedIn() {
    JsonNode body = Http.get(uri, "/v1/timeseries/accounts/1234?dimensions=video&metrics=ccu"
        + "&where=video==5555&from=1581681600000&bucket_duration=1m", TOKEN_1234).json();
    JsonNode points = body.path("ccu").path("data").get(0).path("points");
    // A point a minute from the first with data today (10:00) to the last (11:59).
    assertEquals(120, points.size());
    Map<Long, Long> nonZero = new LinkedHashMap<>();
    long expected = t("2020-02-15T10:00");
    for (JsonNode p : points) {
      assertEquals(expected, p.get("timestamp").asLong());
      expected += 60_000;
      if (p.get("value").asLong() != 0) {
        nonZero.put(p.get("timestamp").asLong(), p.get("value").asLong());
      }
    }
    Map<Long, Long> want = new LinkedHashMap<>();
    want.put(t("2020-02-15T10:00"), 4L);
    want.put(t("2020-02-15T10:30"), 5L);
    want.put(t("2020-02-15T10:59"), 3L);
    want.put(t("2020-02-15T11:00"), 2L);
    want.put(t("2020-02-15T11:58"), 6L);
    want.put(t("2020-02-15T11:59"), 9L);
    assertEquals(want, nonZero);
  }

  @Test
  public void ccuGraphOfThePast24HoursZoomedOut() {
    // Hourly buckets from the 14th 12:00; data in 10:00 (max 4, 5, 3) and 11:00 (max 2, 6, 9).
    assertEquals(ccu5555(point("2020-02-15T10:00", 5), point("2020-02-15T11:00", 9)),
        ok("/v1/timeseries/accounts/1234?dimensions=video&metrics=ccu&where=video==5555"
            + "&from=1581681600000&bucket_duration=1h"));
  }

  @Test
  public void maximumCcuPerDayOverThePast7Days() {
    // Daily buckets from the 9th: the 12th has 8, the 13th and 14th nothing, the 15th max 9.
    assertEquals(ccu5555(point("2020-02-12T00:00", 8), point("2020-02-13T00:00", 0),
            point("2020-02-14T00:00", 0), point("2020-02-15T00:00", 9)),
        ok("/v1/timeseries/accounts/1234?dimensions=video&metrics=ccu&where=video==5555"
            + "&from=1581206400000&bucket_duration=1d"));
    // The document's own URL says bucket_duration=7d: one bucket, the week's maximum.
    assertEquals(ccu5555(point("2020-02-09T00:00", 9)),
        ok("/v1/timeseries/accounts/1234?dimensions=video&metrics=ccu&where=video==5555"
            + "&from=1581206400000&bucket_duration=7d"));
  }

  @Test
  public void maximumCcuAtAnyTimeDuringTheStream() {
    // No from: one bucket starting at the first minute with data (12th 20:00), max 9.
    assertEquals(ccu5555(point("2020-02-12T20:00", 9)),
        ok("/v1/timeseries/accounts/1234?dimensions=video&metrics=ccu&where=video==5555"
            + "&bucket_limit=1"));
  }

  @Test
  public void uniqueViewersAndSecondsViewedForSeveralStreams() {
    // 5555 devices 1-6, 11-13, 12-15, 14-16, 20-21, 30-34, 31-37: 6 + 6 + 2 + 8 = 22; seconds
    // 480000 + 200000 + 300000 + 180000 + 90500 + 250250 + 420000 = 1920750 ms.
    // 5556 (still live) devices 100-109, 105-118, 117-119: 20; 600000 + 720001 + 1000 ms.
    assertEquals("{\"data\":["
        + "{\"dimensions\":{\"account\":\"1234\",\"video\":\"5555\"},"
        + "\"totals\":{\"fingerprint_count\":22,\"video_seconds_viewed\":1920.75}},"
        + "{\"dimensions\":{\"account\":\"1234\",\"video\":\"5556\"},"
        + "\"totals\":{\"fingerprint_count\":20,\"video_seconds_viewed\":1321.001}}]}",
        ok("/v1/events/accounts/1234?dimensions=video&metrics=fingerprint_count,"
            + "video_seconds_viewed&where=video==5555,5556"));
  }

  @Test
  public void viewershipAndAdTotalsForAnHourLongProgram() {
    // 10:00:00.000-10:59:59.999 holds 10:00, 10:30 and 10:59 (not 11:00): ads 1 + 2 + 0, views
    // 4 + 1 + 0, devices 11-13 ∪ 12-15 ∪ 14-16 = 11-16.
    assertEquals("{\"data\":[{\"dimensions\":{\"account\":\"1234\",\"video\":\"5555\"},"
        + "\"totals\":{\"alive_ss_ad_start\":3,\"video_view\":5,\"fingerprint_count\":6}}]}",
        ok("/v1/events/accounts/1234?dimensions=video&metrics=alive_ss_ad_start,video_view,"
            + "fingerprint_count&where=video==5555&from=1581760800000&to=1581764399999"));
  }

  @Test
  public void viewershipByCountry() {
    // GB: views 1 + 2, devices {13, 12}; US: 3 + 4, devices {11, 12, 30, 31, 32}; unknown: 0, {40}.
    assertEquals("{\"data\":["
        + "{\"dimensions\":{\"account\":\"1234\",\"video\":\"5555\",\"country\":\"GB\"},"
        + "\"totals\":{\"video_view\":3,\"fingerprint_count\":2}},"
        + "{\"dimensions\":{\"account\":\"1234\",\"video\":\"5555\",\"country\":\"US\"},"
        + "\"totals\":{\"video_view\":7,\"fingerprint_count\":5}},"
        + "{\"dimensions\":{\"account\":\"1234\",\"video\":\"5555\",\"country\":\"unknown\"},"
        + "\"totals\":{\"video_view\":0,\"fingerprint_count\":1}}]}",
        ok("/v1/events/accounts/1234?dimensions=video,country&metrics=video_view,"
            + "fingerprint_count&where=video==5555"));
  }

  // ---------------------------------------------------------------------------------------------
  // The endpoints beyond the examples

  @Test
  public void timeseriesOfSeveralMetricsAndVideos() {
    // 1h buckets from 11:00: 5555 has 11:00 only; 5556 has 11:00 and (minute 12:00) 12:00.
    assertEquals("{\"video_view\":{\"data\":["
        + "{\"dimensions\":{\"account\":\"1234\",\"video\":\"5555\"},\"points\":["
        + point("2020-02-15T11:00", 2 + 6 + 3) + "]},"
        + "{\"dimensions\":{\"account\":\"1234\",\"video\":\"5556\"},\"points\":["
        + point("2020-02-15T11:00", 12 + 4) + "," + point("2020-02-15T12:00", 0) + "]}]},"
        + "\"fingerprint_count\":{\"data\":["
        + "{\"dimensions\":{\"account\":\"1234\",\"video\":\"5555\"},\"points\":["
        + point("2020-02-15T11:00", 7) + "]},"
        + "{\"dimensions\":{\"account\":\"1234\",\"video\":\"5556\"},\"points\":["
        + point("2020-02-15T11:00", 14) + "," + point("2020-02-15T12:00", 3) + "]}]}}",
        ok("/v1/timeseries/accounts/1234?dimensions=video&metrics=video_view,fingerprint_count"
            + "&where=video==5555,5556&from=" + t("2020-02-15T11:00") + "&bucket_duration=1h"));
  }

  @Test
  public void eventsByDeviceTypeFilteredOnOneType() {
    assertEquals("{\"data\":[{\"dimensions\":{\"account\":\"1234\",\"video\":\"5555\","
        + "\"device_type\":\"desktop\"},\"totals\":{\"video_view\":2,\"fingerprint_count\":2}}]}",
        ok("/v1/events/accounts/1234?dimensions=video,device_type&metrics=video_view,"
            + "fingerprint_count&where=video==5555;device_type==desktop"));
  }

  @Test
  public void aVideoWithoutDataGivesNoEntries() {
    assertEquals("{\"data\":[]}",
        ok("/v1/events/accounts/1234?dimensions=video&metrics=video_view&where=video==4444"));
    assertEquals("{\"ccu\":{\"data\":[]}}",
        ok("/v1/timeseries/accounts/1234?dimensions=video&metrics=ccu&where=video==4444"));
  }

  @Test
  public void aTrailingSlashAndEncodedParametersAreAccepted() {
    assertEquals("{\"data\":[{\"dimensions\":{\"account\":\"1234\",\"video\":\"5555\"},"
        + "\"totals\":{\"video_view\":5}}]}",
        ok("/v1/events/accounts/1234/?dimensions=video&metrics=video_view"
            + "&where=video%3D%3D5555&from=1581760800000&to=1581764399999"));
  }

  // ---------------------------------------------------------------------------------------------
  // The XLSX report

  @Test
  public void theExportIsAFourSheetWorkbookOfTheRange() throws Exception {
    // The program of 10:00-10:59:59.999: minutes 10:00 to 10:59 (60 rows), peak ccu 5 (10:30),
    // views 4 + 1 + 0, devices 11-16.
    Http.Response r = get("/v1/events/accounts/1234/videos/5555/export?format=xlsx"
        + "&from=1581760800000&to=1581764399999");
    assertEquals(r.toString(), 200, r.status());
    assertEquals("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        r.header("Content-Type"));
    assertEquals("attachment; filename=\"live-1234-5555.xlsx\"",
        r.header("Content-Disposition"));
    try (XSSFWorkbook workbook = Workbooks.open(r.body())) {
      assertEquals(List.of("Summary", "Concurrent users", "Views by Device Type",
          "Views by Geography"), Workbooks.sheetNames(workbook));
      Map<String, Object> summary = Workbooks.summary(workbook);
      assertEquals("1234", summary.get("Account"));
      assertEquals("5555", summary.get("Video"));
      assertEquals(5.0, summary.get("Peak concurrent viewers (ccu)"));
      assertEquals(5.0, summary.get("Views"));
      assertEquals(6.0, summary.get("Unique devices"));
      assertEquals(60, Workbooks.dataRows(workbook, "Concurrent users"));
      // Device types and countries of 10:00-10:59: mobile and desktop; US and GB.
      assertEquals(2, Workbooks.dataRows(workbook, "Views by Device Type"));
      assertEquals(2, Workbooks.dataRows(workbook, "Views by Geography"));
    }
  }

  @Test
  public void theExportWithoutARangeCoversTheWholeStream() throws Exception {
    Http.Response r = get("/v1/events/accounts/1234/videos/5556/export?format=xlsx");
    assertEquals(r.toString(), 200, r.status());
    try (XSSFWorkbook workbook = Workbooks.open(r.body())) {
      // 5556 streams 11:00 to 12:00 (now): 61 minutes, peak ccu 16 at 11:59, views 12 + 4.
      assertEquals(61, Workbooks.dataRows(workbook, "Concurrent users"));
      assertEquals(16.0, Workbooks.summary(workbook).get("Peak concurrent viewers (ccu)"));
      assertEquals(16.0, Workbooks.summary(workbook).get("Views"));
    }
  }

  @Test
  public void aBadExportRangeIs400FromTheReport() {
    assertBadRequest("/v1/events/accounts/1234/videos/5555/export?format=xlsx"
        + "&from=1581764399999&to=1581760800000", "to", "");
  }

  // ---------------------------------------------------------------------------------------------
  // Access

  @Test
  public void aMissingTokenIs401WithABearerChallenge() {
    Http.Response r = Http.get(uri, "/v1/events/accounts/1234?dimensions=video"
        + "&metrics=video_view&where=video==5555", null);
    assertEquals(401, r.status());
    assertEquals("Bearer realm=\"livemetrics\"", r.header("WWW-Authenticate"));
    assertEquals(401, r.json().path("error").path("status").asInt());
    assertThat(r.json().path("error").path("message").asText(), containsString("Bearer"));
  }

  @Test
  public void aWrongTokenIs401() {
    // Well-formed (its checksum right, computed in Python) but in no entry.
    Http.Response r = Http.get(uri, "/v1/events/accounts/1234?dimensions=video"
        + "&metrics=video_view&where=video==5555", "lm_readerNOBODYtokenDDDDDDDDDDDDD3n7Ubv");
    assertEquals(401, r.status());
    assertEquals("Bearer realm=\"livemetrics\", error=\"invalid_token\"",
        r.header("WWW-Authenticate"));
    assertEquals("{\"error\":{\"status\":401,\"message\":\"the token is not valid\"}}", r.text());
  }

  @Test
  public void aTokenNotInTheFormatIs401BeforeAnyLookup() {
    // The stored entry of a weak token could never match: such tokens are refused first.
    for (String token : new String[] {"reader-1234-token-aaab", "abc", "password",
        TOKEN_1234.substring(0, 38) + "X", TOKEN_1234 + "A", TOKEN_1234.toUpperCase()}) {
      // The valid token first, on the same kept-alive connection: Jetty's header cache must not
      // hand its field back for a variant differing in case.
      assertEquals(200, Http.get(uri, "/v1/events/accounts/1234?dimensions=video"
          + "&metrics=video_view&where=video==5555", TOKEN_1234).status());
      Http.Response r = Http.get(uri, "/v1/events/accounts/1234?dimensions=video"
          + "&metrics=video_view&where=video==5555", token);
      assertEquals(token + " " + r, 401, r.status());
      assertEquals("Bearer realm=\"livemetrics\", error=\"invalid_token\"",
          r.header("WWW-Authenticate"));
      assertEquals("{\"error\":{\"status\":401,\"message\":\"not a livemetrics token (lm_…, 39"
          + " characters)\"}}", r.text());
    }
  }

  @Test
  public void anotherSchemeOrAnEmptyTokenIs401() {
    Http.Response basic = Http.send(HttpRequest.newBuilder(uri.resolve(
            "/v1/events/accounts/1234?dimensions=video&metrics=video_view&where=video==5555"))
        .header("Authorization", "Basic " + TOKEN_1234).build());
    assertEquals(401, basic.status());
    assertThat(basic.header("WWW-Authenticate"), startsWith("Bearer"));
    assertEquals(401, Http.get(uri, "/v1/events/accounts/1234?dimensions=video"
        + "&metrics=video_view&where=video==5555", "").status());
  }

  @Test
  public void aTokenNeverReadsAnotherAccount() {
    // 9999 has 50 views of its own "5555"; the 1234 token must not see them.
    Http.Response r = Http.get(uri, "/v1/events/accounts/9999?dimensions=video"
        + "&metrics=video_view&where=video==5555", TOKEN_1234);
    assertEquals(403, r.status());
    assertEquals("{\"error\":{\"status\":403,\"message\":\"this token may not read account"
        + " '9999'\"}}", r.text());
    assertEquals(403, Http.get(uri, "/v1/timeseries/accounts/1234?dimensions=video"
        + "&metrics=ccu&where=video==5555", TOKEN_9999).status());
    assertEquals(403, Http.get(uri, "/v1/events/accounts/1234/videos/5555/export?format=xlsx",
        TOKEN_9999).status());
    // Refused before the request is even parsed: a bad request for another account is still 403.
    assertEquals(403, Http.get(uri, "/v1/events/accounts/1234?metrics=nonsense", TOKEN_9999)
        .status());
  }

  @Test
  public void tokensReadTheirAccountsAndTheWildcardReadsAll() {
    String request = "/v1/events/accounts/9999?dimensions=video&metrics=video_view"
        + "&where=video==5555";
    String want = "{\"data\":[{\"dimensions\":{\"account\":\"9999\",\"video\":\"5555\"},"
        + "\"totals\":{\"video_view\":50}}]}";
    assertEquals(want, Http.get(uri, request, TOKEN_9999).text());
    assertEquals(want, Http.get(uri, request, TOKEN_ALL).text());
    assertEquals(200, Http.get(uri, "/v1/events/accounts/1234?dimensions=video"
        + "&metrics=video_view&where=video==5555", TOKEN_ALL).status());
  }

  @Test
  public void anEncodedAccountIsCheckedAsTheQueryLayerReadsIt() {
    // %39999 decodes to 9999: still another account for the 1234 token.
    assertEquals(403, Http.get(uri, "/v1/events/accounts/%39999?dimensions=video"
        + "&metrics=video_view&where=video==5555", TOKEN_1234).status());
    assertEquals(200, Http.get(uri, "/v1/events/accounts/%31234?dimensions=video"
        + "&metrics=video_view&where=video==5555", TOKEN_1234).status());
  }

  // ---------------------------------------------------------------------------------------------
  // Bad requests: 400 naming the parameter

  private static void assertBadRequest(String pathAndQuery, String parameter, String inMessage) {
    Http.Response r = get(pathAndQuery);
    assertEquals(r.toString(), 400, r.status());
    assertEquals("application/json", r.header("Content-Type"));
    JsonNode error = r.json().path("error");
    assertEquals(400, error.path("status").asInt());
    assertEquals(r.toString(), parameter, error.path("parameter").asText());
    assertThat(error.path("message").asText(), containsString(inMessage));
  }

  @Test
  public void badParametersAre400NamingTheParameter() {
    String base = "/v1/timeseries/accounts/1234?dimensions=video&where=video==5555";
    assertBadRequest(base + "&metrics=ccuu", "metrics", "unknown metric 'ccuu'");
    assertBadRequest(base, "metrics", "is required");
    assertBadRequest("/v1/timeseries/accounts/1234?dimensions=video&metrics=ccu", "where",
        "is required");
    assertBadRequest("/v1/timeseries/accounts/1234?dimensions=video&metrics=ccu"
        + "&where=country==US", "where", "country");
    assertBadRequest(base + "&metrics=ccu&bucket_duration=5x", "bucket_duration", "5x");
    assertBadRequest(base + "&metrics=ccu&bucket_duration=1h&bucket_limit=3", "bucket_limit",
        "not both");
    assertBadRequest(base + "&metrics=ccu&from=yesterday", "from", "as a time; use epoch ms");
    assertBadRequest(base + "&metrics=ccu&from=1581767880000&to=1581767000000", "to",
        "before from");
    assertBadRequest(base + "&metrics=ccu&colour=red", "colour", "unknown parameter");
    assertBadRequest(base + "&metrics=ccu&metrics=ccu", "metrics", "more than once");
    assertBadRequest("/v1/timeseries/accounts/1234?dimensions=video,city&metrics=ccu"
        + "&where=video==5555", "dimensions", "city");
    assertBadRequest("/v1/events/accounts/1234?dimensions=video&metrics=ccu&where=video==5555"
        + "&bucket_duration=1h", "bucket_duration", "only /v1/timeseries");
    assertBadRequest("/v1/events/accounts/1234?dimensions=video,device_type&metrics=ccu"
        + "&where=video==5555;device_type==toaster", "where", "toaster");
  }

  @Test
  public void badExportParametersAre400NamingTheParameter() {
    String export = "/v1/events/accounts/1234/videos/5555/export";
    assertBadRequest(export, "format", "is required");
    assertBadRequest(export + "?format=csv", "format", "csv");
    assertBadRequest(export + "?format=xlsx&from=soon", "from", "as a time; use epoch ms");
    assertBadRequest(export + "?format=xlsx&to=-5", "to", "as a time; use epoch ms");
    assertBadRequest(export + "?format=xlsx&bucket_limit=1", "bucket_limit", "unknown");
  }

  // ---------------------------------------------------------------------------------------------
  // Size limits

  @Test
  public void tooManyVideosAre400NamingWhereAndTheLimit() {
    assertBadRequest("/v1/events/accounts/1234?dimensions=video&metrics=video_view"
        + "&where=video==1,2,3,4", "where", "names 4 videos; this server answers at most 3");
    // At the limit it answers.
    assertEquals("{\"data\":[]}", ok("/v1/events/accounts/1234?dimensions=video"
        + "&metrics=video_view&where=video==1,2,3"));
  }

  @Test
  public void tooManyPointsPerSeriesAre400NamingTheBucketParameter() {
    // From the epoch in one-minute buckets; 30 days cut into 5,000 buckets of ceil(43,201 / 5,000)
    // = 9 minutes gives 4,801; both over the limit of 2,000.
    assertBadRequest("/v1/timeseries/accounts/1234?dimensions=video&metrics=ccu"
        + "&where=video==5555&from=0", "bucket_duration", "limit of " + MAX_POINTS_PER_SERIES);
    assertBadRequest("/v1/timeseries/accounts/1234?dimensions=video&metrics=ccu"
        + "&where=video==5555&from=" + (NOW - 30 * 86_400_000L) + "&bucket_limit=5000",
        "bucket_limit", "limit of " + MAX_POINTS_PER_SERIES);
  }

  @Test
  public void tooManyPointsInOneAnswerAre400() {
    // 5555's series today runs 10:00-11:59: 120 one-minute points per metric.
    ApiServer small = ApiServer.builder(new QueryEngine(store),
            AccessTokens.parse(TOKENS.split("\n"), "test"))
        .clock(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC))
        .maxPointsPerResponse(200)
        .port(0)
        .build()
        .start();
    try {
      String request = "/v1/timeseries/accounts/1234?dimensions=video&where=video==5555"
          + "&from=" + t("2020-02-15T00:00");
      assertEquals(200, Http.get(small.uri(), request + "&metrics=ccu", TOKEN_1234).status());
      Http.Response r = Http.get(small.uri(), request + "&metrics=ccu,video_view", TOKEN_1234);
      assertEquals(r.toString(), 400, r.status());
      assertEquals("bucket_duration", r.json().path("error").path("parameter").asText());
      assertThat(r.json().path("error").path("message").asText(),
          containsString("would hold 240 points, more than this server's limit of 200"));
    } finally {
      small.stop();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Routing

  @Test
  public void unknownPathsAre404() {
    // "/" is the dashboard's page (DashboardServingTest).
    for (String path : List.of("/index.html", "/v1", "/v1/foo/accounts/1234", "/v2/events/accounts/1234",
        "/v1/events/accounts", "/v1/events/accounts/1234/videos/5555",
        "/v1/timeseries/accounts/1234/videos/5555/export?format=xlsx")) {
      Http.Response r = Http.get(uri, path, TOKEN_1234);
      assertEquals(path + ": " + r, 404, r.status());
      assertEquals(404, r.json().path("error").path("status").asInt());
      assertThat(r.json().path("error").path("message").asText(),
          containsString("no such endpoint"));
    }
  }

  @Test
  public void otherMethodsThanGetAre405() {
    for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")) {
      Http.Response r = Http.send(uri, method, "/v1/events/accounts/1234?dimensions=video"
          + "&metrics=video_view&where=video==5555", TOKEN_1234);
      assertEquals(method, 405, r.status());
      assertEquals("GET", r.header("Allow"));
      if (!method.equals("HEAD")) {
        assertEquals(405, r.json().path("error").path("status").asInt());
        assertNull(r.json().path("error").get("parameter"));
      }
    }
  }

  @Test
  public void aRequestLineOver8KbIs414InJson() throws Exception {
    // Jetty refuses it before any handler and closes the connection, so the JDK client (still
    // sending) loses the answer; a socket that sends everything first reads it.
    StringBuilder videos = new StringBuilder("1");
    for (int i = 2; videos.length() < 9_000; i++) {
      videos.append(',').append(i);
    }
    String request = "GET /v1/events/accounts/1234?dimensions=video&metrics=ccu&where=video=="
        + videos + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN_1234
        + "\r\n\r\n";
    try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
      socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      try {
        for (int n; (n = socket.getInputStream().read(buffer)) > 0; ) {
          read.write(buffer, 0, n);
        }
      } catch (java.net.SocketException reset) {
        // the close may reset the connection after the answer arrived
      }
      String answer = read.toString(java.nio.charset.StandardCharsets.UTF_8);
      assertThat(answer, startsWith("HTTP/1.1 414 "));
      assertThat(answer, containsString("Content-Type: application/json"));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Concurrency

  @Test
  public void concurrentRequestsGetTheirOwnAnswers() throws Exception {
    Map<String, String> want = new LinkedHashMap<>();
    want.put("/v1/timeseries/accounts/1234?dimensions=video&metrics=ccu&where=video==5555"
        + "&from=1581767880000",
        ccu5555(point("2020-02-15T11:58", 6), point("2020-02-15T11:59", 9)));
    want.put("/v1/timeseries/accounts/1234?dimensions=video&metrics=ccu&where=video==5555"
        + "&bucket_limit=1", ccu5555(point("2020-02-12T20:00", 9)));
    want.put("/v1/events/accounts/1234?dimensions=video&metrics=alive_ss_ad_start,video_view,"
        + "fingerprint_count&where=video==5555&from=1581760800000&to=1581764399999",
        "{\"data\":[{\"dimensions\":{\"account\":\"1234\",\"video\":\"5555\"},"
            + "\"totals\":{\"alive_ss_ad_start\":3,\"video_view\":5,\"fingerprint_count\":6}}]}");
    want.put("/v1/events/accounts/9999?dimensions=video&metrics=video_view&where=video==5555",
        "{\"error\":{\"status\":403,\"message\":\"this token may not read account '9999'\"}}");
    List<String> requests = new ArrayList<>(want.keySet());

    ExecutorService clients = Executors.newFixedThreadPool(16);
    try {
      List<Future<String>> answers = new ArrayList<>();
      List<String> asked = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        String request = requests.get(i % requests.size());
        asked.add(request);
        answers.add(clients.submit(() -> get(request).text()));
      }
      for (int i = 0; i < answers.size(); i++) {
        assertEquals(asked.get(i), want.get(asked.get(i)), answers.get(i).get());
      }
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  public void theServerSaysWhereItListens() {
    assertEquals("http", uri.getScheme());
    assertEquals("127.0.0.1", uri.getHost());
    assertTrue(uri.getPort() > 0);
  }
}
