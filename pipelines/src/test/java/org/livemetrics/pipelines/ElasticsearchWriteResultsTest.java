package org.livemetrics.pipelines;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO.ConnectionConfiguration;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO.RetryConfiguration;
import org.apache.beam.sdk.io.elasticsearch.ObservedRetryConfiguration;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.joda.time.Duration;
import org.junit.ClassRule;
import org.junit.Test;
import org.livemetrics.pipelines.io.ElasticsearchWriteResults;
import org.livemetrics.schemas.elasticsearch.ElasticsearchConnection;
import org.livemetrics.testdata.services.LocalElasticsearch;
import org.livemetrics.testdata.services.ServerRule;
import org.livemetrics.transforms.observability.PipelineMetrics;

/**
 * The Elasticsearch sink's metrics against a real node: documents written, end-to-end latency and
 * bulk latency from the responses, and a rejected document counted and failing the pipeline.
 */
public class ElasticsearchWriteResultsTest {
  @ClassRule
  public static final ServerRule<LocalElasticsearch> ES = ServerRule.of(new LocalElasticsearch());

  private static Pipeline writing(String index, String... documents) throws Exception {
    ElasticsearchConnection.parse(ES.server().endpoint()).put("/" + index,
        "{\"mappings\":{\"properties\":{\"minute\":{\"type\":\"long\"}}}}");
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    p.apply(Create.of(java.util.List.of(documents)))
        .apply(ElasticsearchIO.write()
            .withConnectionConfiguration(
                ConnectionConfiguration.create(new String[] {ES.server().endpoint()}, index))
            .withRetryConfiguration(ObservedRetryConfiguration.of(
                RetryConfiguration.create(3, Duration.standardSeconds(10))))
            .withThrowWriteErrors(false))
        .apply(ElasticsearchWriteResults.of(PipelineMetrics.Table.AGGREGATES));
    return p;
  }

  @Test
  public void writtenDocumentsTheirLatencyAndTheBulkRequests() throws Exception {
    // A minute that ended 8 to 9 minutes ago, so its rows' latency is 480 to 540 s plus the run's
    // few seconds, whatever the second the test starts at (10 minutes ago could pass 600 s).
    long minute = Math.floorDiv(System.currentTimeMillis(), 60_000) * 60_000 - 9 * 60_000;
    PipelineResult result = writing("written",
        "{\"minute\":" + minute + ",\"ccu\":1}", "{\"minute\":" + minute + ",\"ccu\":2}").run();
    result.waitUntilFinish();
    Map<String, Long> c = counters(result);
    assertEquals(Long.valueOf(2), c.get("rows_written_total__sink__elasticsearch__table__aggregates"));
    // By hand: written 8 to 9 minutes after the end of the minute, so past the 300 s bound and
    // within 600 s.
    assertEquals(null, c.get("end_to_end_latency_seconds_bucket__le__300"));
    assertEquals(Long.valueOf(2), c.get("end_to_end_latency_seconds_bucket__le__600"));
    assertEquals(Long.valueOf(2), c.get("end_to_end_latency_seconds_count"));
    assertTrue(c.get("end_to_end_latency_seconds_sum_milliseconds") >= 2 * 8 * 60_000L);
    long bulks = c.get("elasticsearch_bulk_latency_seconds_count");
    assertTrue("one bulk request per bundle at least", bulks >= 1);
    assertEquals(Long.valueOf(bulks), c.get("elasticsearch_bulk_latency_seconds_bucket__le__Inf"));
    assertEquals(null, c.get("sink_write_retries_total__sink__elasticsearch"));
    assertEquals(null, c.get("sink_write_failures_total__sink__elasticsearch"));
  }

  @Test
  public void aRejectedDocumentFailsThePipelineWithElasticsearchsReason() throws Exception {
    try {
      writing("rejected", "{\"minute\":\"not a number\"}").run().waitUntilFinish();
      fail("a document Elasticsearch rejected must not pass silently");
    } catch (Exception e) {
      String message = String.valueOf(e.getMessage());
      for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
        message += " / " + t.getMessage();
      }
      assertTrue(message, message.contains("Elasticsearch did not write a document")
          && message.contains("mapper_parsing_exception"));
    }
  }

  /**
   * With a dead-letter handler, the document the mapping refuses is a dead letter naming its id
   * and Elasticsearch's reason, and the run goes on with the other document.
   */
  @Test
  public void withAHandlerARejectedDocumentIsADeadLetterAndTheRunGoesOn() throws Exception {
    java.nio.file.Path store = java.nio.file.Files.createTempDirectory("dead-letters");
    String index = "rejected-dead-letter";
    ElasticsearchConnection.parse(ES.server().endpoint()).put("/" + index,
        "{\"mappings\":{\"properties\":{\"minute\":{\"type\":\"long\"}}}}");
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    long hour = 1_763_787_600_000L; // 2025-11-22T05:00Z
    org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler<?> deadLetters =
        p.registerBadRecordErrorHandler(org.livemetrics.pipelines.io.WriteDeadLetters.to(
            store.toString(), "run1", hour, hour + 3_600_000L));
    p.apply(Create.of(java.util.List.of("{\"id\":\"bad\",\"minute\":\"not a number\"}",
            "{\"id\":\"good\",\"minute\":" + (hour + 600_000) + "}")))
        .apply(ElasticsearchIO.write()
            .withConnectionConfiguration(
                ConnectionConfiguration.create(new String[] {ES.server().endpoint()}, index))
            .withIdFn(d -> d.get("id").asText())
            .withRetryConfiguration(ObservedRetryConfiguration.of(
                RetryConfiguration.create(3, Duration.standardSeconds(10))))
            .withThrowWriteErrors(false))
        .apply(ElasticsearchWriteResults.of(PipelineMetrics.Table.AGGREGATES)
            .withBadRecordErrorHandler(deadLetters));
    deadLetters.close();
    PipelineResult result = p.run();
    assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());

    Map<String, Long> c = counters(result);
    assertEquals(Long.valueOf(1), c.get("rows_written_total__sink__elasticsearch__table__aggregates"));
    assertEquals(Long.valueOf(1), c.get("sink_write_failures_total__sink__elasticsearch"));
    assertEquals(Long.valueOf(1), c.get("dead_letters_total__reason__unwritable_row"));
    // No minute to place it by: the range's first hour.
    java.nio.file.Path dir = store.resolve("dead-letter").resolve("hour=2025-11-22T05");
    java.util.List<String> lines = new java.util.ArrayList<>();
    try (var files = java.nio.file.Files.list(dir)) {
      for (java.nio.file.Path f : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
        lines.addAll(java.nio.file.Files.readAllLines(f));
      }
    }
    assertEquals(lines.toString(), 1, lines.size());
    com.fasterxml.jackson.databind.JsonNode d =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(0));
    assertEquals("unwritable_row", d.get("reason").asText());
    assertEquals("elasticsearch", d.get("sink").asText());
    assertEquals("aggregates", d.get("table").asText());
    assertEquals("bad", d.get("key").asText());
    assertTrue(d.get("detail").asText(), d.get("detail").asText().startsWith(
        "elasticsearch aggregates row bad: elasticsearch refused it: mapper_parsing_exception: "
            + "failed to parse field [minute] of type [long]"));
  }

  private static Map<String, Long> counters(PipelineResult result) {
    Map<String, Long> out = new HashMap<>();
    for (MetricResult<Long> c :
        result.metrics().queryMetrics(MetricsFilter.builder().build()).getCounters()) {
      if (PipelineMetrics.NAMESPACE.equals(c.getName().getNamespace()) && c.getAttempted() > 0) {
        out.merge(c.getName().getName(), c.getAttempted(), Long::sum);
      }
    }
    return out;
  }
}
