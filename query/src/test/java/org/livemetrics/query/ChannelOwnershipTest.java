package org.livemetrics.query;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.livemetrics.query.TwoTenants.A1;
import static org.livemetrics.query.TwoTenants.A2;
import static org.livemetrics.query.TwoTenants.B1;
import static org.livemetrics.query.TwoTenants.M0;
import static org.livemetrics.query.TwoTenants.M1;
import static org.livemetrics.query.TwoTenants.OWNERS_FILE;
import static org.livemetrics.query.TwoTenants.RANGE;
import static org.livemetrics.query.TwoTenants.U1;
import static org.livemetrics.query.TwoTenants.X9;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.StreamSession;
import org.livemetrics.schemas.elasticsearch.ElasticsearchConnection;
import org.livemetrics.testdata.services.LocalElasticsearch;
import org.livemetrics.testdata.services.ServerRule;

/**
 * Tenant isolation (issue 16): accounts {@code alpha} and {@code beta} own their channels through
 * {@link ChannelOwners}, {@code gamma} shares one of alpha's, {@code delta} owns none, and two
 * channels are unmapped. The same rows in Parquet and in a real Elasticsearch (two hits a page);
 * every account sees exactly its own rows of every family, whatever the dimensions, filters and
 * range, and {@code *} sees every channel. Expected values are sums worked out by hand from the
 * rows of {@link TwoTenants}.
 */
public class ChannelOwnershipTest {
  @ClassRule
  public static final ServerRule<LocalElasticsearch> ES = ServerRule.of(new LocalElasticsearch());
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final String ALIAS = "t-owners-aggregates";
  private static final Clock NOON =
      Clock.fixed(Instant.parse("2020-02-15T12:00:00Z"), ZoneOffset.UTC);

  private static ElasticsearchConnection es;
  private static ParquetAggregateStore parquet;
  private static ElasticsearchAggregateStore elasticsearch;
  private static QueryEngine onParquet;
  private static QueryEngine onElasticsearch;

  @BeforeClass
  public static void storeTheRowsInBoth() throws IOException {
    parquet = new ParquetAggregateStore(
        TwoTenants.writeParquet(TMP.newFolder("store").toPath()).toString(),
        PipelineOptionsFactory.create());
    es = ElasticsearchConnection.parse(ES.server().endpoint());
    TwoTenants.storeInElasticsearch(es, ALIAS);
    elasticsearch = new ElasticsearchAggregateStore(es, ALIAS, 2, 2);

    ChannelOwners owners = ChannelOwners.parse(OWNERS_FILE, "owners");
    onParquet = new QueryEngine(parquet, QueryEngine.DEFAULT_MAX_POINTS_PER_SERIES, owners);
    onElasticsearch =
        new QueryEngine(elasticsearch, QueryEngine.DEFAULT_MAX_POINTS_PER_SERIES, owners);
  }

  @AfterClass
  public static void close() throws IOException {
    if (parquet != null) {
      parquet.close();
    }
    if (es != null) {
      TwoTenants.drop(es, ALIAS);
    }
  }

  /** The answer of both stores, which must agree. */
  private static String answer(String uri) throws IOException {
    String fromParquet = BrightcoveJson.toJson(onParquet.execute(ApiRequest.parse(uri, NOON)));
    String fromElasticsearch =
        BrightcoveJson.toJson(onElasticsearch.execute(ApiRequest.parse(uri, NOON)));
    assertEquals(uri, fromParquet, fromElasticsearch);
    return fromParquet;
  }

  private static String totals(String dimensions, long concurrency, long count, String seconds) {
    return "{\"dimensions\":{" + dimensions + "},\"totals\":{\"channel_concurrency\":"
        + concurrency + ",\"starvation_count\":" + count + ",\"starvation_seconds\":" + seconds
        + "}}";
  }

  private static final String BROADCAST = "metrics=channel_concurrency,starvation_count,"
      + "starvation_seconds&" + RANGE;
  private static final String NOTHING = "{\"data\":[]}";

  @Test
  public void eachAccountSeesTheSumsOfItsOwnChannelsOnly() throws IOException {
    // alpha: a1 and a2 live at 10:00 (2), a1 at 10:01; a1's one episode of 0.5 s.
    assertEquals("{\"data\":[" + totals("", 2, 1, "0.5") + "]}",
        answer("/v1/events/accounts/alpha?" + BROADCAST));
    assertEquals("{\"data\":[" + totals("", 1, 2, "2") + "]}",
        answer("/v1/events/accounts/beta?" + BROADCAST));
    // gamma: a1 only, which it shares with alpha.
    assertEquals("{\"data\":[" + totals("", 1, 1, "0.5") + "]}",
        answer("/v1/events/accounts/gamma?" + BROADCAST));
    assertEquals(NOTHING, answer("/v1/events/accounts/delta?" + BROADCAST));
    // *: the overall rows, the unmapped x9 and u1 included.
    assertEquals("{\"data\":[" + totals("", 5, 4, "9.5") + "]}",
        answer("/v1/events/accounts/*?" + BROADCAST));
  }

  @Test
  public void regionsAndChannelsOfAnAccountAreItsOwn() throws IOException {
    assertEquals("{\"data\":[" + totals("\"region\":\"eu-west-1\"", 1, 0, "0") + ","
            + totals("\"region\":\"us-west-2\"", 1, 1, "0.5") + "]}",
        answer("/v1/events/accounts/alpha?dimensions=region&" + BROADCAST));
    assertEquals("{\"data\":[" + totals("\"region\":\"eu-west-1\"", 1, 0, "0") + ","
            + totals("\"region\":\"us-west-2\"", 4, 4, "9.5") + "]}",
        answer("/v1/events/accounts/*?dimensions=region&" + BROADCAST));
    assertEquals("{\"data\":["
            + totals("\"region\":\"eu-west-1\",\"channel\":\"" + A2 + "\"", 1, 0, "0") + ","
            + totals("\"region\":\"us-west-2\",\"channel\":\"" + A1 + "\"", 1, 1, "0.5") + "]}",
        answer("/v1/events/accounts/alpha?dimensions=region,channel&" + BROADCAST));
    assertEquals("{\"data\":["
            + totals("\"region\":\"us-west-2\",\"channel\":\"" + B1 + "\"", 1, 2, "2") + "]}",
        answer("/v1/events/accounts/beta?dimensions=region,channel&" + BROADCAST));
  }

  @Test
  public void noFilterReachesAnotherAccountsChannel() throws IOException {
    for (String account : List.of("alpha", "gamma", "delta")) {
      for (String other : List.of(B1, X9, U1)) {
        String where = "&where=channel==" + other;
        assertEquals(account + where, NOTHING, answer("/v1/events/accounts/" + account
            + "?dimensions=region,channel&" + BROADCAST + where));
        assertEquals(account + where, "{\"channel_concurrency\":{\"data\":[]},"
            + "\"starvation_count\":{\"data\":[]},\"starvation_seconds\":{\"data\":[]}}",
            answer("/v1/timeseries/accounts/" + account + "?dimensions=region,channel&"
                + BROADCAST + where + "&bucket_duration=1h"));
        assertEquals(account + where, NOTHING,
            answer("/v1/streams/accounts/" + account + "?" + RANGE + where));
      }
    }
    // A region filter keeps the account's own channels of the region, not the region's row.
    assertEquals("{\"data\":[" + totals("\"region\":\"us-west-2\"", 1, 1, "0.5") + "]}",
        answer("/v1/events/accounts/alpha?dimensions=region&" + BROADCAST
            + "&where=region==us-west-2"));
    // Any range: all time gives the same rows.
    assertEquals("{\"data\":[" + totals("", 1, 2, "2") + "]}",
        answer("/v1/events/accounts/beta?metrics=channel_concurrency,starvation_count,"
            + "starvation_seconds&from=0&to=" + (M1 + 3_600_000)));
  }

  @Test
  public void timeseriesPerMinuteOfAnAccount() throws IOException {
    assertEquals("{\"channel_concurrency\":{\"data\":[{\"dimensions\":{},\"points\":["
            + "{\"timestamp\":" + M0 + ",\"value\":2},{\"timestamp\":" + M1 + ",\"value\":1}]}]}}",
        answer("/v1/timeseries/accounts/alpha?metrics=channel_concurrency&" + RANGE));
    assertEquals("{\"channel_concurrency\":{\"data\":[{\"dimensions\":{},\"points\":["
            + "{\"timestamp\":" + M0 + ",\"value\":5},{\"timestamp\":" + M1 + ",\"value\":3}]}]}}",
        answer("/v1/timeseries/accounts/*?metrics=channel_concurrency&" + RANGE));
    assertEquals("{\"channel_concurrency\":{\"data\":[]}}",
        answer("/v1/timeseries/accounts/delta?metrics=channel_concurrency&" + RANGE));
  }

  private static List<String> streamIds(String uri) throws IOException {
    StreamsResult fromParquet = (StreamsResult) onParquet.execute(ApiRequest.parse(uri, NOON));
    answer(uri); // both stores agree
    return fromParquet.streams().stream().map(StreamSession::streamId).toList();
  }

  @Test
  public void streamsOfAnAccountAreThoseOfItsChannels() throws IOException {
    assertEquals(List.of("st-a1"), streamIds("/v1/streams/accounts/alpha?" + RANGE));
    assertEquals(List.of("st-b1"), streamIds("/v1/streams/accounts/beta?" + RANGE));
    assertEquals(List.of("st-a1"), streamIds("/v1/streams/accounts/gamma?" + RANGE));
    assertEquals(List.of(), streamIds("/v1/streams/accounts/delta?" + RANGE));
    // The path once took an AWS account: it is now an account like any other, owning nothing.
    assertEquals(List.of(), streamIds("/v1/streams/accounts/222222222222?" + RANGE));
    assertEquals(List.of("st-a1", "st-b1", "st-x9", "st-u1"),
        streamIds("/v1/streams/accounts/*?" + RANGE));
    assertEquals(List.of("st-b1"),
        streamIds("/v1/streams/accounts/beta?" + RANGE + "&where=region==us-west-2"));
  }

  @Test
  public void audienceAndQosRowsAreThoseOfThePathAccount() throws IOException {
    String views = "?dimensions=video&metrics=video_view,ccu&where=video==5555&" + RANGE;
    assertEquals("{\"data\":[{\"dimensions\":{\"account\":\"alpha\",\"video\":\"5555\"},\"totals\":{\"video_view\":3,"
        + "\"ccu\":4}}]}", answer("/v1/events/accounts/alpha" + views));
    assertEquals("{\"data\":[{\"dimensions\":{\"account\":\"beta\",\"video\":\"5555\"},\"totals\":{\"video_view\":7,"
        + "\"ccu\":9}}]}", answer("/v1/events/accounts/beta" + views));
    assertEquals(NOTHING, answer("/v1/events/accounts/gamma" + views));
    String sessions = "?metrics=concurrent_sessions&" + RANGE;
    assertEquals("{\"data\":[{\"dimensions\":{\"account\":\"alpha\"},\"totals\":"
        + "{\"concurrent_sessions\":4}}]}", answer("/v1/events/accounts/alpha" + sessions));
    assertEquals("{\"data\":[{\"dimensions\":{\"account\":\"beta\"},\"totals\":"
        + "{\"concurrent_sessions\":9}}]}", answer("/v1/events/accounts/beta" + sessions));
    assertEquals(NOTHING, answer("/v1/events/accounts/gamma" + sessions));

    // * is the view of every channel, not of every account's viewers.
    for (String uri : List.of("/v1/events/accounts/*" + views, "/v1/events/accounts/*" + sessions)) {
      QueryException e = assertThrows(QueryException.class,
          () -> onParquet.execute(ApiRequest.parse(uri, NOON)));
      assertEquals("path", e.parameter());
    }
  }

  @Test
  public void storesHandOverOnlyTheVisibleChannels() throws IOException {
    ChannelScope alpha = ChannelOwners.parse(OWNERS_FILE, "owners").scopeOf("alpha");
    BroadcastSelection selection = new BroadcastSelection(BroadcastMinute.Scope.CHANNEL,
        java.util.Set.of(), java.util.Set.of(), M0, M1, alpha);
    StreamSelection streams = new StreamSelection(alpha, java.util.Set.of(), java.util.Set.of(),
        M0, M1 + 59_999);
    for (AggregateStore store : List.<AggregateStore>of(parquet, elasticsearch)) {
      List<String> channels = new ArrayList<>();
      store.readBroadcast(selection, row -> channels.add(row.channelArn() + "@" + row.minute()));
      channels.sort(null);
      // Pushed into the read: the store itself hands over nothing of beta's or unmapped.
      assertEquals(store.toString(), List.of(A2 + "@" + M0, A1 + "@" + M0, A1 + "@" + M1),
          channels);
      List<String> ids = new ArrayList<>();
      store.readStreams(streams, s -> ids.add(s.streamId()));
      assertEquals(store.toString(), List.of("st-a1"), ids);
    }
  }

  @Test
  public void theOwnersFileSaysWhatIsWrong() throws IOException {
    for (Map.Entry<String, String> bad : Map.of(
        "12345 alpha", "neither a 12-digit AWS account id nor a channel ARN prefix",
        "111111111111", "expected '<AWS account id or channel ARN prefix> <account,...>'",
        "111111111111 alpha,*", "bad account list",
        "111111111111 alpha,,beta", "bad account list",
        "channel/a1 alpha", "neither").entrySet()) {
      QueryException e = assertThrows(bad.getKey(), QueryException.class,
          () -> ChannelOwners.parse(List.of("# rules", bad.getKey()), "f"));
      assertEquals("channel-owners", e.parameter());
      assertThat(e.getMessage(), containsString("f line 2: "));
      assertThat(e.getMessage(), containsString(bad.getValue()));
    }
    Path missing = TMP.getRoot().toPath().resolve("no-such-file");
    assertThat(assertThrows(QueryException.class, () -> ChannelOwners.load(missing))
        .getMessage(), containsString("cannot read"));
    Path file = TMP.newFile("owners").toPath();
    Files.write(file, OWNERS_FILE);
    assertEquals(3, ChannelOwners.load(file).size());
  }
}
