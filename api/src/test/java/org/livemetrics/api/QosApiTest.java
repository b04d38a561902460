package org.livemetrics.api;

import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_SKETCH_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_SUM_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.BUFFERING_TIME_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.EXITS_BEFORE_VIDEO_START_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYBACK_ATTEMPTS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYBACK_FAILURES_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYING_TIME_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.SESSIONS_LOADED_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.SESSIONS_PLAYED_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.SESSIONS_REBUFFERED_FIELD;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.livemetrics.query.Rows.t;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.livemetrics.query.InMemoryAggregateStore;
import org.livemetrics.query.QueryEngine;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.LatencySketch;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.schemas.StreamSession;

/**
 * QoS, broadcast and stream requests over HTTP, against hand-made rows whose answers are worked out
 * by hand: the same engine and JSON as {@code livemetrics query}, the same access control and
 * 400s naming the parameter.
 */
public class QosApiTest {
  private static final String ARN = "arn:aws:ivs:us-west-2:123456789012:channel/a";
  private static final long M0 = t("2020-02-15T10:00");
  private static final long M1 = t("2020-02-15T10:01");

  private static ApiServer server;
  private static URI uri;
  private static InMemoryAggregateStore store;

  private static byte[] sketch(double... values) {
    KllDoublesSketch s = LatencySketch.newSketch();
    for (double v : values) {
      s.update(v);
    }
    return s.toByteArray();
  }

  private static QosMinute.Builder web(long minute) {
    return QosMinute.builder().account("1234").dimensionSet(QosDimensionSet.CLIENT_PLATFORM)
        .clientPlatform("web").minute(minute);
  }

  @BeforeClass
  public static void startServer() {
    store = new InMemoryAggregateStore(List.of(),
        List.of(
            // 10:00: 4000 ms played, 1000 buffering; latencies 1000, 2000, 9000. Sessions ended:
            // 4 loaded (1 exited before start), 5 attempted (1 failed), 4 played (1 rebuffered).
            web(M0).concurrentSessions(3).count(PLAYING_TIME_MS_FIELD, 4000)
                .count(BUFFERING_TIME_MS_FIELD, 1000)
                .count(LIVE_LATENCY_COUNT_FIELD, 3).count(LIVE_LATENCY_SUM_MS_FIELD, 12_000)
                .sketch(LIVE_LATENCY_SKETCH_FIELD, sketch(1000, 2000, 9000))
                .count(SESSIONS_LOADED_FIELD, 4).count(EXITS_BEFORE_VIDEO_START_FIELD, 1)
                .count(PLAYBACK_ATTEMPTS_FIELD, 5).count(PLAYBACK_FAILURES_FIELD, 1)
                .count(SESSIONS_PLAYED_FIELD, 4).count(SESSIONS_REBUFFERED_FIELD, 1).build(),
            // 10:01: 5000 played, nothing buffering; latency 3000. Sessions ended: 2 loaded (1
            // exited), 3 attempted (none failed), 2 played (both rebuffered).
            web(M1).concurrentSessions(4).count(PLAYING_TIME_MS_FIELD, 5000)
                .count(LIVE_LATENCY_COUNT_FIELD, 1).count(LIVE_LATENCY_SUM_MS_FIELD, 3000)
                .sketch(LIVE_LATENCY_SKETCH_FIELD, sketch(3000))
                .count(SESSIONS_LOADED_FIELD, 2).count(EXITS_BEFORE_VIDEO_START_FIELD, 1)
                .count(PLAYBACK_ATTEMPTS_FIELD, 3).count(PLAYBACK_FAILURES_FIELD, 0)
                .count(SESSIONS_PLAYED_FIELD, 2).count(SESSIONS_REBUFFERED_FIELD, 2).build(),
            // The same viewers by country: BR 10:00 2 sessions (3000 played, 1000 buffering),
            // BR 10:01 4 (5000 played); US 10:00 1 (1000 played).
            QosMinute.builder().account("1234").dimensionSet(QosDimensionSet.COUNTRY)
                .country("BR").minute(M0).concurrentSessions(2).count(PLAYING_TIME_MS_FIELD, 3000)
                .count(BUFFERING_TIME_MS_FIELD, 1000).build(),
            QosMinute.builder().account("1234").dimensionSet(QosDimensionSet.COUNTRY)
                .country("BR").minute(M1).concurrentSessions(4)
                .count(PLAYING_TIME_MS_FIELD, 5000).build(),
            QosMinute.builder().account("1234").dimensionSet(QosDimensionSet.COUNTRY)
                .country("US").minute(M0).concurrentSessions(1)
                .count(PLAYING_TIME_MS_FIELD, 1000).build()),
        List.of(
            new BroadcastMinute(BroadcastMinute.Scope.ALL, null, null, null, M0, 2, 1, 2500),
            new BroadcastMinute(BroadcastMinute.Scope.ALL, null, null, null, M1, 1, 0, 500)),
        List.of(new StreamSession("123456789012", "us-west-2", ARN, "a", "st-1", M0, null,
            StreamSession.Outcome.OPEN, 90_000L, M0 + 90_000, 4, null, null, 0, 0)));
    server = ApiServer.builder(new QueryEngine(store),
            AccessTokens.parse(ApiServerTest.TOKENS.split("\n"), "test"))
        .clock(Clock.fixed(Instant.ofEpochMilli(ApiServerTest.NOW), ZoneOffset.UTC))
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

  private static String ok(String pathAndQuery, String token) {
    Http.Response r = Http.get(uri, pathAndQuery, token);
    assertEquals(r.toString(), 200, r.status());
    assertEquals("application/json", r.header("Content-Type"));
    return r.text();
  }

  private static void assertBadRequest(String pathAndQuery, String parameter, String inMessage) {
    Http.Response r = Http.get(uri, pathAndQuery, ApiServerTest.TOKEN_1234);
    assertEquals(r.toString(), 400, r.status());
    JsonNode error = r.json().path("error");
    assertEquals(r.toString(), parameter, error.path("parameter").asText());
    assertThat(error.path("message").asText(), containsString(inMessage));
  }

  /** The server's size limits hold for QoS answers as for audience ones (ApiServerTest). */
  @Test
  public void qosAnswersKeepTheServersSizeLimits() {
    ApiServer small = ApiServer.builder(new QueryEngine(store),
            AccessTokens.parse(ApiServerTest.TOKENS.split("\n"), "test"))
        .clock(Clock.fixed(Instant.ofEpochMilli(ApiServerTest.NOW), ZoneOffset.UTC))
        .maxPointsPerResponse(3)
        .maxVideos(2)
        .bind("127.0.0.1")
        .port(0)
        .build()
        .start();
    try {
      // web's two minutes: 2 points per metric.
      String series = "/v1/timeseries/accounts/1234?dimensions=client_platform&from=" + M0
          + "&to=" + (M1 + 59_999) + "&metrics=";
      assertEquals(200, Http.get(small.uri(), series + "concurrent_sessions",
          ApiServerTest.TOKEN_1234).status());
      Http.Response r = Http.get(small.uri(), series + "concurrent_sessions,buffer_ratio",
          ApiServerTest.TOKEN_1234);
      assertEquals(r.toString(), 400, r.status());
      assertEquals("bucket_duration", r.json().path("error").path("parameter").asText());
      assertThat(r.json().path("error").path("message").asText(),
          containsString("would hold 4 points, more than this server's limit of 3"));

      r = Http.get(small.uri(), "/v1/events/accounts/1234?dimensions=video,client_platform"
          + "&metrics=buffer_ratio&where=video==a,b,c", ApiServerTest.TOKEN_1234);
      assertEquals(r.toString(), 400, r.status());
      assertEquals("where", r.json().path("error").path("parameter").asText());
      assertThat(r.json().path("error").path("message").asText(),
          containsString("names 3 videos; this server answers at most 2"));
    } finally {
      small.stop();
    }
  }

  @Test
  public void viewerQosPerPlatformOverTwoMinutes() {
    // One 2-minute bucket: sessions peak 4; buffer 1000 / (4000 + 1000 + 5000) = 0.1;
    // latencies {1000, 2000, 3000, 9000}: p95 = sorted[ceil(3.8) - 1] = 9000.
    assertEquals("{\"concurrent_sessions\":{\"data\":[{\"dimensions\":{\"account\":\"1234\","
        + "\"client_platform\":\"web\"},\"points\":[{\"timestamp\":" + M0 + ",\"value\":4}]}]},"
        + "\"buffer_ratio\":{\"data\":[{\"dimensions\":{\"account\":\"1234\","
        + "\"client_platform\":\"web\"},\"points\":[{\"timestamp\":" + M0 + ",\"value\":0.1}]}]},"
        + "\"live_latency_ms_p95\":{\"data\":[{\"dimensions\":{\"account\":\"1234\","
        + "\"client_platform\":\"web\"},\"points\":[{\"timestamp\":" + M0
        + ",\"value\":9000}]}]}}",
        ok("/v1/timeseries/accounts/1234?dimensions=client_platform&metrics=concurrent_sessions,"
            + "buffer_ratio,live_latency_ms_p95&where=client_platform==web&from=" + M0 + "&to="
            + (M1 + 59_999) + "&bucket_duration=2m", ApiServerTest.TOKEN_1234));
  }

  @Test
  public void viewerQosByCountryWithWhere() {
    // BR over both minutes: peak sessions 4; buffer 1000 / (3000 + 1000 + 5000) = 0.111111.
    assertEquals("{\"data\":[{\"dimensions\":{\"account\":\"1234\",\"country\":\"BR\"},"
        + "\"totals\":{\"concurrent_sessions\":4,\"buffer_ratio\":0.111111}}]}",
        ok("/v1/events/accounts/1234?dimensions=country&metrics=concurrent_sessions,buffer_ratio"
            + "&where=country==BR&from=" + M0 + "&to=" + (M1 + 59_999), ApiServerTest.TOKEN_1234));
  }

  @Test
  public void sessionPercentagesPerMinuteAndOverTheRange() {
    // Per minute: rebuffered / played = 1/4 at 10:00, 2/2 at 10:01.
    assertEquals("{\"rebuffer_percentage\":{\"data\":[{\"dimensions\":{\"account\":\"1234\","
        + "\"client_platform\":\"web\"},\"points\":[{\"timestamp\":" + M0 + ",\"value\":0.25},"
        + "{\"timestamp\":" + M1 + ",\"value\":1}]}]}}",
        ok("/v1/timeseries/accounts/1234?metrics=rebuffer_percentage&dimensions=client_platform"
            + "&from=" + M0 + "&to=" + (M1 + 59_999) + "&bucket_duration=1m",
            ApiServerTest.TOKEN_1234));
    // Over both minutes, ratios of sums: exits 2 of 6 loaded, failures 1 of 8 attempts,
    // rebuffered 3 of 6 played.
    String totals = ok("/v1/events/accounts/1234?dimensions=client_platform&metrics="
        + "exits_before_video_start,exits_before_video_start_percentage,"
        + "playback_failure_percentage,rebuffer_percentage&from=" + M0 + "&to=" + (M1 + 59_999),
        ApiServerTest.TOKEN_1234);
    assertThat(totals, containsString("\"totals\":{\"exits_before_video_start\":2,"
        + "\"exits_before_video_start_percentage\":0.333333,"
        + "\"playback_failure_percentage\":0.125,\"rebuffer_percentage\":0.5}"));
  }

  @Test
  public void broadcastOverallPerMinute() {
    assertEquals("{\"data\":[{\"dimensions\":{},\"totals\":{\"channel_concurrency\":2,"
        + "\"starvation_seconds\":3}}]}",
        ok("/v1/events/accounts/*?metrics=channel_concurrency,starvation_seconds&from=" + M0
            + "&to=" + (M1 + 59_999), ApiServerTest.TOKEN_ALL));
  }

  @Test
  public void everyStreamNeedsATokenForEveryAccount() {
    String path = "/v1/streams/accounts/*?from=" + M0 + "&to=" + (M1 + 59_999);
    assertEquals("{\"data\":[{\"account\":\"123456789012\",\"region\":\"us-west-2\",\"channel\":\""
        + ARN + "\",\"channel_name\":\"a\",\"stream_id\":\"st-1\",\"start\":" + M0
        + ",\"end\":null,\"outcome\":\"open\",\"duration_seconds\":90,\"as_of\":" + (M0 + 90_000)
        + ",\"session_created\":null,\"session_ended\":null,\"starvation_count\":0,"
        + "\"starvation_seconds\":0}]}", ok(path, ApiServerTest.TOKEN_ALL));
    assertEquals(403, Http.get(uri, path, ApiServerTest.TOKEN_1234).status());
  }

  @Test
  public void refusalsNameTheParameterAndWhatIsAllowed() {
    assertBadRequest("/v1/timeseries/accounts/1234?dimensions=video&where=video==5555"
        + "&metrics=ccu,buffer_ratio", "metrics",
        "mixes audience metrics (ccu) with viewer QoS metrics (buffer_ratio)");
    assertBadRequest("/v1/timeseries/accounts/1234?dimensions=video,country&metrics=buffer_ratio",
        "dimensions", "use (none) | client_platform | video | video,client_platform | country |"
            + " device_type");
    assertBadRequest("/v1/events/accounts/1234?dimensions=device_type&metrics=buffer_ratio"
        + "&where=device_type==toaster", "where", "unknown device_type 'toaster'");
    assertBadRequest("/v1/timeseries/accounts/1234?dimensions=client_platform"
        + "&metrics=channel_concurrency", "dimensions", "use (none) | region | region,channel");
    assertBadRequest("/v1/timeseries/accounts/1234?metrics=latency", "metrics",
        "unknown metric 'latency'; use any of ");
    assertBadRequest("/v1/streams/accounts/1234?where=video==1", "where",
        "/v1/streams filters on region, channel, outcome");
  }
}
