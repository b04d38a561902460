package org.livemetrics.api;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;
import org.livemetrics.query.AggregateStore;
import org.livemetrics.query.AggregateStores;
import org.livemetrics.query.ApiRequest;
import org.livemetrics.query.BrightcoveJson;
import org.livemetrics.query.QueryEngine;
import org.livemetrics.query.Rows;
import org.livemetrics.testdata.ReferenceMetrics;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in a real browser (headless Chromium, see {@link Browser}) against {@code serve}'s
 * server over a copy of the sample's Parquet store. What the page shows is read back (the tables
 * beside each chart, the charts' own data, the tiles) and compared with the query layer's answer
 * for the same store and range, and the per-minute audience with the independent reference
 * calculator; the numbers' formatting is worked out here with Java's formatter.
 */
public class DashboardBrowserTest {
  private static final String ACCOUNT = SampleStore.ACCOUNT;
  private static final String VIDEO = "6336854458112";
  private static final String OTHER_VIDEO = "6373141262112";
  private static final String TOKEN = "lm_dashboardReaderToken00000000011vQCHK";
  private static final String OTHER_ACCOUNT_TOKEN = "lm_dashboardOtherToken000000000022JgOp5";
  private static final long MINUTE = 60_000L;
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final DateTimeFormatter MINUTE_FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path storeDir;
  private static AggregateStore store;
  private static QueryEngine engine;
  private static ApiServer server;
  private static URI uri;
  private static Path downloads;
  private static ChromeDriver driver;

  @BeforeClass
  public static void serveAndOpenABrowser() throws Exception {
    storeDir = StoreMinutes.copy(SampleStore.get());
    store = AggregateStores.open(storeDir.toString(), () -> {
      throw new AssertionError("a local store needs no pipeline options");
    });
    engine = new QueryEngine(store);
    server = ApiServer.builder(engine, AccessTokens.parse(new String[] {
                AccessTokens.entryLine(TOKEN, ACCOUNT),
                AccessTokens.entryLine(OTHER_ACCOUNT_TOKEN, "1234")}, "test"))
        .videoListing(store)
        .port(0)
        .build()
        .start();
    uri = server.uri();
    downloads = Files.createTempDirectory("livemetrics-dashboard-downloads");
    driver = Browser.start(1280, 1000, downloads);
  }

  @AfterClass
  public static void stop() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    if (server != null) {
      server.stop();
    }
    if (store != null) {
      store.close();
    }
  }

  /** Every test starts signed out, on a fresh page. */
  @Before
  public void signedOut() {
    driver.get(uri + "/");
    Browser.js(driver, "sessionStorage.clear()");
    driver.get(uri + "/");
  }

  // ---------------------------------------------------------------------------------------------
  // Sign-in

  @Test
  public void signInWithTheKeyboardAfterAWrongToken() {
    awaitVisible("sign-in");
    // The token field has the focus: type, Enter.
    driver.switchTo().activeElement().sendKeys("not-the-right-token-at-all", Keys.ENTER);
    awaitText("sign-in-error", "This token was not accepted: it is wrong, or it has expired or"
        + " been revoked. Check that you copied all of it, or ask your administrator for a new one.");
    assertNull(Browser.js(driver, "return sessionStorage.getItem('livemetrics.token')"));

    driver.switchTo().activeElement().sendKeys(TOKEN, Keys.ENTER);
    awaitVisible("videos");
    assertEquals("Account " + ACCOUNT, driver.findElement(By.id("who")).getText());
    assertEquals(TOKEN, Browser.js(driver, "return sessionStorage.getItem('livemetrics.token')"));
    assertEquals(0L, (long) Browser.js(driver, "return localStorage.length"));
    // No video in a range: the page says so, and what to do.
    Browser.js(driver, "location.hash = '#/videos?from=1577836800000&to=1577840400000'");
    awaitTrue(() -> driver.findElement(By.id("videos-empty")).isDisplayed());
    assertEquals("No video of account default had viewers from 2020-01-01 00:00 UTC to"
        + " 2020-01-01 01:00 UTC.\nPick a longer or an earlier range above (\"a past range…\" for"
        + " any dates). If you expected live viewers, check that the streaming job is running and"
        + " writes to the store this server reads.",
        driver.findElement(By.id("videos-empty")).getText());
    assertNoTokenInAnyUrl();
  }

  @Test
  public void aBookmarkedVideoOpensAfterSignIn() {
    driver.get(uri + "/#/video/" + VIDEO + "?from=" + SampleStore.FROM + "&to="
        + (SampleStore.TO - MINUTE));
    awaitVisible("sign-in");
    driver.switchTo().activeElement().sendKeys(TOKEN, Keys.ENTER);
    awaitText("video-title", "Video " + VIDEO);
    awaitText("freshness", "Newest minute 2026-11-22 06:59 UTC");
  }

  @Test
  public void aTokenForAnotherAccountIsToldWhichItMayRead() {
    awaitVisible("sign-in");
    driver.findElement(By.id("token-input")).sendKeys(OTHER_ACCOUNT_TOKEN);
    driver.findElement(By.id("account-input")).sendKeys(ACCOUNT, Keys.ENTER);
    awaitText("sign-in-error", "This token may not read account default; it may read 1234.");
  }

  @Test
  public void signInFromTheFragmentKeepsTheTokenOutOfTheAddressAndTheRequests() {
    driver.get(uri + "/#token=" + TOKEN);
    awaitVisible("videos");
    assertThat(driver.getCurrentUrl(), not(containsString(TOKEN)));
    assertThat(driver.getCurrentUrl(), not(containsString("token")));
    assertEquals(TOKEN, Browser.js(driver, "return sessionStorage.getItem('livemetrics.token')"));
    assertNoTokenInAnyUrl();
    assertNoPolicyViolations();
  }

  // ---------------------------------------------------------------------------------------------
  // Videos of a range, and a video's page, against the query layer

  @Test
  public void thePastRangeListsTheSampleVideosWithTheQueryLayersNumbers() throws Exception {
    signIn();
    Select range = new Select(driver.findElement(By.id("range-hours")));
    range.selectByValue("custom");
    setInput("range-from", "2026-11-22T05:00");
    setInput("range-to", "2026-11-22T07:00");
    driver.findElement(By.cssSelector("#range-form button")).click();
    awaitText("videos-caption", "2 videos with viewers from 2026-11-22 05:00 UTC to 2026-11-22"
        + " 07:00 UTC, by peak concurrent viewers");
    assertTrue(driver.findElement(By.id("videos-table")).isDisplayed());

    long from = SampleStore.FROM, to = SampleStore.TO;
    String base = "dimensions=video&where=video==" + VIDEO + "," + OTHER_VIDEO
        + "&from=" + from + "&to=" + to;
    JsonNode peaks = query("/v1/timeseries/accounts/default?" + base + "&metrics=ccu&bucket_limit=1");
    JsonNode totals = query("/v1/events/accounts/default?" + base
        + "&metrics=video_view,fingerprint_count");
    List<List<String>> expected = new ArrayList<>();
    for (JsonNode series : peaks.get("ccu").get("data")) {
      String video = series.get("dimensions").get("video").asText();
      JsonNode t = totalsOf(totals, "video", video);
      SortedMap<Long, ReferenceMetrics.Row> minutes = SampleStore.reference()
          .series(ACCOUNT, "video", video, "").subMap(from, to);
      expected.add(List.of(video, thousands(series.get("points").get(0).get("value").asLong()),
          thousands(t.get("video_view").asLong()), thousands(t.get("fingerprint_count").asLong()),
          MINUTE_FORMAT.format(Instant.ofEpochMilli(minutes.firstKey())),
          MINUTE_FORMAT.format(Instant.ofEpochMilli(minutes.lastKey()))));
      // The peak is the reference's highest per-minute ccu: one definition, checked twice.
      assertEquals(minutes.values().stream().mapToLong(ReferenceMetrics.Row::ccu).max().getAsLong(),
          series.get("points").get(0).get("value").asLong());
    }
    expected.sort((a, b) -> Long.compare(Long.parseLong(b.get(1).replace(",", "")),
        Long.parseLong(a.get(1).replace(",", ""))));
    assertEquals(expected, tableRows("videos-table"));

    // Keyboard: Tab to the first video's link, Enter opens its page.
    String first = expected.get(0).get(0);
    for (int i = 0; i < 40 && !first.equals(driver.switchTo().activeElement().getText()); i++) {
      driver.switchTo().activeElement().sendKeys(Keys.TAB);
    }
    assertEquals(first, driver.switchTo().activeElement().getText());
    driver.switchTo().activeElement().sendKeys(Keys.ENTER);
    awaitText("video-title", "Video " + first);
  }

  @Test
  public void aVideosChartsTilesAndTablesShowTheQueryLayersNumbers() throws Exception {
    signIn();
    long from = SampleStore.FROM, to = SampleStore.TO - MINUTE; // its last minute, inclusive
    openVideo(VIDEO, from, to);
    String range = "&from=" + from + "&to=" + to;
    String where = "&where=video==" + VIDEO;

    // The ccu line: the chart's data and its table, minute by minute.
    JsonNode ccu = query("/v1/timeseries/accounts/default?dimensions=video&metrics=ccu"
        + where + range + "&bucket_duration=1m").get("ccu").get("data").get(0).get("points");
    List<List<Number>> chart = Browser.js(driver,
        "return window.livemetricsDashboard.charts.ccu.data");
    List<List<String>> table = tableRows("ccu-table");
    SortedMap<Long, ReferenceMetrics.Row> reference =
        SampleStore.reference().series(ACCOUNT, "video", VIDEO, "").subMap(from, to + MINUTE);
    assertEquals(120, ccu.size());
    assertEquals(ccu.size(), chart.get(0).size());
    assertEquals(ccu.size(), table.size());
    for (int i = 0; i < ccu.size(); i++) {
      long minute = ccu.get(i).get("timestamp").asLong();
      long value = ccu.get(i).get("value").asLong();
      assertEquals(minute / 1000, chart.get(0).get(i).longValue());
      assertEquals(value, chart.get(1).get(i).longValue());
      assertEquals(List.of(MINUTE_FORMAT.format(Instant.ofEpochMilli(minute)), thousands(value)),
          table.get(i));
      ReferenceMetrics.Row ref = reference.get(minute);
      assertEquals("minute " + minute, ref == null ? 0 : ref.ccu(), value);
    }

    // The tiles.
    JsonNode t = query("/v1/events/accounts/default?dimensions=video&metrics=video_view,"
        + "video_impression,video_seconds_viewed,alive_ss_ad_start" + where + range)
        .get("data").get(0).get("totals");
    assertEquals(thousands(t.get("video_view").asLong()), text("tile-views"));
    assertEquals(thousands(t.get("video_impression").asLong()), text("tile-impressions"));
    assertEquals(thousands(t.get("video_seconds_viewed").decimalValue()
        .setScale(0, RoundingMode.HALF_UP).longValueExact()), text("tile-seconds"));
    assertEquals(thousands(t.get("alive_ss_ad_start").asLong()), text("tile-ads"));
    assertTrue(t.get("video_view").asLong() > 0);

    // By device type and by country: the tables list all, the bar charts the same numbers.
    for (String[] d : new String[][] {{"device_type", "device"}, {"country", "country"}}) {
      JsonNode peaks = query("/v1/timeseries/accounts/default?dimensions=video," + d[0]
          + "&metrics=ccu&bucket_limit=1" + where + range).get("ccu").get("data");
      JsonNode views = query("/v1/events/accounts/default?dimensions=video," + d[0]
          + "&metrics=video_view" + where + range);
      Map<String, long[]> byValue = new LinkedHashMap<>();
      for (JsonNode s : peaks) {
        byValue.computeIfAbsent(s.get("dimensions").get(d[0]).asText(), k -> new long[2])[0] =
            s.get("points").get(0).get("value").asLong();
      }
      for (JsonNode s : views.get("data")) {
        byValue.computeIfAbsent(s.get("dimensions").get(d[0]).asText(), k -> new long[2])[1] =
            s.get("totals").get("video_view").asLong();
      }
      List<List<String>> rows = tableRows(d[1] + "-table");
      assertEquals(byValue.size(), rows.size());
      assertTrue(rows.size() >= 2);
      for (List<String> row : rows) {
        long[] v = byValue.get(row.get(0));
        assertEquals(row.get(0), List.of(row.get(0), thousands(v[0]), thousands(v[1])), row);
      }
      List<String> labels = Browser.js(driver,
          "return window.livemetricsDashboard.charts." + d[1] + "Views.labels");
      List<List<Number>> bars = Browser.js(driver,
          "return window.livemetricsDashboard.charts." + d[1] + "Views.data");
      for (int i = 0; i < labels.size(); i++) {
        assertEquals(byValue.get(labels.get(i))[1], bars.get(1).get(i).longValue());
      }
      List<List<Number>> peakBars = Browser.js(driver,
          "return window.livemetricsDashboard.charts." + d[1] + "Ccu.data");
      for (int i = 0; i < labels.size(); i++) {
        assertEquals(byValue.get(labels.get(i))[0], peakBars.get(1).get(i).longValue());
      }
    }

    // QoS per platform.
    JsonNode qos = query("/v1/events/accounts/default?dimensions=video,client_platform&metrics="
        + "startup_time_ms_p50,startup_time_ms_p95,buffer_ratio,live_latency_ms_p50,"
        + "live_latency_ms_p95,error_count,exits_before_video_start_percentage,"
        + "playback_failure_percentage,rebuffer_percentage" + where + range).get("data");
    List<List<String>> qosRows = tableRows("qos-table");
    assertEquals(qos.size(), qosRows.size());
    assertTrue(qos.size() >= 1);
    for (int i = 0; i < qos.size(); i++) {
      JsonNode q = qos.get(i).get("totals");
      List<String> row = qosRows.get(i);
      assertEquals(qos.get(i).get("dimensions").get("client_platform").asText(), row.get(0));
      // Percentiles come from merged KLL sketches, whose merge is randomized: two answers for the
      // same range may differ within the sketch's error (query/README.md), so within 2 %.
      assertPercentile(q.get("startup_time_ms_p50"), row.get(1));
      assertPercentile(q.get("startup_time_ms_p95"), row.get(2));
      assertEquals(percent(q.get("buffer_ratio")), row.get(3));
      assertPercentile(q.get("live_latency_ms_p50"), row.get(4));
      assertPercentile(q.get("live_latency_ms_p95"), row.get(5));
      assertEquals(thousands(q.get("error_count").asLong()), row.get(6));
      assertEquals(percent(q.get("exits_before_video_start_percentage")), row.get(7));
      assertEquals(percent(q.get("playback_failure_percentage")), row.get(8));
      assertEquals(percent(q.get("rebuffer_percentage")), row.get(9));
    }

    // The sample has no broadcast events: the panel says so, and how to get them.
    assertThat(text("broadcast-empty"), containsString("No broadcast data for this time range"));
    // An ended stream: not live, the newest minute shown, no refresh scheduled.
    assertEquals("NOT LIVE", text("live-badge"));
    assertEquals("Newest minute 2026-11-22 06:59 UTC", text("freshness"));
    assertNoPolicyViolations();
  }

  @Test
  public void aLiveVideosChartShowsANewMinuteWhenItLands() throws Exception {
    // A stream live now, as the streaming job writes it: minutes in uncommitted hour partitions.
    String live = "dashboard-live-video";
    long m0 = System.currentTimeMillis() / MINUTE * MINUTE;
    StoreMinutes.land(storeDir, List.of(Rows.video(live, m0 - 2 * MINUTE).account(ACCOUNT)
        .sessions(1, 20).fingerprints(1, 18).views(20).impressions(22).build()), 1);
    StoreMinutes.land(storeDir, List.of(Rows.video(live, m0 - MINUTE).account(ACCOUNT)
        .sessions(1, 31).fingerprints(1, 27).views(11).impressions(12).build()), 1);
    signIn();
    openVideo(live, m0 - 2 * MINUTE, m0 - MINUTE);
    assertEquals("● LIVE", text("live-badge"));
    assertThat(text("freshness"), containsString("Newest minute "
        + MINUTE_FORMAT.format(Instant.ofEpochMilli(m0 - MINUTE))));
    assertThat(text("freshness"), containsString("updates every 5 s"));
    assertEquals(List.of(List.of(MINUTE_FORMAT.format(Instant.ofEpochMilli(m0 - 2 * MINUTE)), "20"),
        List.of(MINUTE_FORMAT.format(Instant.ofEpochMilli(m0 - MINUTE)), "31")), tableRows("ccu-table"));
    assertEquals("31", text("tile-views"));

    // The next minute lands: 1,250 viewers (a thousands separator on the page).
    long next = Math.max(m0, System.currentTimeMillis() / MINUTE * MINUTE);
    StoreMinutes.land(storeDir, List.of(Rows.video(live, next).account(ACCOUNT)
        .sessions(1, 1250).fingerprints(1, 1000).views(1300).impressions(1400).build()), 1);
    awaitTrue(() -> {
      List<List<Number>> data = Browser.js(driver, "return window.livemetricsDashboard.charts.ccu.data");
      int last = data.get(0).size() - 1;
      return data.get(0).get(last).longValue() == next / 1000 && data.get(1).get(last).longValue() == 1250;
    });
    List<List<String>> table = tableRows("ccu-table");
    assertEquals(List.of(MINUTE_FORMAT.format(Instant.ofEpochMilli(next)), "1,250"),
        table.get(table.size() - 1));
    awaitText("tile-views", "1,331");
    assertThat(text("freshness"), containsString("Newest minute "
        + MINUTE_FORMAT.format(Instant.ofEpochMilli(next))));
    // The query layer says the same.
    JsonNode ccu = query("/v1/timeseries/accounts/default?dimensions=video&metrics=ccu&where=video=="
        + live + "&from=" + (m0 - 2 * MINUTE) + "&to=" + next + "&bucket_duration=1m");
    JsonNode points = ccu.get("ccu").get("data").get(0).get("points");
    assertEquals(1250, points.get(points.size() - 1).get("value").asLong());
  }

  @Test
  public void theReportDownloadsWithItsFourSheets() throws Exception {
    signIn();
    openVideo(VIDEO, SampleStore.FROM, SampleStore.TO - MINUTE);
    Path file = downloads.resolve("live-default-" + VIDEO + ".xlsx");
    Files.deleteIfExists(file);
    driver.findElement(By.id("download")).click();
    awaitTrue(() -> Files.isRegularFile(file) && text("download-status").startsWith("Downloaded"));
    try (XSSFWorkbook workbook = Workbooks.open(Files.readAllBytes(file))) {
      assertEquals(List.of("Summary", "Concurrent users", "Views by Device Type",
          "Views by Geography"), Workbooks.sheetNames(workbook));
    }
    assertThat(text("download-status"), containsString("live-default-" + VIDEO + ".xlsx"));
    assertNoTokenInAnyUrl();
  }

  @Test
  public void aRevokedTokenSendsBackToSignInWithAClearMessage() {
    // A token that was valid when stored (as after a server restart with new tokens).
    Browser.js(driver, "sessionStorage.setItem('livemetrics.token', 'revoked-token-0000000000');"
        + "sessionStorage.setItem('livemetrics.account', 'default');");
    Browser.js(driver, "location.hash = '#/videos'");
    driver.navigate().refresh();
    awaitVisible("sign-in");
    awaitText("sign-in-error", "Your token is no longer accepted (it has expired or been"
        + " revoked). Sign in again with a valid token.");
    assertNull(Browser.js(driver, "return sessionStorage.getItem('livemetrics.token')"));
  }

  // ---------------------------------------------------------------------------------------------

  private static void signIn() {
    driver.get(uri + "/#token=" + TOKEN);
    awaitVisible("videos");
  }

  private static void openVideo(String video, long from, long to) {
    Browser.js(driver, "window.livemetricsDashboard.readyAt = null;"
        + "location.hash = '#/video/' + arguments[0] + '?from=' + arguments[1] + '&to=' + arguments[2]",
        video, from, to);
    awaitTrue(() -> Browser.js(driver, "return window.livemetricsDashboard.readyAt") != null);
    assertEquals("Video " + video, text("video-title"));
  }

  private static JsonNode query(String pathAndQuery) throws Exception {
    int q = pathAndQuery.indexOf('?');
    ApiRequest request = ApiRequest.parse(pathAndQuery.substring(0, q),
        pathAndQuery.substring(q + 1), Clock.systemUTC());
    return JSON.readTree(BrightcoveJson.toJson(engine.execute(request)));
  }

  private static JsonNode totalsOf(JsonNode events, String dimension, String value) {
    for (JsonNode d : events.get("data")) {
      if (d.get("dimensions").get(dimension).asText().equals(value)) {
        return d.get("totals");
      }
    }
    throw new AssertionError("no " + dimension + " " + value + " in " + events);
  }

  /** A share as the dashboard shows it: a percentage with 2 decimals, "–" without data. */
  private static String percent(JsonNode share) {
    return share.isNull() ? "–"
        : String.format(Locale.ROOT, "%.2f%%", share.decimalValue().movePointRight(2));
  }

  private static String thousands(long v) {
    return String.format(Locale.US, "%,d", v);
  }

  private static void assertPercentile(JsonNode expected, String shown) {
    if (expected.isNull()) {
      assertEquals("–", shown);
      return;
    }
    assertTrue(shown, shown.matches("\\d{1,3}(,\\d{3})* ms"));
    double value = Double.parseDouble(shown.replace(" ms", "").replace(",", ""));
    assertEquals(shown, expected.asDouble(), value, Math.max(1, expected.asDouble() * 0.02));
  }

  private static String text(String id) {
    return (String) Browser.js(driver,
        "return document.getElementById(arguments[0]).textContent", id);
  }

  /** The cells of a table's body, as text (also inside a closed {@code <details>}). */
  private static List<List<String>> tableRows(String id) {
    return Browser.js(driver, "return [...document.getElementById(arguments[0]).tBodies[0].rows]"
        + ".map(r => [...r.cells].map(c => c.textContent))", id);
  }

  private static void setInput(String id, String value) {
    Browser.js(driver, "document.getElementById(arguments[0]).value = arguments[1]", id, value);
  }

  private static void awaitVisible(String id) {
    awaitTrue(() -> driver.findElement(By.id(id)).isDisplayed());
  }

  private static void awaitText(String id, String expected) {
    if (!Browser.await(PATIENCE, () -> expected.equals(text(id)))) {
      assertEquals("#" + id, expected, text(id));
    }
  }

  private static void awaitTrue(java.util.function.Supplier<Boolean> condition) {
    if (!Browser.await(PATIENCE, condition)) {
      throw new AssertionError("not within " + PATIENCE + "; the page shows: "
          + driver.findElement(By.tagName("main")).getText());
    }
  }

  /** No request the page made (per Chromium's network log) had the token in its URL. */
  private static void assertNoTokenInAnyUrl() {
    List<String> urls = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
      try {
        JsonNode m = JSON.readTree(e.getMessage()).get("message");
        if (m.get("method").asText().equals("Network.requestWillBeSent")) {
          String url = m.get("params").get("request").get("url").asText();
          urls.add(url);
          if (url.contains("/v1/")) {
            assertThat(url, m.get("params").get("request").get("headers").get("Authorization")
                .asText(), startsWith("Bearer "));
          }
        }
      } catch (java.io.IOException ex) {
        throw new AssertionError(ex);
      }
    }
    assertFalse("the page made no request", urls.isEmpty());
    for (String url : urls) {
      for (String token : List.of(TOKEN, OTHER_ACCOUNT_TOKEN, "not-the-right-token")) {
        assertThat(url, not(containsString(token)));
      }
    }
  }

  /** The browser reported no Content-Security-Policy violation nor script error. */
  private static void assertNoPolicyViolations() {
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      assertThat(e.getMessage(), not(containsString("Content Security Policy")));
      assertThat(e.getMessage(), not(containsString("Uncaught")));
    }
  }
}
