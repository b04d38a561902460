package org.livemetrics.query;

import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_VIEW_FIELD;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.livemetrics.query.Rows.t;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Before;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestName;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.elasticsearch.ElasticsearchConnection;
import org.livemetrics.testdata.services.LocalElasticsearch;
import org.livemetrics.testdata.services.ServerRule;

/** The Elasticsearch store against a real local Elasticsearch, one set of indices per test. */
public class ElasticsearchAggregateStoreTest {
  @ClassRule
  public static final ServerRule<LocalElasticsearch> ES = ServerRule.of(new LocalElasticsearch());

  @Rule public TestName test = new TestName();

  private ElasticsearchConnection es;
  /** This test's index prefix and alias. */
  private String alias;

  @Before
  public void setUp() {
    es = ElasticsearchConnection.parse(ES.server().endpoint());
    alias = "t-" + test.getMethodName().toLowerCase();
  }

  private ElasticsearchAggregateStore store() {
    return new ElasticsearchAggregateStore(es, alias);
  }

  private static AggregateSelection video5555(String from, String to, boolean sketches) {
    return new AggregateSelection("1234", DimensionSet.VIDEO, Set.of("5555"), Set.of(), t(from),
        t(to), sketches);
  }

  private static List<Long> views(List<MinuteAggregate> rows) {
    return rows.stream().map(r -> r.count(VIDEO_VIEW_FIELD)).toList();
  }

  @Test
  public void returnsOnlyTheSelectedRows() throws Exception {
    ElasticsearchRows.store(es, alias, List.of(
        Rows.video("5555", "2020-02-15T10:09").views(1).build(), // before the range
        Rows.video("5555", "2020-02-15T10:10").views(2).build(),
        Rows.video("5556", "2020-02-15T10:10").views(4).build(), // other video
        Rows.video("5555", "2020-02-15T10:11").account("9999").views(8).build(), // other account
        Rows.country("5555", "US", "2020-02-15T10:11").views(16).build(), // other dimension set
        Rows.video("5555", "2020-02-15T10:12").views(32).build(),
        Rows.video("5555", "2020-02-15T10:13").views(64).build(), // after the range
        Rows.country("5555", "FR", "2020-02-15T10:11").views(128).build(),
        Rows.device("5555", "US", "2020-02-15T10:11").views(256).build())); // "US" as a device

    List<MinuteAggregate> selected =
        store().readAll(video5555("2020-02-15T10:10", "2020-02-15T10:12", false));
    assertEquals(List.of(2L, 32L), views(selected));

    AggregateSelection us = new AggregateSelection("1234", DimensionSet.VIDEO_COUNTRY,
        Set.of("5555"), Set.of("US"), t("2020-02-15T10:00"), t("2020-02-15T10:59"), false);
    assertEquals(List.of(16L), views(store().readAll(us)));

    // Every video of the account, every country.
    AggregateSelection all = new AggregateSelection("1234", DimensionSet.VIDEO_COUNTRY, Set.of(),
        Set.of(), t("2020-02-15T10:00"), t("2020-02-15T10:59"), false);
    assertEquals(List.of(128L, 16L), views(store().readAll(all))); // FR before US at 10:11

    // What reached the sink is what the store sent: no row outside the selection.
    List<MinuteAggregate> sent = new ArrayList<>();
    store().read(video5555("2020-02-15T10:10", "2020-02-15T10:12", false), sent::add);
    assertEquals(List.of(2L, 32L), views(sent));
  }

  @Test
  public void pagesThroughEveryRowOnceInMinuteAndVideoOrder() throws Exception {
    List<MinuteAggregate> rows = new ArrayList<>();
    for (int minute = 0; minute < 5; minute++) {
      for (String video : List.of("5557", "5555", "5556")) {
        long m = t("2020-02-15T10:00") + minute * 60_000L;
        rows.add(Rows.video(video, m).views(minute * 10 + video.charAt(3) - '0')
            .sessions(1, minute + 1).build());
      }
    }
    ElasticsearchRows.store(es, alias, rows);
    AggregateSelection everything = new AggregateSelection("1234", DimensionSet.VIDEO, Set.of(),
        Set.of(), t("2020-02-15T10:00"), t("2020-02-15T10:59"), false);

    // Pages of 4 over 15 rows: 4 + 4 + 4 + 3. Pages of 5: the last full page is followed by an
    // empty one.
    for (int pageSize : List.of(4, 5, 15, 1000)) {
      List<MinuteAggregate> read =
          new ElasticsearchAggregateStore(es, alias, pageSize, 2).readAll(everything);
      assertEquals("page size " + pageSize, List.of(5L, 6L, 7L, 15L, 16L, 17L, 25L, 26L, 27L,
          35L, 36L, 37L, 45L, 46L, 47L), views(read));
    }
    List<MinuteAggregate> withSketches = new ElasticsearchAggregateStore(es, alias, 4, 2)
        .readAll(new AggregateSelection("1234", DimensionSet.VIDEO, Set.of(), Set.of(),
            t("2020-02-15T10:00"), t("2020-02-15T10:59"), true));
    rows.sort((a, b) -> a.minute != b.minute ? Long.compare(a.minute, b.minute)
        : a.video.compareTo(b.video));
    assertEquals(rows, withSketches); // every field, sketches included
  }

  @Test
  public void readsSketchesOnlyWhenAsked() throws Exception {
    MinuteAggregate row = Rows.video("5555", "2020-02-15T10:00").sessions(1, 30)
        .fingerprints(1, 20).views(3).impressions(4).ads(5).secondsViewedMs(61_500).build();
    ElasticsearchRows.store(es, alias, List.of(row));

    assertEquals(List.of(row),
        store().readAll(video5555("2020-02-15T10:00", "2020-02-15T10:00", true)));

    MinuteAggregate light =
        store().readAll(video5555("2020-02-15T10:00", "2020-02-15T10:00", false)).get(0);
    assertEquals(row.toString(), light.toString()); // every value, no sketch bytes
    assertArrayEquals(new byte[0], light.sessionSketch);
    assertArrayEquals(new byte[0], light.fingerprintSketch);
  }

  @Test
  public void rowsOfTwoUtcDaysAreReadTogetherThroughTheAlias() throws Exception {
    ElasticsearchRows.store(es, alias, List.of(
        Rows.video("5555", "2020-02-15T23:59").views(1).build(),
        Rows.video("5555", "2020-02-16T00:00").views(2).build()));

    assertEquals(1, ElasticsearchRows.count(es, alias + "-2020.02.15"));
    assertEquals(1, ElasticsearchRows.count(es, alias + "-2020.02.16"));
    assertEquals(List.of(1L, 2L),
        views(store().readAll(video5555("2020-02-15T23:00", "2020-02-16T01:00", false))));
  }

  @Test
  public void aMissingAliasIsNamed() {
    IOException e = assertThrows(IOException.class, () -> new ElasticsearchAggregateStore(es,
        "nothing-written").readAll(video5555("2020-02-15T10:00", "2020-02-15T10:00", false)));
    assertThat(e.getMessage(), containsString("Elasticsearch at " + ES.server().endpoint()
        + " has no index or alias 'nothing-written'"));
  }

  @Test
  public void anUnreachableClusterIsNamed() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    IOException e = assertThrows(IOException.class,
        () -> ElasticsearchAggregateStore.at("http://127.0.0.1:" + closed)
            .readAll(video5555("2020-02-15T10:00", "2020-02-15T10:00", false)));
    assertThat(e.getMessage(), containsString("Elasticsearch is unreachable for POST "
        + "/livemetrics-aggregates/_search: http://127.0.0.1:" + closed));
  }

  @Test
  public void locationsNameTheNodesAndOptionallyTheAlias() {
    ElasticsearchAggregateStore plain = ElasticsearchAggregateStore.at("http://127.0.0.1:9200");
    assertEquals("livemetrics-aggregates", plain.alias());

    ElasticsearchAggregateStore two =
        ElasticsearchAggregateStore.at("https://es1:9200,es2:9201/staging-aggregates/");
    assertEquals("staging-aggregates", two.alias());
    assertEquals("ElasticsearchAggregateStore(https://es1:9200,https://es2:9201"
        + "/staging-aggregates)", two.toString());

    assertThat(assertThrows(QueryException.class, () -> AggregateStores.open(
        "http://es1:9200/a,http://es2:9200/b", PipelineOptionsFactory::create)).toString(),
        containsString("store: two aliases"));
    assertThat(assertThrows(QueryException.class, () -> AggregateStores.open(
        "http://es1:9200/Not An Alias", PipelineOptionsFactory::create)).toString(),
        containsString("store: "));
    assertThat(assertThrows(QueryException.class, () -> AggregateStores.open(
        "http://user:secret@es1:9200", PipelineOptionsFactory::create)).toString(),
        containsString("must not hold credentials"));
    assertEquals(List.of(URI.create("http://es1:9200")),
        ElasticsearchConnection.parse("http://es1:9200").nodes());
  }
}
