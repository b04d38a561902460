package org.livemetrics.pipelines.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO.ConnectionConfiguration;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO.Document;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO.RetryConfiguration;
import org.apache.beam.sdk.io.elasticsearch.ObservedRetryConfiguration;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.elasticsearch.AggregateDocuments;
import org.livemetrics.schemas.elasticsearch.ElasticsearchConnection;
import org.livemetrics.schemas.elasticsearch.ElasticsearchException;
import org.livemetrics.transforms.DurationOption;
import org.livemetrics.transforms.observability.PipelineMetrics;
import org.livemetrics.transforms.parse.ParsePlayerEvents;

/**
 * Writes minute rows to Elasticsearch with Beam's {@link ElasticsearchIO}: one document per row
 * under its deterministic id ({@link AggregateDocuments#id}) in the daily index of its minute,
 * which joins the read alias through the index template ({@link ElasticsearchSetup} installs it).
 *
 * <p>Because the id is the row's key, every write is an upsert: the early, on-time and late panes
 * of an accumulating window overwrite one another, and a replay after a failure or a restart
 * rewrites the same documents instead of adding any. The last pane written wins; the runner hands
 * a row's panes to this sink one after the other on the same worker (no reshuffle happens between
 * the windowing and the write, which is why Beam's stateful batching, a reshuffle, is not used).
 *
 * <p>Output: the documents Elasticsearch accepted, counted in {@code
 * livemetrics:aggregate_rows_written_elasticsearch}. A document it rejects fails the bundle (after
 * the retries of 429s, 5xx and timeouts), so nothing is lost silently; the runner retries the
 * bundle. Writes, failures, bulk latency, retries and end-to-end latency are reported as the
 * metrics of {@code runners/monitoring/METRICS.md} ({@link ElasticsearchWriteResults},
 * {@link ObservedRetryConfiguration}).
 *
 * <pre>
 * rows.apply("WriteToElasticsearch", WriteAggregatesToElasticsearch.from(options));
 * </pre>
 */
public final class WriteAggregatesToElasticsearch
    extends PTransform<PCollection<MinuteAggregate>, PCollection<Document>> {
  public static final String ROWS_WRITTEN = "aggregate_rows_written_elasticsearch";

  private final List<String> urls;
  private final String indexPrefix;
  private final @Nullable String username;
  private final @Nullable String password;
  private final long maxBatchSize;
  private final long maxBatchSizeBytes;
  private final int maxRetryAttempts;
  private final java.time.Duration maxRetryDuration;

  private WriteAggregatesToElasticsearch(List<String> urls, String indexPrefix,
      @Nullable String username, @Nullable String password, long maxBatchSize,
      long maxBatchSizeBytes, int maxRetryAttempts, java.time.Duration maxRetryDuration) {
    this.urls = List.copyOf(urls);
    this.indexPrefix = AggregateDocuments.checkPrefix(indexPrefix);
    this.username = username;
    this.password = password;
    if (maxBatchSize < 1 || maxBatchSizeBytes < 1) {
      throw new IllegalArgumentException("Elasticsearch batch limits must be positive: "
          + maxBatchSize + " documents, " + maxBatchSizeBytes + " bytes");
    }
    this.maxBatchSize = maxBatchSize;
    this.maxBatchSizeBytes = maxBatchSizeBytes;
    if (maxRetryAttempts < 1 || maxRetryDuration.isNegative() || maxRetryDuration.isZero()) {
      throw new IllegalArgumentException("Elasticsearch retries need at least 1 attempt and a"
          + " positive duration: " + maxRetryAttempts + ", " + maxRetryDuration);
    }
    this.maxRetryAttempts = maxRetryAttempts;
    this.maxRetryDuration = maxRetryDuration;
    // Refuse bad addresses while the pipeline is built, not on the workers.
    ElasticsearchConnection.to(this.urls, username, password);
  }

  /** The sink to the nodes at {@code urls} ({@code http(s)://host:port}), with defaults. */
  public static WriteAggregatesToElasticsearch to(List<String> urls) {
    return new WriteAggregatesToElasticsearch(urls, AggregateDocuments.DEFAULT_PREFIX, null, null,
        5000, 5L * 1024 * 1024, 6, java.time.Duration.ofMinutes(2));
  }

  /** The sink the options describe: {@code --elasticsearchUrl} and the rest. */
  public static WriteAggregatesToElasticsearch from(ElasticsearchSinkOptions options) {
    String url = options.getElasticsearchUrl();
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException(
          "--elasticsearchUrl is required, e.g. --elasticsearchUrl=http://localhost:9200");
    }
    return to(ElasticsearchConnection.splitUrls(url))
        .withIndexPrefix(options.getElasticsearchIndexPrefix())
        .withCredentials(options.getElasticsearchUsername(), options.getElasticsearchPassword())
        .withMaxBatch(options.getElasticsearchMaxBatchSize(),
            options.getElasticsearchMaxBatchSizeBytes())
        .withRetries(options.getElasticsearchMaxRetryAttempts(),
            DurationOption.parse("elasticsearchMaxRetryDuration",
                options.getElasticsearchMaxRetryDuration()));
  }

  /** Daily indices {@code prefix-YYYY.MM.DD} behind the alias {@code prefix}. */
  public WriteAggregatesToElasticsearch withIndexPrefix(String prefix) {
    return new WriteAggregatesToElasticsearch(urls, prefix, username, password, maxBatchSize,
        maxBatchSizeBytes, maxRetryAttempts, maxRetryDuration);
  }

  /** Basic-auth credentials; a null or empty user means none. */
  public WriteAggregatesToElasticsearch withCredentials(@Nullable String user,
      @Nullable String pass) {
    boolean none = user == null || user.isEmpty();
    return new WriteAggregatesToElasticsearch(urls, indexPrefix, none ? null : user,
        none ? null : pass, maxBatchSize, maxBatchSizeBytes, maxRetryAttempts, maxRetryDuration);
  }

  /** Bulk requests of at most {@code documents} documents and {@code bytes} bytes. */
  public WriteAggregatesToElasticsearch withMaxBatch(long documents, long bytes) {
    return new WriteAggregatesToElasticsearch(urls, indexPrefix, username, password, documents,
        bytes, maxRetryAttempts, maxRetryDuration);
  }

  /** Retries of a bulk request on 429, 5xx and timeouts: attempts and total back-off. */
  public WriteAggregatesToElasticsearch withRetries(int attempts, java.time.Duration maxDuration) {
    return new WriteAggregatesToElasticsearch(urls, indexPrefix, username, password, maxBatchSize,
        maxBatchSizeBytes, attempts, maxDuration);
  }

  public String indexPrefix() {
    return indexPrefix;
  }

  @Override
  public PCollection<Document> expand(PCollection<MinuteAggregate> rows) {
    ConnectionConfiguration connection =
        ConnectionConfiguration.create(urls.toArray(new String[0]));
    if (username != null) {
      connection = connection.withUsername(username);
    }
    if (username != null && password != null && !password.isEmpty()) {
      connection = connection.withPassword(password);
    }
    return rows
        // ElasticsearchIO gives back the documents it wrote by applying its input's WindowFn to
        // them again, and the streaming rows' windows come from their keys (WindowIntoMinutes),
        // which a document has not: a ClassCastException on the first bulk write. Documents are
        // upserts, windows mean nothing to this sink: drop them.
        .apply("GlobalWindow", Window.<MinuteAggregate>into(new GlobalWindows())
            .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
            .withAllowedLateness(org.joda.time.Duration.ZERO)
            .discardingFiredPanes())
        .apply("ToDocuments", ParDo.of(new ToDocumentFn(urls, username, password, indexPrefix)))
        .apply("BulkIndex", ElasticsearchIO.write()
            .withConnectionConfiguration(connection)
            .withIdFn(new DocumentId())
            .withIndexFn(new DailyIndex(indexPrefix))
            .withMaxBatchSize(maxBatchSize)
            .withMaxBatchSizeBytes(maxBatchSizeBytes)
            .withRetryConfiguration(ObservedRetryConfiguration.of(RetryConfiguration.create(
                maxRetryAttempts, Duration.millis(maxRetryDuration.toMillis()))))
            // Failed documents come out to be counted, then fail the bundle (see the class).
            .withThrowWriteErrors(false))
        .apply("Results", ElasticsearchWriteResults.of(PipelineMetrics.Table.AGGREGATES))
        .apply("CountWritten", ParDo.of(new CountFn()));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("urls", String.join(",", urls)))
        .add(DisplayData.item("indexPrefix", indexPrefix))
        .add(DisplayData.item("maxBatchSize", maxBatchSize))
        .add(DisplayData.item("maxBatchSizeBytes", maxBatchSizeBytes))
        .add(DisplayData.item("maxRetryAttempts", maxRetryAttempts))
        .add(DisplayData.item("maxRetryDuration", maxRetryDuration.toString()));
  }

  /**
   * The row's document. Before the first one, checks that the index template is in place: without
   * it the first row of a day would create its index with guessed mappings (sketches as text,
   * no alias), which no query could read.
   */
  static final class ToDocumentFn extends DoFn<MinuteAggregate, String> {
    private final List<String> urls;
    private final @Nullable String username;
    private final @Nullable String password;
    private final String indexPrefix;

    ToDocumentFn(List<String> urls, @Nullable String username, @Nullable String password,
        String indexPrefix) {
      this.urls = urls;
      this.username = username;
      this.password = password;
      this.indexPrefix = indexPrefix;
    }

    @Setup
    public void checkTemplate() throws IOException {
      ElasticsearchConnection es = ElasticsearchConnection.to(urls, username, password);
      try {
        es.get("/_index_template/" + indexPrefix);
      } catch (ElasticsearchException e) {
        if (e.status() == 404) {
          throw new IllegalStateException("Elasticsearch at " + es + " has no index template '"
              + indexPrefix + "': install it first with ElasticsearchSetup (the streaming"
              + " pipeline does at start)", e);
        }
        throw e;
      }
    }

    @ProcessElement
    public void process(@Element MinuteAggregate row, OutputReceiver<String> out) {
      out.output(AggregateDocuments.toJson(row));
    }
  }

  static final class DocumentId implements ElasticsearchIO.Write.FieldValueExtractFn {
    @Override
    public String apply(JsonNode document) {
      return AggregateDocuments.id(document);
    }
  }

  static final class DailyIndex implements ElasticsearchIO.Write.FieldValueExtractFn {
    private final String prefix;

    DailyIndex(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public String apply(JsonNode document) {
      return AggregateDocuments.index(prefix, document);
    }
  }

  static final class CountFn extends DoFn<Document, Document> {
    private final Counter written =
        Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, ROWS_WRITTEN);

    @ProcessElement
    public void process(@Element Document document, OutputReceiver<Document> out) {
      written.inc();
      out.output(document);
    }
  }
}
