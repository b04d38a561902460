package org.livemetrics.pipelines.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
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
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.BadRecordRouter;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.livemetrics.schemas.elasticsearch.AggregateDocuments;
import org.livemetrics.schemas.elasticsearch.DocumentFormat;
import org.livemetrics.schemas.elasticsearch.ElasticsearchConnection;
import org.livemetrics.schemas.elasticsearch.ElasticsearchException;
import org.livemetrics.transforms.DurationOption;
import org.livemetrics.transforms.observability.PipelineMetrics;
import org.livemetrics.transforms.parse.ParsePlayerEvents;

/**
 * Writes rows of one kind ({@link StoredRows}: audience aggregates, QoS minutes, broadcast minutes,
 * stream rows) to Elasticsearch with Beam's {@link ElasticsearchIO}: one document per row under its
 * deterministic id ({@link DocumentFormat#id}) in its index ({@link DocumentFormat#index}), which
 * joins the read alias through the kind's index template ({@link ElasticsearchSetup} installs
 * them all).
 *
 * <p>Because the id is the row's key, every write is an upsert: the early, on-time and late panes
 * of an accumulating window (or a stream row's successive versions) overwrite one another, and a
 * replay after a failure or a restart rewrites the same documents instead of adding any. The last
 * value written wins; the runner hands a row's values to this sink one after the other on the same
 * worker (no reshuffle happens between the step that produces them and the write, which is why
 * Beam's stateful batching, a reshuffle, is not used).
 *
 * <p>Output: the documents Elasticsearch accepted, counted in {@code
 * livemetrics:<kind>_rows_written_elasticsearch}. With {@link #withBadRecordErrorHandler}, a row
 * that cannot be a document (not valid UTF-16, over {@link RowWritability#MAX_ROW_BYTES}) and a
 * document the node refuses for its content (a 400 such as {@code mapper_parsing_exception}) are
 * dead letters ({@code unwritable_row}): retrying them could only fail again, restarting a
 * streaming job forever. Anything else (429s, 5xx, timeouts, a closed index: after Beam's retries)
 * fails the bundle, so nothing is lost silently; the runner retries the bundle. Writes,
 * failures, bulk latency, retries and end-to-end latency are reported as the metrics of {@code runners/monitoring/METRICS.md} ({@link ElasticsearchWriteResults},
 * {@link ObservedRetryConfiguration}).
 *
 * <pre>
 * rows.apply("WriteElasticsearch", WriteRowsToElasticsearch.from(StoredRows.AGGREGATES, options));
 * </pre>
 */
public final class WriteRowsToElasticsearch<T>
    extends PTransform<PCollection<T>, PCollection<Document>> {
  private static final TupleTag<String> DOCUMENTS = new TupleTag<String>() {};

  private final StoredRows<T> kind;
  private final List<String> urls;
  private final String indexPrefix;
  private final @Nullable String username;
  private final @Nullable String password;
  private final long maxBatchSize;
  private final long maxBatchSizeBytes;
  private final int maxRetryAttempts;
  private final java.time.Duration maxRetryDuration;
  private final ErrorHandler<BadRecord, ?> errorHandler;
  private final BadRecordRouter router;

  private WriteRowsToElasticsearch(StoredRows<T> kind, List<String> urls, String indexPrefix,
      @Nullable String username, @Nullable String password, long maxBatchSize,
      long maxBatchSizeBytes, int maxRetryAttempts, java.time.Duration maxRetryDuration,
      ErrorHandler<BadRecord, ?> errorHandler, BadRecordRouter router) {
    this.kind = kind;
    this.errorHandler = errorHandler;
    this.router = router;
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
  public static <T> WriteRowsToElasticsearch<T> to(StoredRows<T> kind, List<String> urls) {
    return new WriteRowsToElasticsearch<>(kind, urls,
        DocumentFormat.prefixFor(AggregateDocuments.DEFAULT_PREFIX, kind.table()), null, null,
        5000, 5L * 1024 * 1024, 6, java.time.Duration.ofMinutes(2),
        new ErrorHandler.DefaultErrorHandler<>(), BadRecordRouter.THROWING_ROUTER);
  }

  /** The sink the options describe: {@code --elasticsearchUrl} and the rest. */
  public static <T> WriteRowsToElasticsearch<T> from(
      StoredRows<T> kind, ElasticsearchSinkOptions options) {
    String url = options.getElasticsearchUrl();
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException(
          "--elasticsearchUrl is required, e.g. --elasticsearchUrl=http://localhost:9200");
    }
    return to(kind, ElasticsearchConnection.splitUrls(url))
        .withIndexPrefix(options.getElasticsearchIndexPrefix())
        .withCredentials(options.getElasticsearchUsername(), options.getElasticsearchPassword())
        .withMaxBatch(options.getElasticsearchMaxBatchSize(),
            options.getElasticsearchMaxBatchSizeBytes())
        .withRetries(options.getElasticsearchMaxRetryAttempts(),
            DurationOption.parse("elasticsearchMaxRetryDuration",
                options.getElasticsearchMaxRetryDuration()));
  }

  /**
   * The deployment's index prefix ({@code --elasticsearchIndexPrefix}, the aggregates'): this
   * kind's indices are {@link DocumentFormat#prefixFor} it, daily {@code PREFIX-YYYY.MM.DD} behind
   * the alias {@code PREFIX}.
   */
  public WriteRowsToElasticsearch<T> withIndexPrefix(String aggregatesPrefix) {
    return new WriteRowsToElasticsearch<>(kind, urls,
        DocumentFormat.prefixFor(aggregatesPrefix, kind.table()), username, password, maxBatchSize,
        maxBatchSizeBytes, maxRetryAttempts, maxRetryDuration, errorHandler, router);
  }

  /** Basic-auth credentials; a null or empty user means none. */
  public WriteRowsToElasticsearch<T> withCredentials(@Nullable String user,
      @Nullable String pass) {
    boolean none = user == null || user.isEmpty();
    return new WriteRowsToElasticsearch<>(kind, urls, indexPrefix, none ? null : user,
        none ? null : pass, maxBatchSize, maxBatchSizeBytes, maxRetryAttempts, maxRetryDuration,
        errorHandler, router);
  }

  /** Bulk requests of at most {@code documents} documents and {@code bytes} bytes. */
  public WriteRowsToElasticsearch<T> withMaxBatch(long documents, long bytes) {
    return new WriteRowsToElasticsearch<>(kind, urls, indexPrefix, username, password, documents,
        bytes, maxRetryAttempts, maxRetryDuration, errorHandler, router);
  }

  /** Retries of a bulk request on 429, 5xx and timeouts: attempts and total back-off. */
  public WriteRowsToElasticsearch<T> withRetries(int attempts, java.time.Duration maxDuration) {
    return new WriteRowsToElasticsearch<>(kind, urls, indexPrefix, username, password, maxBatchSize,
        maxBatchSizeBytes, attempts, maxDuration, errorHandler, router);
  }

  /**
   * Sends the rows that cannot be documents (not valid UTF-16, too large) and the documents the
   * node refuses for what they hold (its mapping's refusals) to {@code handler} as dead letters
   * ({@code unwritable_row}); without it they fail the bundle. Failures of the node or the network
   * fail the bundle either way.
   */
  public WriteRowsToElasticsearch<T> withBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler) {
    return new WriteRowsToElasticsearch<>(kind, urls, indexPrefix, username, password, maxBatchSize,
        maxBatchSizeBytes, maxRetryAttempts, maxRetryDuration, handler,
        BadRecordRouter.RECORDING_ROUTER);
  }

  public String indexPrefix() {
    return indexPrefix;
  }

  @Override
  public PCollection<Document> expand(PCollection<T> rows) {
    ConnectionConfiguration connection =
        ConnectionConfiguration.create(urls.toArray(new String[0]));
    if (username != null) {
      connection = connection.withUsername(username);
    }
    if (username != null && password != null && !password.isEmpty()) {
      connection = connection.withPassword(password);
    }
    PCollection<T> windowed = rows
        // ElasticsearchIO gives back the documents it wrote by applying its input's WindowFn to
        // them again, and the streaming rows' windows come from their keys (WindowIntoMinutes),
        // which a document has not: a ClassCastException on the first bulk write. Documents are
        // upserts, windows mean nothing to this sink: drop them.
        .apply("GlobalWindow", Window.<T>into(new GlobalWindows())
            .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
            .withAllowedLateness(Duration.ZERO)
            .discardingFiredPanes());
    PCollectionTuple documents = windowed
        .apply("ToDocuments", ParDo.of(
            new ToDocumentFn<>(kind, urls, username, password, indexPrefix, router))
            .withOutputTags(DOCUMENTS, TupleTagList.of(BadRecordRouter.BAD_RECORD_TAG)));
    GuardRows.addDeadLetters(errorHandler, documents.get(BadRecordRouter.BAD_RECORD_TAG),
        "UnwritableDocuments");
    return documents.get(DOCUMENTS).setCoder(StringUtf8Coder.of())
        .apply("BulkIndex", ElasticsearchIO.write()
            .withConnectionConfiguration(connection)
            .withIdFn(new DocumentId(kind.documents()))
            .withIndexFn(new DailyIndex(kind.documents(), indexPrefix))
            .withMaxBatchSize(maxBatchSize)
            .withMaxBatchSizeBytes(maxBatchSizeBytes)
            .withRetryConfiguration(ObservedRetryConfiguration.of(RetryConfiguration.create(
                maxRetryAttempts, Duration.millis(maxRetryDuration.toMillis()))))
            // Failed documents come out to be counted, then fail the bundle (see the class).
            .withThrowWriteErrors(false))
        .apply("Results", router == BadRecordRouter.THROWING_ROUTER
            ? ElasticsearchWriteResults.of(kind.metricsTable())
            : ElasticsearchWriteResults.of(kind.metricsTable()).withBadRecordErrorHandler(errorHandler))
        .apply("CountWritten",
            ParDo.of(new CountFn(kind.counterPrefix() + "_rows_written_elasticsearch")));
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
  static final class ToDocumentFn<T> extends DoFn<T, String> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StoredRows<T> kind;
    private final List<String> urls;
    private final @Nullable String username;
    private final @Nullable String password;
    private final String indexPrefix;
    private final BadRecordRouter router;
    private final Counter unwritable = GuardRows.deadLetterCounter();
    private transient RowWritability check;

    ToDocumentFn(StoredRows<T> kind, List<String> urls, @Nullable String username,
        @Nullable String password, String indexPrefix, BadRecordRouter router) {
      this.kind = kind;
      this.urls = urls;
      this.username = username;
      this.password = password;
      this.indexPrefix = indexPrefix;
      this.router = router;
    }

    @Setup
    public void checkTemplate() throws IOException {
      check = new RowWritability(kind.schema());
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

    /**
     * The row's document, if it can be sent as it is: the client would encode a lone surrogate as
     * {@code ?} (so Elasticsearch would store another value than Parquet), and a huge document
     * would fail its whole bulk request.
     */
    @ProcessElement
    public void process(@Element T row, MultiOutputReceiver out) throws Exception {
      String why;
      Exception cause;
      try {
        String json = kind.documents().toJson(row);
        check.checkDocument(json);
        // The id and index as BulkIndex will make them: a row they throw on would fail its bundle.
        JsonNode document = JSON.readTree(json);
        kind.documents().id(document);
        kind.documents().index(indexPrefix, document);
        out.get(DOCUMENTS).output(json);
        return;
      } catch (RowWritability.UnwritableException e) {
        why = e.getMessage();
        cause = e;
      } catch (RuntimeException | IOException e) {
        why = "no document: " + RowWritability.causes(e);
        cause = e;
      }
      unwritable.inc();
      GuardRows.route(router, out, GuardRows.describe(kind, row, "elasticsearch"), cause, why);
    }
  }

  static final class DocumentId implements ElasticsearchIO.Write.FieldValueExtractFn {
    private final DocumentFormat<?> format;

    DocumentId(DocumentFormat<?> format) {
      this.format = format;
    }

    @Override
    public String apply(JsonNode document) {
      return format.id(document);
    }
  }

  static final class DailyIndex implements ElasticsearchIO.Write.FieldValueExtractFn {
    private final DocumentFormat<?> format;
    private final String prefix;

    DailyIndex(DocumentFormat<?> format, String prefix) {
      this.format = format;
      this.prefix = prefix;
    }

    @Override
    public String apply(JsonNode document) {
      return format.index(prefix, document);
    }
  }

  static final class CountFn extends DoFn<Document, Document> {
    private final Counter written;

    CountFn(String name) {
      this.written = Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, name);
    }

    @ProcessElement
    public void process(@Element Document document, OutputReceiver<Document> out) {
      written.inc();
      out.output(document);
    }
  }
}
