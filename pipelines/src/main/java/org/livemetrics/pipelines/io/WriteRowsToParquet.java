package org.livemetrics.pipelines.io;

import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.livemetrics.schemas.AggregateStoreLayout;
import org.livemetrics.transforms.observability.PipelineMetrics;
import org.livemetrics.transforms.parse.ParsePlayerEvents;

/**
 * Writes rows of one kind ({@link StoredRows}) as Parquet into the store layout ({@link
 * AggregateStoreLayout}): {@code ROOT/<table>/hour=…/part-<run id>-…parquet}, one directory per
 * UTC hour of the rows' partition time, files named after the run that wrote them, so a later
 * commit ({@link StoreCommitter}) can make exactly this run's files current.
 *
 * <p>A Parquet file cannot skip a row, so rows are checked first ({@link GuardRows}): one Parquet
 * cannot encode becomes a dead letter ({@code unwritable_row}) and the others are written.
 *
 * <pre>
 * rows.apply("WriteAggregates", WriteRowsToParquet.to(StoredRows.AGGREGATES, store, runId));
 * </pre>
 */
public final class WriteRowsToParquet<T> extends PTransform<PCollection<T>, WriteFilesResult<String>> {
  private final StoredRows<T> kind;
  private final String storeRoot;
  private final String runId;
  private final GuardRows<T, T> guard;

  private WriteRowsToParquet(StoredRows<T> kind, String storeRoot, String runId, GuardRows<T, T> guard) {
    this.kind = kind;
    this.storeRoot = storeRoot;
    this.runId = runId;
    this.guard = guard;
  }

  public static <T> WriteRowsToParquet<T> to(StoredRows<T> kind, String storeRoot, String runId) {
    if (runId.contains("/") || runId.contains("-")) {
      throw new IllegalArgumentException("run id must not contain '/' or '-': " + runId);
    }
    return new WriteRowsToParquet<>(kind, storeRoot, runId, GuardRows.forParquet(kind));
  }

  /**
   * Sends the rows Parquet cannot encode ({@link GuardRows}) to {@code handler} as dead letters;
   * without it such a row fails the run with its reason.
   */
  public WriteRowsToParquet<T> withBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler) {
    return new WriteRowsToParquet<>(kind, storeRoot, runId, guard.withBadRecordErrorHandler(handler));
  }

  /** The audience aggregates' sink (the backfill's first table). */
  public static WriteRowsToParquet<org.livemetrics.schemas.MinuteAggregate> aggregates(
      String storeRoot, String runId) {
    return to(StoredRows.AGGREGATES, storeRoot, runId);
  }

  @Override
  public WriteFilesResult<String> expand(PCollection<T> rows) {
    StoredRows<T> kind = this.kind;
    return rows
        .apply("GuardRows", guard)
        .apply("CountRows",
            ParDo.of(new CountFn<T>(kind.counterPrefix() + "_rows_written", kind.metricsTable())))
        .setCoder(rows.getCoder())
        .apply(
            "WriteParquet",
            FileIO.<String, T>writeDynamic()
                .by(r -> AggregateStoreLayout.hourPartition(kind.partitionTime(r)))
                .withDestinationCoder(StringUtf8Coder.of())
                .via(
                    Contextful.fn(r -> kind.toRecord(r, 0L)),
                    ParquetIO.sink(kind.schema()))
                .to(AggregateStoreLayout.join(storeRoot, kind.table()))
                .withNaming(
                    hour ->
                        FileIO.Write.defaultNaming(
                            hour + "/" + AggregateStoreLayout.PART_PREFIX + runId,
                            ".parquet")));
  }

  /**
   * Counts what passes, unchanged: in the run's own counter ({@code name}, the backfill's summary)
   * and in {@code livemetrics_rows_written_total{sink="parquet"}}.
   */
  static final class CountFn<T> extends DoFn<T, T> {
    private final Counter written;
    private final Counter rowsWritten;

    CountFn(String name, PipelineMetrics.Table table) {
      this.written = Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, name);
      this.rowsWritten = PipelineMetrics.rowsWritten(PipelineMetrics.Sink.PARQUET, table);
    }

    @ProcessElement
    public void process(@Element T r, OutputReceiver<T> out) {
      written.inc();
      rowsWritten.inc();
      out.output(r);
    }
  }
}
