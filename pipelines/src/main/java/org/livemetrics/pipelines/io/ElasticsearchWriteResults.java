package org.livemetrics.pipelines.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Set;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO.Document;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.BadRecordRouter;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.livemetrics.transforms.observability.PipelineMetrics;

/**
 * What {@link ElasticsearchIO.Write} (with {@code withThrowWriteErrors(false)}) reports, turned
 * into metrics: the documents written ({@code livemetrics_rows_written_total{sink="elasticsearch",
 * table}}), the end-to-end latency of each, and the documents it failed to write ({@code
 * livemetrics_sink_write_failures_total{sink="elasticsearch"}}).
 *
 * <p>A failed document is counted, then:
 * <ul>
 *   <li>refused by the node for what it holds (status 400 with {@code mapper_parsing_exception},
 *       {@code document_parsing_exception}, {@code strict_dynamic_mapping_exception} or {@code
 *       illegal_argument_exception}, e.g. an immense keyword) and with {@link
 *       #withBadRecordErrorHandler}: a dead letter ({@code unwritable_row}, its table, id and
 *       Elasticsearch's reason). Writing it again could only fail again: failing the bundle would
 *       restart a streaming job forever, for every account, over one row.
 *   <li>anything else (its bulk request failed after Beam's retries of 429s and timeouts, a 5xx, a
 *       closed or read-only index, a version conflict): fails the bundle loudly with
 *       Elasticsearch's reason, as before. Such a row is not the row's fault but the cluster's;
 *       it is a value the API must serve, and the runner's retry (on Flink, a restart from the
 *       last checkpoint) rewrites it, idempotently. The count makes a persistent failure visible
 *       before the restarts do.
 * </ul>
 *
 * <p>End-to-end latency: the write time less the end of the row's {@code minute} (0 when written
 * within its minute, by an early firing). Rows carry no event times, so this is a lower bound of
 * an event's latency (by at most the minute), which grows one for one when the pipeline falls
 * behind.
 */
public final class ElasticsearchWriteResults
    extends PTransform<PCollectionTuple, PCollection<Document>> {
  private static final long MINUTE_MS = 60_000;

  /** The error types of a 400 that the document's content caused: it would fail again. */
  static final Set<String> DOCUMENT_ERRORS = Set.of("mapper_parsing_exception",
      "document_parsing_exception", "strict_dynamic_mapping_exception",
      "illegal_argument_exception");

  private final PipelineMetrics.Table table;
  private final ErrorHandler<BadRecord, ?> errorHandler;
  private final BadRecordRouter router;

  private ElasticsearchWriteResults(PipelineMetrics.Table table,
      ErrorHandler<BadRecord, ?> errorHandler, BadRecordRouter router) {
    this.table = table;
    this.errorHandler = errorHandler;
    this.router = router;
  }

  /** For the documents of {@code table}'s rows (the row's minute in the field {@code minute}). */
  public static ElasticsearchWriteResults of(PipelineMetrics.Table table) {
    return new ElasticsearchWriteResults(table, new ErrorHandler.DefaultErrorHandler<>(),
        BadRecordRouter.THROWING_ROUTER);
  }

  /** Documents the node refused for their content go to {@code handler} as dead letters. */
  public ElasticsearchWriteResults withBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler) {
    return new ElasticsearchWriteResults(table, handler, BadRecordRouter.RECORDING_ROUTER);
  }

  @Override
  public PCollection<Document> expand(PCollectionTuple results) {
    PCollectionTuple refused = results.get(ElasticsearchIO.Write.FAILED_WRITES)
        .apply("FailOnRejected", ParDo.of(new FailFn(table, router, router != BadRecordRouter.THROWING_ROUTER))
            .withOutputTags(new TupleTag<Void>() {},
                TupleTagList.of(BadRecordRouter.BAD_RECORD_TAG)));
    GuardRows.addDeadLetters(errorHandler, refused.get(BadRecordRouter.BAD_RECORD_TAG),
        "RefusedDocuments");
    return results.get(ElasticsearchIO.Write.SUCCESSFUL_WRITES)
        .apply("CountWritten", ParDo.of(new WrittenFn(table)));
  }

  static final class WrittenFn extends DoFn<Document, Document> {
    private static final JsonFactory JSON = new JsonFactory();
    private final Counter written;
    private final PipelineMetrics.Histogram latency = PipelineMetrics.endToEndLatency();

    WrittenFn(PipelineMetrics.Table table) {
      written = PipelineMetrics.rowsWritten(PipelineMetrics.Sink.ELASTICSEARCH, table);
    }

    @ProcessElement
    public void process(@Element Document document, OutputReceiver<Document> out) {
      written.inc();
      Long minute = minute(document.getInputDoc());
      if (minute != null) {
        latency.observe(System.currentTimeMillis() - (minute + MINUTE_MS));
      }
      out.output(document);
    }

    /** The document's top-level {@code minute} (epoch ms), without reading the sketches after it. */
    static Long minute(String json) {
      if (json == null) {
        return null;
      }
      try (JsonParser p = JSON.createParser(json)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          return null;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.getCurrentName();
          JsonToken value = p.nextToken();
          if ("minute".equals(name)) {
            return value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
          }
          p.skipChildren();
        }
      } catch (IOException e) {
        return null;
      }
      return null;
    }
  }

  static final class FailFn extends DoFn<Document, Void> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long HOUR = 3_600_000L;
    private final PipelineMetrics.Table table;
    private final BadRecordRouter router;
    /** Whether refused documents are dead letters (the router is not a deserialized singleton). */
    private final boolean deadLetters;
    private final Counter failures =
        PipelineMetrics.sinkWriteFailures(PipelineMetrics.Sink.ELASTICSEARCH);
    private final Counter unwritable = GuardRows.deadLetterCounter();

    FailFn(PipelineMetrics.Table table, BadRecordRouter router, boolean deadLetters) {
      this.table = table;
      this.router = router;
      this.deadLetters = deadLetters;
    }

    @ProcessElement
    public void process(@Element Document document, MultiOutputReceiver out) throws Exception {
      failures.inc();
      String refusal = documentRefusal(document.getResponseItemJson());
      if (refusal == null || !deadLetters) {
        throw new IllegalStateException("Elasticsearch did not write a document: "
            + document.getResponseItemJson() + " (document: " + abbreviate(document.getInputDoc())
            + ")");
      }
      unwritable.inc();
      Long minute = WrittenFn.minute(document.getInputDoc());
      UnwritableRow row = new UnwritableRow("elasticsearch", table.label(),
          RowWritability.printable(documentId(document.getResponseItemJson()), 512),
          minute == null ? null : Math.floorDiv(minute, HOUR) * HOUR);
      GuardRows.route(router, out, row, null, refusal);
    }

    /**
     * Elasticsearch's reason when it refused the document for its content (a 400 of {@link
     * #DOCUMENT_ERRORS}), else null: the bulk request failed, the index is closed, and the like.
     */
    static String documentRefusal(String responseItemJson) {
      JsonNode item = parse(responseItemJson);
      if (item == null) {
        return null;
      }
      JsonNode error = item.findValue("error");
      JsonNode status = item.findValue("status");
      if (error == null || !error.isObject() || status == null || status.asInt() != 400
          || !DOCUMENT_ERRORS.contains(error.path("type").asText())) {
        return null;
      }
      StringBuilder why = new StringBuilder("elasticsearch refused it: ")
          .append(error.path("type").asText()).append(": ").append(error.path("reason").asText());
      JsonNode cause = error.path("caused_by");
      if (cause.isObject()) {
        why.append(" (").append(cause.path("type").asText()).append(": ")
            .append(cause.path("reason").asText()).append(")");
      }
      return RowWritability.printable(why.toString(), 1000);
    }

    private static String documentId(String responseItemJson) {
      JsonNode item = parse(responseItemJson);
      JsonNode id = item == null ? null : item.findValue("_id");
      return id == null ? "(no id)" : id.asText();
    }

    private static JsonNode parse(String json) {
      if (json == null) {
        return null;
      }
      try {
        return JSON.readTree(json);
      } catch (IOException e) {
        return null;
      }
    }

    private static String abbreviate(String s) {
      return s == null || s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
  }
}
