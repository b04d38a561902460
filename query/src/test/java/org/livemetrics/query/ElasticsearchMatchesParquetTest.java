package org.livemetrics.query;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.livemetrics.query.Rows.t;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.elasticsearch.AggregateDocuments;
import org.livemetrics.schemas.elasticsearch.ElasticsearchConnection;
import org.livemetrics.testdata.services.LocalElasticsearch;
import org.livemetrics.testdata.services.ServerRule;

/**
 * The same rows in Parquet and in Elasticsearch give byte-identical answers to every query: the
 * stores are interchangeable behind the API, the CLI and the report.
 */
public class ElasticsearchMatchesParquetTest {
  @ClassRule
  public static final ServerRule<LocalElasticsearch> ES = ServerRule.of(new LocalElasticsearch());
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final Clock NOW = Clock.fixed(Instant.parse("2020-02-17T00:00:00Z"),
      ZoneOffset.UTC);
  private static final long FROM = t("2020-02-15T23:00");
  private static final long TO = t("2020-02-16T00:59");

  private static Path parquetRoot;
  private static ParquetAggregateStore parquet;
  private static ElasticsearchAggregateStore elasticsearch;
  private static InMemoryAggregateStore memory;

  /**
   * Two accounts, three videos, two hours across a UTC midnight (two daily indices), every
   * dimension set; minutes missing at random so buckets are partly empty, and viewers that stay
   * across minutes so unions of sketches differ from sums of per-minute counts.
   */
  static List<MinuteAggregate> rows() {
    Random random = new Random(20200215);
    List<MinuteAggregate> rows = new ArrayList<>();
    for (String account : List.of("1234", "9999")) {
      for (String video : List.of("5555", "5556", "5557")) {
        for (long m = FROM; m <= TO; m += 60_000) {
          if (random.nextInt(10) < 3) {
            continue;
          }
          int first = random.nextInt(200);
          rows.add(withMetrics(Rows.video(video, m).account(account), random, first));
          for (String country : List.of("US", "FR", "unknown")) {
            if (random.nextBoolean()) {
              rows.add(withMetrics(Rows.country(video, country, m).account(account), random,
                  first + random.nextInt(20)));
            }
          }
          for (String device : List.of("desktop", "mobile")) {
            if (random.nextBoolean()) {
              rows.add(withMetrics(Rows.device(video, device, m).account(account), random,
                  first + random.nextInt(20)));
            }
          }
        }
      }
    }
    return rows;
  }

  private static MinuteAggregate withMetrics(Rows r, Random random, int first) {
    return r.sessions(first, first + random.nextInt(60))
        .fingerprints(first, first + random.nextInt(30))
        .views(random.nextInt(20)).impressions(random.nextInt(30)).ads(random.nextInt(3))
        .secondsViewedMs(random.nextInt(3_600_000)).build();
  }

  @BeforeClass
  public static void storeTheSameRowsTwice() throws IOException {
    List<MinuteAggregate> rows = rows();
    parquetRoot = TMP.newFolder("store").toPath();
    new ParquetStoreWriter(parquetRoot).writeAll("r", rows);
    ElasticsearchConnection es = ElasticsearchConnection.parse(ES.server().endpoint());
    ElasticsearchRows.store(es, AggregateDocuments.DEFAULT_PREFIX, rows);
    assertEquals(rows.size(), ElasticsearchRows.count(es, AggregateDocuments.DEFAULT_PREFIX));

    parquet = new ParquetAggregateStore(parquetRoot.toString());
    // Small pages, so answers span many search_after pages.
    elasticsearch = new ElasticsearchAggregateStore(es, AggregateDocuments.DEFAULT_PREFIX, 97, 29);
    memory = new InMemoryAggregateStore(rows);
  }

  @AfterClass
  public static void closeStores() {
    if (parquet != null) {
      parquet.close();
    }
  }

  private static final String TS = "/v1/timeseries/accounts/1234?";
  private static final String EV = "/v1/events/accounts/1234?";
  private static final String ALL = "ccu,fingerprint_count,video_view,video_impression,"
      + "video_seconds_viewed,alive_ss_ad_start";
  private static final String RANGE = "&from=" + FROM + "&to=" + TO;

  private static final List<String> QUERIES = List.of(
      // Timeseries: one-minute to multi-hour buckets, an explicit and an implied grid start,
      // bucket_limit, each dimension set, filters on the secondary dimension.
      TS + "dimensions=video&metrics=" + ALL + "&where=video==5555,5556" + RANGE,
      TS + "dimensions=video&metrics=" + ALL + "&where=video==5555,5556,5557" + RANGE
          + "&bucket_duration=7m",
      TS + "dimensions=video&metrics=ccu,fingerprint_count&where=video==5557" + RANGE
          + "&bucket_duration=1h",
      TS + "dimensions=video&metrics=ccu,video_view&where=video==5555&to=" + TO
          + "&bucket_duration=2h",
      TS + "dimensions=video&metrics=" + ALL + "&where=video==5556" + RANGE + "&bucket_limit=5",
      TS + "dimensions=video,country&metrics=" + ALL + "&where=video==5555,5556" + RANGE
          + "&bucket_duration=15m",
      TS + "dimensions=video,country&metrics=ccu,video_view&where=video==5555;country==US,FR"
          + RANGE + "&bucket_duration=1m",
      TS + "dimensions=video,device_type&metrics=" + ALL + "&where=video==5557" + RANGE
          + "&bucket_duration=30m",
      TS + "dimensions=video,device_type&metrics=fingerprint_count&where=video==5555,5557;"
          + "device_type==mobile" + RANGE + "&bucket_duration=1d",
      // Events: unique metrics from sketch unions across midnight (both daily indices).
      EV + "dimensions=video&metrics=" + ALL + "&where=video==5555,5556,5557" + RANGE,
      EV + "dimensions=video&metrics=ccu,fingerprint_count&where=video==5555&from="
          + t("2020-02-15T23:30") + "&to=" + t("2020-02-16T00:30"),
      EV + "dimensions=video,country&metrics=" + ALL + "&where=video==5555,5556" + RANGE,
      EV + "dimensions=video,country&metrics=ccu,video_view&where=video==5557;country==unknown"
          + RANGE,
      EV + "dimensions=video,device_type&metrics=" + ALL + "&where=video==5556" + RANGE,
      EV + "dimensions=video&metrics=video_view&where=video==5555",
      // Another account, and a range with no rows at all.
      "/v1/events/accounts/9999?dimensions=video,device_type&metrics=" + ALL
          + "&where=video==5555,5556" + RANGE,
      "/v1/timeseries/accounts/9999?dimensions=video&metrics=ccu&where=video==5557" + RANGE
          + "&bucket_duration=10m",
      EV + "dimensions=video&metrics=ccu&where=video==5555&from=" + t("2020-02-16T05:00"));

  private static String answer(AggregateStore store, String uri) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BrightcoveJson.write(new QueryEngine(store).execute(QueryRequest.parse(uri, NOW)), out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  public void everyQueryGetsByteIdenticalAnswersFromBothStores() throws IOException {
    int withData = 0;
    for (String uri : QUERIES) {
      String fromParquet = answer(parquet, uri);
      assertEquals(uri, fromParquet, answer(elasticsearch, uri));
      // And both are what the rows themselves say.
      assertEquals(uri, answer(memory, uri), fromParquet);
      if (fromParquet.contains("\"value\":") || fromParquet.contains("\"totals\":")) {
        withData++;
      }
    }
    assertEquals("every query but the empty range has data", QUERIES.size() - 1, withData);
  }

  @Test
  public void storesOpenedByLocationAnswerAlike() throws IOException {
    String uri = EV + "dimensions=video,country&metrics=ccu,fingerprint_count,video_view"
        + "&where=video==5555,5556" + RANGE;
    try (AggregateStore es = AggregateStores.open(ES.server().endpoint(), () -> {
      throw new AssertionError("an Elasticsearch store needs no Beam options");
    })) {
      assertEquals(answer(parquet, uri), answer(es, uri));
    }
  }

  @Test
  public void theQueryCommandReadsElasticsearchLikeParquet() {
    String now = Long.toString(NOW.millis());
    for (String uri : List.of(QUERIES.get(1), QUERIES.get(9))) {
      var fromEs = QueryCommandTest.run("--store", ES.server().endpoint(), "--now", now, uri);
      assertEquals(fromEs.err(), QueryCommand.OK, fromEs.status());
      var fromParquet = QueryCommandTest.run("--store", parquetRoot.toString(), "--now", now, uri);
      assertEquals(fromParquet.out(), fromEs.out());
      assertTrue(fromEs.out().endsWith("}\n"));
    }
    // The alias can be named in the location.
    String alias = ES.server().endpoint() + "/" + AggregateDocuments.DEFAULT_PREFIX;
    var named = QueryCommandTest.run("--store=" + alias, "--now=" + now, QUERIES.get(9));
    var parquetAnswer = QueryCommandTest.run("--store", parquetRoot.toString(), "--now", now,
        QUERIES.get(9));
    assertEquals(parquetAnswer.out(), named.out());
  }

  @Test
  public void theQueryCommandNamesAnUnreachableOrEmptyCluster() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    var r = QueryCommandTest.run("--store", "http://127.0.0.1:" + closed, QUERIES.get(9));
    assertEquals(QueryCommand.STORE_FAILED, r.status());
    assertEquals("", r.out());
    assertThat(r.err(), startsWith("error: store: cannot read http://127.0.0.1:" + closed + ": "));
    assertThat(r.err(), containsString("unreachable"));
    assertEquals(1, r.err().lines().count());

    r = QueryCommandTest.run("--store", ES.server().endpoint() + "/no-such-alias", QUERIES.get(9));
    assertEquals(QueryCommand.STORE_FAILED, r.status());
    assertThat(r.err(), containsString("has no index or alias 'no-such-alias'"));

    r = QueryCommandTest.run("--store", "http://127.0.0.1:9200/Upper", QUERIES.get(9));
    assertEquals(QueryCommand.BAD_REQUEST, r.status());
    assertThat(r.err(), startsWith("error: store: Elasticsearch index prefix 'Upper'"));
  }
}
