package org.livemetrics.pipelines.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO.Document;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.livemetrics.transforms.observability.PipelineMetrics;

/**
 * What {@link ElasticsearchIO.Write} (with {@code withThrowWriteErrors(false)}) reports, turned
 * into metrics: the documents written ({@code livemetrics_rows_written_total{sink="elasticsearch",
 * table}}), the end-to-end latency of each, and the documents it failed to write ({@code
 * livemetrics_sink_write_failures_total{sink="elasticsearch"}}).
 *
 * <p>A failed document (rejected by Elasticsearch, or its bulk request failed after Beam's retries)
 * is counted, then fails the bundle loudly with Elasticsearch's reason, as before: a row is not a
 * dead letter to look at later, it is a value the API must serve, and the runner's retry (on Flink,
 * a restart from the last checkpoint) rewrites it, idempotently. The count makes a persistent
 * failure visible before the restarts do.
 *
 * <p>End-to-end latency: the write time less the end of the row's {@code minute} (0 when written
 * within its minute, by an early firing). Rows carry no event times, so this is a lower bound of
 * an event's latency (by at most the minute), which grows one for one when the pipeline falls
 * behind.
 */
public final class ElasticsearchWriteResults
    extends PTransform<PCollectionTuple, PCollection<Document>> {
  private static final long MINUTE_MS = 60_000;

  private final PipelineMetrics.Table table;

  private ElasticsearchWriteResults(PipelineMetrics.Table table) {
    this.table = table;
  }

  /** For the documents of {@code table}'s rows (the row's minute in the field {@code minute}). */
  public static ElasticsearchWriteResults of(PipelineMetrics.Table table) {
    return new ElasticsearchWriteResults(table);
  }

  @Override
  public PCollection<Document> expand(PCollectionTuple results) {
    results.get(ElasticsearchIO.Write.FAILED_WRITES)
        .apply("FailOnRejected", ParDo.of(new FailFn()));
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
    private final Counter failures =
        PipelineMetrics.sinkWriteFailures(PipelineMetrics.Sink.ELASTICSEARCH);

    @ProcessElement
    public void process(@Element Document document) {
      failures.inc();
      throw new IllegalStateException("Elasticsearch did not write a document: "
          + document.getResponseItemJson() + " (document: " + abbreviate(document.getInputDoc())
          + ")");
    }

    private static String abbreviate(String s) {
      return s == null || s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
  }
}
