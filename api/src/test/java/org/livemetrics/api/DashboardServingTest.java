package org.livemetrics.api;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.livemetrics.query.Rows.t;

import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.livemetrics.query.InMemoryAggregateStore;
import org.livemetrics.query.QueryEngine;
import org.livemetrics.query.Rows;

/**
 * What {@code serve} adds for the dashboard, over HTTP without a browser: the static files and
 * their headers, {@code /v1/accounts} and {@code /v1/videos} (hand-made rows, answers by hand).
 */
public class DashboardServingTest {
  static final long NOW = t("2020-02-15T12:00");
  static final String TOKEN_1234 = "lm_reader1234Token0000000000000001WQWEQ";
  static final String TOKEN_ALL = "lm_readerAllToken0000000000000000319jqd";

  private static ApiServer server;
  private static URI uri;

  @BeforeClass
  public static void start() {
    InMemoryAggregateStore store = new InMemoryAggregateStore(List.of(
        Rows.video("5555", "2020-02-15T10:00").sessions(1, 8).views(3).build(),
        Rows.video("5555", "2020-02-15T11:59").sessions(1, 2).build(),
        // Rows but nobody viewing: not listed.
        Rows.video("5557", "2020-02-15T11:00").views(1).build(),
        Rows.video("5556", "2020-02-15T11:30").sessions(1, 1).build(),
        // Before the default 6 hours.
        Rows.video("5558", "2020-02-15T05:59").sessions(1, 1).build(),
        Rows.video("9999", "2020-02-15T11:00").account("9999").sessions(1, 5).build(),
        // A per-country row is not a video row.
        Rows.country("5559", "US", "2020-02-15T11:00").sessions(1, 5).build()));
    server = ApiServer.builder(new QueryEngine(store), AccessTokens.parse(new String[] {
                AccessTokens.entryLine(TOKEN_1234, "1234"),
                AccessTokens.entryLine(TOKEN_ALL, "*")}, "test"))
        .clock(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC))
        .videoListing(store)
        .port(0)
        .build()
        .start();
    uri = server.uri();
  }

  @AfterClass
  public static void stop() {
    server.stop();
  }

  @Test
  public void thePageAndItsFilesAreServedWithAStrictPolicyAndNoToken() throws Exception {
    Http.Response page = Http.get(uri, "/", null);
    assertEquals(200, page.status());
    assertEquals("text/html;charset=utf-8", page.header("Content-Type"));
    assertEquals("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
        + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        page.header("Content-Security-Policy"));
    assertEquals("nosniff", page.header("X-Content-Type-Options"));
    assertEquals("no-referrer", page.header("Referrer-Policy"));
    assertThat(page.text(), containsString("<script src=\"/dashboard/app.js\" defer></script>"));

    String[][] files = {
        {"/dashboard/app.js", "text/javascript;charset=utf-8", "dashboard/app.js"},
        {"/dashboard/app.css", "text/css;charset=utf-8", "dashboard/app.css"},
        {"/dashboard/vendor/uplot/uPlot.iife.min.js", "text/javascript;charset=utf-8",
            "dashboard/vendor/uplot/uPlot.iife.min.js"},
        {"/dashboard/vendor/uplot/uPlot.min.css", "text/css;charset=utf-8",
            "dashboard/vendor/uplot/uPlot.min.css"},
        {"/dashboard/vendor/uplot/LICENSE", "text/plain;charset=utf-8",
            "dashboard/vendor/uplot/LICENSE"}};
    for (String[] f : files) {
      Http.Response r = Http.get(uri, f[0], null);
      assertEquals(f[0], 200, r.status());
      assertEquals(f[0], f[1], r.header("Content-Type"));
      assertEquals(f[0], "no-cache", r.header("Cache-Control"));
      try (InputStream in = getClass().getClassLoader().getResourceAsStream(f[2])) {
        assertArrayEquals(f[0], in.readAllBytes(), r.body());
      }
    }
    assertThat(Http.get(uri, "/dashboard/vendor/uplot/LICENSE", null).text(),
        containsString("The MIT License (MIT)"));
    // No inline script or style anywhere in the page: the policy would block them.
    assertEquals(-1, page.text().indexOf("<script>"));
    assertEquals(-1, page.text().indexOf("<style"));
    assertEquals(-1, page.text().indexOf("style=\""));
    assertFalse(page.text(), java.util.regex.Pattern.compile("\\son[a-z]+\\s*=").matcher(page.text())
        .find());
  }

  @Test
  public void onlyTheListedFilesAreServed() {
    for (String path : new String[] {"/dashboard/index.html", "/dashboard/nope.js",
        "/dashboard/../pom.xml", "/dashboard/vendor/uplot/",
        "/dashboard/vendor/uplot/package.json", "/index.html"}) {
      Http.Response r = Http.get(uri, path, null);
      assertEquals(path + ": " + r, 404, r.status());
      assertEquals(path, "application/json", r.header("Content-Type"));
    }
    // Jetty refuses an encoded dot segment before any route sees it.
    assertEquals(400, Http.get(uri, "/dashboard/%2e%2e/%2e%2e/pom.xml", null).status());
    assertEquals(405, Http.send(uri, "POST", "/", null).status());
  }

  @Test
  public void accountsTellsWhatATokenMayRead() {
    assertEquals("{\"all_accounts\":false,\"accounts\":[\"1234\"]}",
        ok("/v1/accounts", TOKEN_1234));
    assertEquals("{\"all_accounts\":true,\"accounts\":[]}", ok("/v1/accounts", TOKEN_ALL));
    Http.Response wrong = Http.get(uri, "/v1/accounts", "not-a-configured-token");
    assertEquals(401, wrong.status());
    assertThat(wrong.header("WWW-Authenticate"), containsString("invalid_token"));
    assertEquals(401, Http.get(uri, "/v1/accounts", null).status());
  }

  @Test
  public void videosListsTheVideosWithViewersOfTheRange() {
    // Default: the 6 hours to now (06:00-12:00), minutes inclusive.
    assertEquals("{\"from\":" + t("2020-02-15T06:00") + ",\"to\":" + NOW + ",\"data\":["
        + "{\"video\":\"5555\",\"first_minute\":" + t("2020-02-15T10:00") + ",\"last_minute\":"
        + t("2020-02-15T11:59") + "},"
        + "{\"video\":\"5556\",\"first_minute\":" + t("2020-02-15T11:30") + ",\"last_minute\":"
        + t("2020-02-15T11:30") + "}]}",
        ok("/v1/videos/accounts/1234", TOKEN_1234));
    // A past range: 05:00-06:00 holds 5558's minute 05:59 only.
    assertEquals("{\"from\":" + t("2020-02-15T05:00") + ",\"to\":" + t("2020-02-15T06:00")
        + ",\"data\":[{\"video\":\"5558\",\"first_minute\":" + t("2020-02-15T05:59")
        + ",\"last_minute\":" + t("2020-02-15T05:59") + "}]}",
        ok("/v1/videos/accounts/1234?from=" + t("2020-02-15T05:00") + "&to="
            + t("2020-02-15T06:00"), TOKEN_1234));
    assertEquals("{\"from\":" + t("2020-02-15T06:00") + ",\"to\":" + NOW + ",\"data\":[]}",
        ok("/v1/videos/accounts/4444", TOKEN_ALL));
  }

  @Test
  public void videosRefusesOtherAccountsAndBadRanges() {
    assertEquals(403, Http.get(uri, "/v1/videos/accounts/9999", TOKEN_1234).status());
    assertEquals(401, Http.get(uri, "/v1/videos/accounts/1234", null).status());
    assertBadRequest("/v1/videos/accounts/1234?from=abc", "from", "cannot read 'abc' as a time"
        + "; use epoch ms, 2026-11-22T05:00:00Z, 2026-11-22T05 or 2026-11-22");
    assertBadRequest("/v1/videos/accounts/1234?from=" + NOW + "&to=" + (NOW - 1), "to",
        "must be after from (" + NOW + ")");
    assertBadRequest("/v1/videos/accounts/1234?from=0&to=" + NOW, "from",
        "the range is longer than 32 days; list a shorter one");
    assertBadRequest("/v1/videos/accounts/1234?colour=red", "colour",
        "unknown parameter; the video listing takes from, to");
    assertBadRequest("/v1/videos/accounts/1234?to=1&to=2", "to", "given more than once");
  }

  @Test
  public void withoutAStoreToListVideosIsNotFound() {
    ApiServer bare = ApiServer.builder(new QueryEngine(new InMemoryAggregateStore(List.of())),
            AccessTokens.parse(new String[] {AccessTokens.entryLine(TOKEN_1234, "1234")}, "test"))
        .port(0).build().start();
    try {
      Http.Response r = Http.get(bare.uri(), "/v1/videos/accounts/1234", TOKEN_1234);
      assertEquals(r.toString(), 404, r.status());
      assertEquals("this server does not list videos",
          r.json().get("error").get("message").asText());
      // Access is still checked first.
      assertEquals(403, Http.get(bare.uri(), "/v1/videos/accounts/9999", TOKEN_1234).status());
    } finally {
      bare.stop();
    }
  }

  private static String ok(String path, String token) {
    Http.Response r = Http.get(uri, path, token);
    assertEquals(r.toString(), 200, r.status());
    assertEquals("application/json", r.header("Content-Type"));
    return r.text();
  }

  private static void assertBadRequest(String path, String parameter, String message) {
    Http.Response r = Http.get(uri, path, TOKEN_1234);
    assertEquals(r.toString(), 400, r.status());
    assertEquals(r.toString(), parameter, r.json().get("error").get("parameter").asText());
    assertEquals(r.toString(), message, r.json().get("error").get("message").asText());
  }
}
