package org.livemetrics.api;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.livemetrics.query.TwoTenants.A1;
import static org.livemetrics.query.TwoTenants.A2;
import static org.livemetrics.query.TwoTenants.B1;
import static org.livemetrics.query.TwoTenants.RANGE;
import static org.livemetrics.query.TwoTenants.U1;
import static org.livemetrics.query.TwoTenants.X9;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.query.TwoTenants;
import org.livemetrics.schemas.elasticsearch.ElasticsearchConnection;
import org.livemetrics.testdata.services.LocalElasticsearch;
import org.livemetrics.testdata.services.ServerRule;

/**
 * Tenant isolation over HTTP (issue 16): {@code livemetrics serve --channel-owners} on the same
 * rows in Parquet and in a real Elasticsearch ({@link TwoTenants}: alpha and beta own their
 * channels, two channels are unmapped). Each token reads exactly its account's rows on every
 * endpoint and every family; another account's channel answers as a channel that does not exist;
 * the token for every account reads every channel at {@code accounts/*}.
 */
public class TenantIsolationApiTest {
  @ClassRule
  public static final ServerRule<LocalElasticsearch> ES = ServerRule.of(new LocalElasticsearch());
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final String ALIAS = "t-api-owners-aggregates";
  private static final Clock NOON =
      Clock.fixed(Instant.parse("2020-02-15T12:00:00Z"), ZoneOffset.UTC);
  private static final String ALPHA = AccessTokens.newToken();
  private static final String BETA = AccessTokens.newToken();
  private static final String ALL = AccessTokens.newToken();

  private static ElasticsearchConnection es;
  private static final List<ServeCommand.Serving> SERVERS = new ArrayList<>();

  @BeforeClass
  public static void serveBothStores() throws Exception {
    Path parquet = TwoTenants.writeParquet(TMP.newFolder("store").toPath());
    es = ElasticsearchConnection.parse(ES.server().endpoint());
    TwoTenants.storeInElasticsearch(es, ALIAS);
    Path owners = TMP.newFile("owners").toPath();
    Files.write(owners, TwoTenants.OWNERS_FILE);
    String tokens = String.join("\n", AccessTokens.entryLine(ALPHA, "alpha"),
        AccessTokens.entryLine(BETA, "beta"), AccessTokens.entryLine(ALL, "*"));
    for (String store : List.of(parquet.toString(), ES.server().endpoint() + "/" + ALIAS)) {
      SERVERS.add(ServeCommand.start(new String[] {"--store", store, "--port", "0",
          "--channel-owners", owners.toString()}, tokens, NOON));
    }
  }

  @AfterClass
  public static void stop() throws Exception {
    SERVERS.forEach(ServeCommand.Serving::close);
    if (es != null) {
      TwoTenants.drop(es, ALIAS);
    }
  }

  /** The body both servers answer with status {@code status}; they must agree. */
  private static String answer(int status, String pathAndQuery, String token) {
    String body = null;
    for (ServeCommand.Serving s : SERVERS) {
      Http.Response r = Http.get(s.server.uri(), pathAndQuery, token);
      assertEquals(s.location + " " + pathAndQuery + ": " + r, status, r.status());
      if (body != null) {
        assertEquals(s.location + " " + pathAndQuery, body, r.text());
      }
      body = r.text();
    }
    return body;
  }

  private static String ok(String pathAndQuery, String token) {
    return answer(200, pathAndQuery, token);
  }

  private static final String BROADCAST = "metrics=channel_concurrency,starvation_count,"
      + "starvation_seconds&" + RANGE;

  private static String totals(String dimensions, long concurrency, long count, String seconds) {
    return "{\"dimensions\":{" + dimensions + "},\"totals\":{\"channel_concurrency\":"
        + concurrency + ",\"starvation_count\":" + count + ",\"starvation_seconds\":" + seconds
        + "}}";
  }

  @Test
  public void serveSaysHowManyChannelRulesItRead() {
    for (ServeCommand.Serving s : SERVERS) {
      assertThat(s.describe(), containsString("3 tokens, 3 channel owners rules)"));
    }
  }

  @Test
  public void broadcastMetricsOfEachTokenAreItsChannels() {
    assertEquals("{\"data\":[" + totals("", 2, 1, "0.5") + "]}",
        ok("/v1/events/accounts/alpha?" + BROADCAST, ALPHA));
    assertEquals("{\"data\":[" + totals("", 1, 2, "2") + "]}",
        ok("/v1/events/accounts/beta?" + BROADCAST, BETA));
    assertEquals("{\"data\":[" + totals("", 5, 4, "9.5") + "]}",
        ok("/v1/events/accounts/*?" + BROADCAST, ALL));
    // The token for every account reading alpha's path sees alpha's channels: the path selects.
    assertEquals("{\"data\":[" + totals("", 2, 1, "0.5") + "]}",
        ok("/v1/events/accounts/alpha?" + BROADCAST, ALL));

    String channels = ok("/v1/timeseries/accounts/alpha?dimensions=region,channel&" + BROADCAST
        + "&bucket_duration=1h", ALPHA);
    assertThat(channels, containsString(A1));
    assertThat(channels, containsString(A2));
    for (String other : List.of(B1, X9, U1, "222222222222", "333333333333")) {
      assertThat(channels, not(containsString(other)));
    }
    String all = ok("/v1/events/accounts/*?dimensions=region,channel&" + BROADCAST, ALL);
    for (String channel : List.of(A1, A2, B1, X9, U1)) {
      assertThat(all, containsString(channel));
    }
  }

  @Test
  public void anotherAccountsChannelAnswersAsIfItDidNotExist() {
    String none = "arn:aws:ivs:us-west-2:111111111111:channel/never-existed";
    for (String endpoint : List.of("/v1/events/accounts/alpha?dimensions=region,channel&"
        + BROADCAST, "/v1/timeseries/accounts/alpha?dimensions=region,channel&" + BROADCAST,
        "/v1/streams/accounts/alpha?" + RANGE)) {
      String absent = ok(endpoint + "&where=channel==" + none, ALPHA);
      for (String other : List.of(B1, X9, U1)) {
        assertEquals(endpoint + " " + other, absent,
            ok(endpoint + "&where=channel==" + other, ALPHA));
      }
    }
    // Another account's path or the all-channels view: 403, whatever exists there.
    for (String path : List.of("/v1/events/accounts/beta?" + BROADCAST,
        "/v1/events/accounts/*?" + BROADCAST, "/v1/streams/accounts/*?" + RANGE,
        "/v1/streams/accounts/beta?" + RANGE, "/v1/streams/accounts/222222222222?" + RANGE,
        "/v1/events/accounts/beta?dimensions=video&metrics=video_view&where=video==5555",
        "/v1/events/accounts/beta/videos/5555/export?format=xlsx")) {
      String refusal = answer(403, path, ALPHA);
      for (String channel : List.of(B1, X9, U1)) {
        assertThat(path, refusal, not(containsString(channel)));
      }
    }
  }

  @Test
  public void streamsOfEachTokenAreThoseOfItsChannels() throws Exception {
    assertEquals(List.of("st-a1"), streamIds(ok("/v1/streams/accounts/alpha?" + RANGE, ALPHA)));
    assertEquals(List.of("st-b1"), streamIds(ok("/v1/streams/accounts/beta?" + RANGE, BETA)));
    assertEquals(List.of("st-a1", "st-b1", "st-x9", "st-u1"),
        streamIds(ok("/v1/streams/accounts/*?" + RANGE, ALL)));
    assertEquals(List.of(), streamIds(ok("/v1/streams/accounts/alpha?" + RANGE
        + "&where=region==us-west-2;outcome==open,failed", ALPHA)));
  }

  private static List<String> streamIds(String body) throws Exception {
    List<String> ids = new ArrayList<>();
    Http.JSON.readTree(body).path("data").forEach(s -> ids.add(s.path("stream_id").asText()));
    return ids;
  }

  @Test
  public void audienceAndQosRowsAreThoseOfThePathAccount() {
    String views = "?dimensions=video&metrics=video_view&where=video==5555&" + RANGE;
    assertEquals("{\"data\":[{\"dimensions\":{\"account\":\"alpha\",\"video\":\"5555\"},"
        + "\"totals\":{\"video_view\":3}}]}", ok("/v1/events/accounts/alpha" + views, ALPHA));
    assertEquals("{\"data\":[{\"dimensions\":{\"account\":\"beta\",\"video\":\"5555\"},"
        + "\"totals\":{\"video_view\":7}}]}", ok("/v1/events/accounts/beta" + views, BETA));
    String sessions = "?metrics=concurrent_sessions&" + RANGE;
    assertEquals("{\"data\":[{\"dimensions\":{\"account\":\"alpha\"},\"totals\":"
        + "{\"concurrent_sessions\":4}}]}", ok("/v1/events/accounts/alpha" + sessions, ALPHA));
    assertEquals("{\"data\":[{\"dimensions\":{\"account\":\"beta\"},\"totals\":"
        + "{\"concurrent_sessions\":9}}]}", ok("/v1/events/accounts/beta" + sessions, BETA));
    // accounts/* is the view of channels, not of every account's viewers (nor their report).
    assertThat(answer(400, "/v1/events/accounts/*" + views, ALL),
        containsString("\"parameter\":\"path\""));
    assertThat(answer(400, "/v1/events/accounts/*/videos/5555/export?format=xlsx", ALL),
        containsString("\"parameter\":\"path\""));
  }

  @Test
  public void theExportOfAVideoHoldsTheRowsOfThePathAccountOnly() throws Exception {
    String export = "/videos/5555/export?format=xlsx&" + RANGE;
    for (Map.Entry<String, Double> e : Map.of("alpha", 3.0, "beta", 7.0).entrySet()) {
      for (ServeCommand.Serving s : SERVERS) {
        Http.Response r = Http.get(s.server.uri(), "/v1/events/accounts/" + e.getKey() + export,
            e.getKey().equals("alpha") ? ALPHA : BETA);
        assertEquals(r.toString(), 200, r.status());
        try (XSSFWorkbook workbook = Workbooks.open(r.body())) {
          assertEquals(s.location, e.getValue(), Workbooks.summary(workbook).get("Views"));
        }
      }
    }
  }
}
