package org.livemetrics.pipelines;

import static org.livemetrics.schemas.family.AudienceFamily.ALIVE_SS_AD_START_FIELD;
import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_IMPRESSION_FIELD;
import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_SECONDS_VIEWED_MS_FIELD;
import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_VIEW_FIELD;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.livemetrics.query.Rows.t;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.TimestampedValue;
import org.junit.Before;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.TestName;
import org.livemetrics.pipelines.io.ElasticsearchSetup;
import org.livemetrics.pipelines.io.ElasticsearchSinkOptions;
import org.livemetrics.pipelines.io.StoredRows;
import org.livemetrics.pipelines.io.WriteRowsToElasticsearch;
import org.livemetrics.pipelines.streaming.StreamingPipeline;
import org.livemetrics.query.AggregateSelection;
import org.livemetrics.query.ElasticsearchAggregateStore;
import org.livemetrics.query.Rows;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.elasticsearch.DocumentFormat;
import org.livemetrics.schemas.elasticsearch.ElasticsearchConnection;
import org.livemetrics.schemas.elasticsearch.ElasticsearchException;
import org.livemetrics.testdata.services.LocalElasticsearch;
import org.livemetrics.testdata.services.ServerRule;
import org.livemetrics.transforms.parse.ParsePlayerEvents;
import org.livemetrics.transforms.parse.RawRecord;

/**
 * The streaming sink on the DirectRunner against a real local Elasticsearch: documents are read
 * back by id and compared field by field with the rows written.
 */
public class WriteRowsToElasticsearchTest {
  @ClassRule
  public static final ServerRule<LocalElasticsearch> ES = ServerRule.of(new LocalElasticsearch());

  @Rule public TestName test = new TestName();
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private ElasticsearchConnection es;
  private String prefix;
  private ElasticsearchSetup setup;

  @Before
  public void setUp() {
    es = ElasticsearchConnection.parse(ES.server().endpoint());
    prefix = "w-" + test.getMethodName().toLowerCase();
    setup = new ElasticsearchSetup(es, prefix);
  }

  private ElasticsearchSinkOptions options(String url) {
    return PipelineOptionsFactory.fromArgs("--runner=DirectRunner", "--elasticsearchUrl=" + url,
            "--elasticsearchIndexPrefix=" + prefix,
            // Small bulk requests, so one run sends several.
            "--elasticsearchMaxBatchSize=7")
        .as(ElasticsearchSinkOptions.class);
  }

  /** Runs a pipeline writing {@code rows}; returns how many rows it counted as written. */
  private long write(List<MinuteAggregate> rows) {
    ElasticsearchSinkOptions options = options(ES.server().endpoint());
    Pipeline p = Pipeline.create(options);
    p.apply(Create.of(rows))
        .apply("WriteToElasticsearch", WriteRowsToElasticsearch.from(StoredRows.AGGREGATES, options));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    long written = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
            .addNameFilter(MetricNameFilter.named(ParsePlayerEvents.METRICS_NAMESPACE,
                "aggregate_rows_written_elasticsearch"))
            .build())
        .getCounters()) {
      written += c.getAttempted();
    }
    return written;
  }

  /**
   * Rows of every dimension set on both sides of a UTC midnight, with sketches. {@code scale}
   * changes every metric and sketch but no key: a later pane of the same rows.
   */
  private static List<MinuteAggregate> rows(int scale) {
    List<MinuteAggregate> rows = new ArrayList<>();
    for (String minute : List.of("2020-02-15T23:58", "2020-02-15T23:59", "2020-02-16T00:00",
        "2020-02-16T00:01")) {
      for (String video : List.of("5555", "5556")) {
        rows.add(metrics(Rows.video(video, minute), scale));
        rows.add(metrics(Rows.country(video, "US", minute), scale));
        rows.add(metrics(Rows.country(video, "FR", minute), scale));
        rows.add(metrics(Rows.device(video, "mobile", minute), scale));
      }
    }
    rows.add(metrics(Rows.video("5555", "2020-02-16T00:00").account("9999"), scale));
    return rows;
  }

  private static MinuteAggregate metrics(Rows r, int scale) {
    return r.sessions(1, 3 * scale).fingerprints(1, 2 * scale).views(scale).impressions(2 * scale)
        .ads(scale % 3).secondsViewedMs(1500L * scale).build();
  }

  private static long count(String rowsOf, List<MinuteAggregate> rows) {
    return rows.stream().filter(r -> r.minute < t("2020-02-16T00:00") == rowsOf.equals("15th"))
        .count();
  }

  /** The stored document of a row, found by the id and index written out here by hand. */
  private JsonNode document(MinuteAggregate r) throws IOException {
    String day = r.minute < t("2020-02-16T00:00") ? "2020.02.15" : "2020.02.16";
    String hhmm = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'")
        .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochMilli(r.minute));
    String set = switch (r.dimensionSet) {
      case VIDEO -> "video";
      case VIDEO_COUNTRY -> "video_country";
      case VIDEO_DEVICE_TYPE -> "video_device_type";
    };
    String secondary = r.dimensionSet == DimensionSet.VIDEO ? "" : ":" + r.secondaryValue();
    String id = r.account + ":" + set + ":" + r.video + secondary + ":" + hhmm;
    return es.get("/" + prefix + "-" + day + "/_doc/" + id);
  }

  /** Compares a stored document with its row, field by field. */
  private static void assertStored(MinuteAggregate r, JsonNode doc) {
    assertTrue(r + " found", doc.path("found").asBoolean());
    JsonNode s = doc.get("_source");
    assertEquals(r.account, s.get("account").asText());
    assertEquals(r.video, s.get("video").asText());
    assertEquals(r.dimensionSet.id(), s.get("dimension_set").asText());
    assertEquals(r.country, s.has("country") ? s.get("country").asText() : null);
    assertEquals(r.deviceType, s.has("device_type") ? s.get("device_type").asText() : null);
    assertEquals(r.minute, s.get("minute").asLong());
    assertEquals(r.count(VIDEO_IMPRESSION_FIELD), s.get("video_impression").asLong());
    assertEquals(r.count(VIDEO_VIEW_FIELD), s.get("video_view").asLong());
    assertEquals(r.count(ALIVE_SS_AD_START_FIELD), s.get("alive_ss_ad_start").asLong());
    assertEquals(r.count(VIDEO_SECONDS_VIEWED_MS_FIELD), s.get("video_seconds_viewed_ms").asLong());
    assertEquals(r.ccu, s.get("ccu").asLong());
    assertEquals(r.fingerprintCount, s.get("fingerprint_count").asLong());
    assertEquals(Base64.getEncoder().encodeToString(r.sessionSketch),
        s.get("session_sketch").asText());
    assertEquals(Base64.getEncoder().encodeToString(r.fingerprintSketch),
        s.get("fingerprint_sketch").asText());
    // account, video, dimension_set[, country | device_type]
    int dimensions = r.dimensionSet == DimensionSet.VIDEO ? 3 : 4;
    assertEquals("nothing else: " + s, dimensions + 1 + 6 + 2, s.size());
  }

  private long countThroughAlias() throws IOException {
    setup.refresh();
    return es.get("/" + prefix + "/_count").path("count").asLong();
  }

  @Test
  public void installingTheTemplateAddsNewFieldsToExistingIndices() throws Exception {
    String qos = org.livemetrics.schemas.elasticsearch.DocumentFormat.prefixFor(
        prefix, StoredRows.QOS.documents().table());
    String index = qos + "-2020.02.15";
    // Today's index, created before the QoS rows had their session counts: the strict mapping
    // without them, which would refuse every row written today.
    com.fasterxml.jackson.databind.node.ObjectNode mappings =
        (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind
            .ObjectMapper().readTree(StoredRows.QOS.documents().indexTemplate(qos))
            .path("template").path("mappings");
    List<String> added = List.of("sessions_loaded", "exits_before_video_start",
        "playback_attempts", "playback_failures", "sessions_played", "sessions_rebuffered");
    added.forEach(((com.fasterxml.jackson.databind.node.ObjectNode) mappings.get("properties"))::remove);
    es.put("/" + index, "{\"mappings\":" + mappings + "}");
    JsonNode before = es.get("/" + index + "/_mapping").path(index).path("mappings");
    assertTrue(before.path("properties").path("sessions_loaded").isMissingNode());

    setup.installTemplate();

    JsonNode after = es.get("/" + index + "/_mapping").path(index).path("mappings");
    for (String field : added) {
      assertEquals(field, "long", after.path("properties").path(field).path("type").asText());
    }
    assertEquals("strict", after.path("dynamic").asText());
  }

  @Test
  public void writesEachRowOnceIntoTheDailyIndexOfItsMinute() throws Exception {
    setup.installTemplate();
    List<MinuteAggregate> rows = rows(1);

    assertEquals(rows.size(), write(rows));

    assertEquals(rows.size(), countThroughAlias());
    assertEquals(List.of(prefix + "-2020.02.15", prefix + "-2020.02.16"), setup.indices());
    assertEquals(count("15th", rows),
        es.get("/" + prefix + "-2020.02.15/_count").path("count").asLong());
    assertEquals(count("16th", rows),
        es.get("/" + prefix + "-2020.02.16/_count").path("count").asLong());
    for (MinuteAggregate r : rows) {
      assertStored(r, document(r));
    }
    assertEquals("1234:video_country:5555:US:20200215T2359Z", document(
        Rows.country("5555", "US", "2020-02-15T23:59").build()).path("_id").asText());

    // Both days are one store for the query layer.
    List<MinuteAggregate> read = new ElasticsearchAggregateStore(es, prefix).readAll(
        new AggregateSelection("1234", DimensionSet.VIDEO_COUNTRY, Set.of(), Set.of(),
            t("2020-02-15T23:00"), t("2020-02-16T01:00"), true));
    List<MinuteAggregate> expected = new ArrayList<>(rows.stream()
        .filter(r -> r.account.equals("1234") && r.dimensionSet == DimensionSet.VIDEO_COUNTRY)
        .toList());
    expected.sort(Comparator.comparingLong((MinuteAggregate r) -> r.minute)
        .thenComparing(r -> r.video).thenComparing(r -> r.country));
    assertEquals(expected, read);
  }

  /**
   * Rows as the streaming pipeline makes them, in per-minute windows taken from their keys
   * ({@code WindowIntoMinutes}): ElasticsearchIO hands back the documents it wrote after applying
   * its input's windowing to them again, which those windows cannot do for a document.
   */
  @Test
  public void writesTheStreamingPipelinesWindowedRows() throws Exception {
    setup.installTemplate();
    long minute = t("2020-02-15T23:58");
    TestStream<RawRecord> plays = TestStream.create(RawRecord.Coder.of())
        .addElements(play("s1", minute + 1_000), play("s2", minute + 2_000))
        .advanceWatermarkToInfinity();
    StreamingPipeline.Options o = PipelineOptionsFactory.fromArgs("--runner=DirectRunner",
            "--elasticsearchUrl=" + ES.server().endpoint(), "--elasticsearchIndexPrefix=" + prefix,
            "--deadLetters=" + tmp.newFolder("dead-letters"), "--fingerprintSecret=test-secret",
            "--streamId=w1")
        .as(StreamingPipeline.Options.class);
    Pipeline p = Pipeline.create(o);
    StreamingPipeline.attach(p.apply(plays), o);
    p.run().waitUntilFinish();

    JsonNode row = document(Rows.video("5555", "2020-02-15T23:58").build());
    assertTrue(row.toString(), row.path("found").asBoolean());
    assertEquals(2, row.path("_source").path("video_view").asLong());
  }

  private static TimestampedValue<RawRecord> play(String session, long time) {
    return TimestampedValue.of(RawRecord.of("test", "{\"metric_type\":\"PLAY\",\"event_time\":"
        + time + ",\"channel_watched\":\"5555\",\"session_id\":\"" + session
        + "\",\"account_id\":\"1234\"}"), new org.joda.time.Instant(time));
  }

  @Test
  public void writingTheSameRowsAgainReplacesTheirDocuments() throws Exception {
    setup.installTemplate();
    List<MinuteAggregate> rows = rows(1);
    write(rows);
    assertEquals(rows.size(), countThroughAlias());

    assertEquals(rows.size(), write(rows)); // a replay
    assertEquals(rows.size(), countThroughAlias());
    for (MinuteAggregate r : rows) {
      JsonNode doc = document(r);
      assertStored(r, doc);
      assertEquals("overwritten once: " + r, 2, doc.path("_version").asInt());
    }
  }

  @Test
  public void aLaterPaneOverwritesTheEarlierOne() throws Exception {
    setup.installTemplate();
    List<MinuteAggregate> early = rows(1);
    List<MinuteAggregate> later = rows(5);
    write(early);
    write(later);

    assertEquals(later.size(), countThroughAlias());
    for (int i = 0; i < later.size(); i++) {
      assertStored(later.get(i), document(early.get(i))); // same key, the later values
    }
  }

  @Test
  public void refusesToWriteBeforeTheTemplateIsInstalled() throws Exception {
    Exception e = assertThrows(Exception.class, () -> write(rows(1)));
    assertThat(e.getMessage(), containsString("Elasticsearch at " + ES.server().endpoint()
        + " has no index template '" + prefix + "'"));
    assertEquals(List.of(), setup.indices()); // no index created with guessed mappings
  }

  @Test
  public void anUnreachableClusterIsNamed() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closed;
    IOException fromSetup = assertThrows(IOException.class,
        () -> ElasticsearchSetup.from(options(url)).installTemplate());
    assertThat(fromSetup.getMessage(), containsString("Elasticsearch is unreachable for GET /: "
        + url + " ("));

    ElasticsearchSinkOptions options = options(url);
    Pipeline p = Pipeline.create(options);
    p.apply(Create.of(rows(1))).apply(WriteRowsToElasticsearch.from(StoredRows.AGGREGATES, options));
    Exception fromPipeline = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    assertThat(fromPipeline.getMessage(), containsString("unreachable"));
    assertThat(fromPipeline.getMessage(), containsString(url));
  }

  @Test
  public void theTemplateIsIdempotentAndItsMappingStrict() throws Exception {
    assertTrue(setup.installTemplate().startsWith("7."));
    setup.installTemplate();
    JsonNode templates = es.get("/_index_template/" + prefix).path("index_templates");
    assertEquals(1, templates.size());
    assertEquals("[\"" + prefix + "-*\"]",
        templates.get(0).path("index_template").path("index_patterns").toString());

    write(rows(1).subList(0, 1));
    String index = prefix + "-2020.02.15";
    JsonNode mapping = es.get("/" + index + "/_mapping").path(index).path("mappings");
    assertEquals("strict", mapping.path("dynamic").asText());
    assertEquals("binary", mapping.path("properties").path("session_sketch").path("type").asText());
    assertEquals("keyword", mapping.path("properties").path("video").path("type").asText());
    assertTrue(es.get("/" + index + "/_alias").path(index).path("aliases").has(prefix));

    ElasticsearchException strict = assertThrows(ElasticsearchException.class,
        () -> es.put("/" + index + "/_doc/x", "{\"account\":\"1\",\"extra\":1}"));
    assertEquals("strict_dynamic_mapping_exception", strict.type());
  }

  /**
   * A daily QoS index made by the template before the country and device_type fields (its strict
   * mapping lacks them) takes today's country rows once the template is installed again.
   */
  @Test
  public void installingAddsNewFieldsToTheDailyIndicesThatExist() throws Exception {
    String qosPrefix = DocumentFormat.prefixFor(prefix, "qos");
    String index = qosPrefix + "-2020.02.15";
    ObjectNode mappings = (ObjectNode) new ObjectMapper().readTree(
        StoredRows.QOS.documents().indexTemplate(qosPrefix)).path("template").path("mappings");
    ((ObjectNode) mappings.path("properties")).remove(List.of("country", "device_type"));
    es.put("/" + index, "{\"mappings\":" + mappings + "}");
    ElasticsearchException before = assertThrows(ElasticsearchException.class,
        () -> es.put("/" + index + "/_doc/x", "{\"country\":\"BR\"}"));
    assertEquals("strict_dynamic_mapping_exception", before.type());

    setup.installTemplate();
    JsonNode properties = es.get("/" + index + "/_mapping").path(index).path("mappings")
        .path("properties");
    assertEquals("keyword", properties.path("country").path("type").asText());
    assertEquals("keyword", properties.path("device_type").path("type").asText());
    assertEquals("strict", es.get("/" + index + "/_mapping").path(index).path("mappings")
        .path("dynamic").asText());
    es.put("/" + index + "/_doc/x", "{\"country\":\"BR\"}");
    es.delete("/" + index);
  }

  @Test
  public void optionsBuildTheSinkOrSayWhatIsMissing() {
    WriteRowsToElasticsearch<?> sink =
        WriteRowsToElasticsearch.from(StoredRows.AGGREGATES, options("http://es1:9200, es2:9200"));
    assertEquals(prefix, sink.indexPrefix());

    ElasticsearchSinkOptions none =
        PipelineOptionsFactory.fromArgs().as(ElasticsearchSinkOptions.class);
    assertEquals("livemetrics-aggregates", none.getElasticsearchIndexPrefix());
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> WriteRowsToElasticsearch.from(StoredRows.AGGREGATES, none)).getMessage(),
        containsString("--elasticsearchUrl is required"));

    ElasticsearchSinkOptions badPrefix = options("http://es1:9200");
    badPrefix.setElasticsearchIndexPrefix("Live Metrics");
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> WriteRowsToElasticsearch.from(StoredRows.AGGREGATES, badPrefix)).getMessage(),
        containsString("index prefix 'Live Metrics' is not usable"));

    ElasticsearchSinkOptions badUrl = options("es1:9200");
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> WriteRowsToElasticsearch.from(StoredRows.AGGREGATES, badUrl)).getMessage(),
        containsString("'es1:9200' must start with http:// or https://"));

    ElasticsearchSinkOptions badDuration = options("http://es1:9200");
    badDuration.setElasticsearchMaxRetryDuration("soon");
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> WriteRowsToElasticsearch.from(StoredRows.AGGREGATES, badDuration)).getMessage(),
        containsString("--elasticsearchMaxRetryDuration"));
  }
}
