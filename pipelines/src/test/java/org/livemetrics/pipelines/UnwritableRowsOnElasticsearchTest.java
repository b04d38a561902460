package org.livemetrics.pipelines;

import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_VIEW_FIELD;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.junit.Before;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.TestName;
import org.livemetrics.pipelines.io.ElasticsearchSetup;
import org.livemetrics.pipelines.io.ElasticsearchSinkOptions;
import org.livemetrics.pipelines.io.StoredRows;
import org.livemetrics.pipelines.io.WriteDeadLetters;
import org.livemetrics.pipelines.io.WriteRowsToElasticsearch;
import org.livemetrics.pipelines.io.WriteStreamedRowsToParquet;
import org.livemetrics.pipelines.streaming.StreamingPipeline;
import org.livemetrics.transforms.parse.RawRecord;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.MinuteAggregateCoder;
import org.livemetrics.schemas.elasticsearch.ElasticsearchConnection;
import org.livemetrics.testdata.services.LocalElasticsearch;
import org.livemetrics.testdata.services.ServerRule;

/**
 * Issue 11, item 1, the live job's sinks against a real local Elasticsearch: a row that cannot be
 * a document (a lone surrogate, which the client would have sent as {@code ?}) and a document the
 * index template refuses (an immense keyword: {@code illegal_argument_exception}) are dead letters
 * {@code unwritable_row}, and the rows after them are written, in Elasticsearch and Parquet alike;
 * a failure of the cluster itself (a closed index) still fails the run loudly. Rows are built by
 * hand, bypassing the parser, so this holds whatever the parser lets through.
 */
public class UnwritableRowsOnElasticsearchTest {
  @ClassRule
  public static final ServerRule<LocalElasticsearch> ES = ServerRule.of(new LocalElasticsearch());

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long HOUR = Instant.parse("2020-02-15T23:00:00Z").toEpochMilli();
  private static final long MINUTE = Instant.parse("2020-02-15T23:58:00Z").toEpochMilli();
  /** Over Lucene's 32,766-byte limit for one term: the keyword field refuses it. */
  private static final String IMMENSE = "x".repeat(40_000);

  @Rule public TestName test = new TestName();
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private ElasticsearchConnection es;
  private String prefix;
  private ElasticsearchSetup setup;

  @Before
  public void setUp() throws Exception {
    es = ElasticsearchConnection.parse(ES.server().endpoint());
    prefix = "u-" + test.getMethodName().toLowerCase();
    setup = new ElasticsearchSetup(es, prefix);
    setup.installTemplate();
  }

  private static MinuteAggregate row(String video, long minute, long views) {
    return new MinuteAggregate("1234", video, DimensionSet.VIDEO, null, null, minute,
        new long[] {0, views, 0, 0}, new long[] {1, 1}, new byte[][] {{1}, {2}});
  }

  private ElasticsearchSinkOptions options() {
    return PipelineOptionsFactory.fromArgs("--runner=DirectRunner",
            "--elasticsearchUrl=" + ES.server().endpoint(), "--elasticsearchIndexPrefix=" + prefix)
        .as(ElasticsearchSinkOptions.class);
  }

  private long count() throws Exception {
    setup.refresh();
    return es.get("/" + prefix + "/_count").path("count").asLong();
  }

  /** Dead letters as "sink | table | detail". */
  private static List<String> deadLetters(Path store) throws Exception {
    List<String> out = new ArrayList<>();
    Path dir = store.resolve("dead-letter");
    if (!Files.exists(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".jsonl")).toList()) {
        for (String line : Files.readAllLines(f)) {
          JsonNode d = JSON.readTree(line);
          assertEquals(line, "unwritable_row", d.get("reason").asText());
          out.add(d.get("sink").asText() + " | " + d.get("table").asText() + " | "
              + d.get("detail").asText());
        }
      }
    }
    return out;
  }

  @Test
  public void aDocumentTheTemplateRefusesAndARowThatCannotBeADocumentAreDeadLetters()
      throws Exception {
    Path store = tmp.newFolder("store").toPath();
    ElasticsearchSinkOptions options = options();
    Pipeline p = Pipeline.create(options);
    BadRecordErrorHandler<?> deadLetters = p.registerBadRecordErrorHandler(
        WriteDeadLetters.to(store.toString(), "run1", HOUR, HOUR + 3_600_000L));
    p.apply(Create.of(List.of(row("5555", MINUTE, 3), row(IMMENSE, MINUTE, 1),
                row("55\uD80055", MINUTE, 1)))
            .withCoder(MinuteAggregateCoder.of()))
        .apply(WriteRowsToElasticsearch.from(StoredRows.AGGREGATES, options)
            .withBadRecordErrorHandler(deadLetters));
    deadLetters.close();
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());

    assertEquals(1, count());
    assertEquals(3, es.get("/" + prefix + "-2020.02.15/_doc/1234:video:5555:20200215T2358Z")
        .path("_source").path("video_view").asLong());
    List<String> dead = deadLetters(store);
    assertEquals(dead.toString(), 2, dead.size());
    String key = "1234\\u0001video\\u000155\\uD80055\\u0001\\u0001" + MINUTE;
    assertThat(dead, containsInAnyOrder(
        // Refused by the node: the id (its video part cut to fit 512 bytes, with a hash) and why.
        startsWith("elasticsearch | aggregates | elasticsearch aggregates row 1234:video:xxxxxxxxxx"),
        // Never sent: the document is not valid UTF-16.
        startsWith("elasticsearch | aggregates | elasticsearch aggregates row " + key
            + ": document is not valid UTF-16: lone surrogate U+D800 at char ")));
    String refused = dead.stream().filter(d -> d.contains("1234:video:xxx")).findFirst().get();
    assertThat(refused, containsString(
        "elasticsearch refused it: illegal_argument_exception: Document contains at least one immense term in field=\"video\""));
  }

  /** A 400 that is the cluster's state, not the document's: not a dead letter, a failed run. */
  @Test
  public void aClosedIndexStillFailsTheRun() throws Exception {
    Path store = tmp.newFolder("store").toPath();
    ElasticsearchSinkOptions options = options();
    es.put("/" + prefix + "-2020.02.15", "{}");
    es.send("POST", "/" + prefix + "-2020.02.15/_close", null);
    Pipeline p = Pipeline.create(options);
    BadRecordErrorHandler<?> deadLetters = p.registerBadRecordErrorHandler(
        WriteDeadLetters.to(store.toString(), "run1", HOUR, HOUR + 3_600_000L));
    p.apply(Create.of(List.of(row("5555", MINUTE, 3))).withCoder(MinuteAggregateCoder.of()))
        .apply(WriteRowsToElasticsearch.from(StoredRows.AGGREGATES, options)
            .withBadRecordErrorHandler(deadLetters));
    deadLetters.close();
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    assertThat(e.getMessage(), containsString("Elasticsearch did not write a document"));
    assertThat(e.getMessage(), containsString("index_closed_exception"));
    assertEquals(List.of(), deadLetters(store));
  }

  /**
   * The live job's two sinks on the same stream of rows, as the streaming pipeline applies them:
   * an unwritable row first, then good rows of later minutes. The job goes on and writes them.
   */
  @Test
  public void theStreamingSinksGoOnAfterAnUnwritableRow() throws Exception {
    Path store = tmp.newFolder("store").toPath();
    ElasticsearchSinkOptions options = options();
    options.as(org.apache.beam.sdk.options.StreamingOptions.class).setStreaming(true);
    Pipeline p = Pipeline.create(options);
    BadRecordErrorHandler<?> deadLetters = p.registerBadRecordErrorHandler(
        WriteDeadLetters.streaming(store.toString(), "t1", Duration.standardSeconds(10)));
    TestStream<MinuteAggregate> stream = TestStream.create(MinuteAggregateCoder.of())
        .addElements(TimestampedValue.of(row("55\uD80055", MINUTE, 1), new org.joda.time.Instant(MINUTE)))
        .advanceProcessingTime(Duration.standardSeconds(11))
        .addElements(TimestampedValue.of(row("5555", MINUTE, 2), new org.joda.time.Instant(MINUTE)))
        .advanceProcessingTime(Duration.standardSeconds(11))
        .addElements(TimestampedValue.of(row("5555", MINUTE + 60_000, 4),
            new org.joda.time.Instant(MINUTE + 60_000)))
        .advanceProcessingTime(Duration.standardSeconds(11))
        .advanceWatermarkToInfinity();
    PCollection<MinuteAggregate> rows = p.apply(stream);
    rows.apply("ToElasticsearch", WriteRowsToElasticsearch.from(StoredRows.AGGREGATES, options)
        .withBadRecordErrorHandler(deadLetters));
    rows.apply("ToParquet", WriteStreamedRowsToParquet.to(StoredRows.AGGREGATES, store.toString(),
        "t1", Duration.standardSeconds(10)).withBadRecordErrorHandler(deadLetters));
    deadLetters.close();
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());

    assertEquals(2, count());
    assertEquals(4, es.get("/" + prefix + "-2020.02.15/_doc/1234:video:5555:20200215T2359Z")
        .path("_source").path("video_view").asLong());
    List<String> parquet = new ArrayList<>();
    for (MinuteAggregate r : StoreContents.rows(store)) {
      parquet.add(r.video + " " + Instant.ofEpochMilli(r.minute) + " views="
          + r.count(VIDEO_VIEW_FIELD));
    }
    assertThat(parquet, containsInAnyOrder(
        "5555 2020-02-15T23:58:00Z views=2", "5555 2020-02-15T23:59:00Z views=4"));
    String key = "1234\\u0001video\\u000155\\uD80055\\u0001\\u0001" + MINUTE;
    assertThat(deadLetters(store), containsInAnyOrder(
        startsWith("elasticsearch | aggregates | elasticsearch aggregates row " + key
            + ": document is not valid UTF-16: lone surrogate U+D800"),
        startsWith("parquet | aggregates | parquet aggregates row " + key
            + ": field video is not valid UTF-16: lone surrogate U+D800 at char 2 of 5")));
  }

  /**
   * The whole streaming job (parse, metrics, both sinks) fed the issue's record, then good ones:
   * it goes on, the good events reach Elasticsearch and Parquet, and the bad record is a dead
   * letter (at the sinks, or at parse time once the parser refuses such strings).
   */
  @Test
  public void theStreamingJobGoesOnAfterTheIssuesRecord() throws Exception {
    Path store = tmp.newFolder("store").toPath();
    StreamingPipeline.Options o = PipelineOptionsFactory.fromArgs("--runner=DirectRunner",
            "--elasticsearchUrl=" + ES.server().endpoint(), "--elasticsearchIndexPrefix=" + prefix,
            "--output=" + store, "--fingerprintSecret=test-secret", "--streamId=w1")
        .as(StreamingPipeline.Options.class);
    Pipeline p = Pipeline.create(o);
    TestStream<RawRecord> records = TestStream.create(RawRecord.Coder.of())
        .addElements(record("{\"session_id\":\"x\",\"channel_watched\":\"55\\ud80055\","
            + "\"metric_type\":\"PLAY\",\"event_time\":" + (MINUTE + 1_000)
            + ",\"account_id\":\"1234\"}", MINUTE + 1_000))
        .advanceProcessingTime(Duration.standardSeconds(61))
        .addElements(play("s1", MINUTE + 2_000))
        .advanceProcessingTime(Duration.standardSeconds(61))
        .addElements(play("s2", MINUTE + 62_000))
        .advanceProcessingTime(Duration.standardSeconds(61))
        .advanceWatermarkToInfinity();
    StreamingPipeline.attach(p.apply(records), o);
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());

    for (String hhmm : List.of("2358", "2359")) {
      JsonNode doc = es.get("/" + prefix + "-2020.02.15/_doc/1234:video:5555:20200215T" + hhmm + "Z");
      assertEquals(doc.toString(), 1, doc.path("_source").path("video_view").asLong());
    }
    List<String> parquet = new ArrayList<>();
    for (MinuteAggregate r : StoreContents.current(store, "aggregates",
        org.livemetrics.schemas.MinuteAggregateAvro::fromRecord,
        org.livemetrics.schemas.MinuteAggregateAvro::rowKey)) {
      if (r.dimensionSet == DimensionSet.VIDEO) {
        parquet.add(r.video + " " + Instant.ofEpochMilli(r.minute) + " views="
            + r.count(VIDEO_VIEW_FIELD));
      }
    }
    assertThat(parquet, containsInAnyOrder(
        "5555 2020-02-15T23:58:00Z views=1", "5555 2020-02-15T23:59:00Z views=1"));
    List<String> reasons = new ArrayList<>();
    try (Stream<Path> files = Files.walk(store.resolve("dead-letter"))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
        for (String line : Files.readAllLines(f)) {
          reasons.add(JSON.readTree(line).get("reason").asText());
        }
      }
    }
    assertTrue(reasons.toString(), !reasons.isEmpty() && reasons.stream()
        .allMatch(r -> r.equals("unwritable_row") || r.equals("invalid_field")));
  }

  private static TimestampedValue<RawRecord> record(String json, long arrival) {
    return TimestampedValue.of(RawRecord.of("test", json), new org.joda.time.Instant(arrival));
  }

  private static TimestampedValue<RawRecord> play(String session, long time) {
    return record("{\"metric_type\":\"PLAY\",\"event_time\":" + time
        + ",\"channel_watched\":\"5555\",\"session_id\":\"" + session
        + "\",\"account_id\":\"1234\"}", time);
  }
}
