package org.livemetrics.pipelines.io;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.livemetrics.schemas.AggregateStoreLayout;

/**
 * The streaming pipeline's Parquet sink for one kind of row ({@link StoredRows}), into the same
 * store layout as the backfill: {@code ROOT/<table>/hour=…/part-<stream id>-…parquet}.
 *
 * <p>Its input is the successive values of rows (for minute windows, the panes, each the row's
 * full current value). Every flush interval, the latest value of each row changed since the last
 * flush is written once, with its version ({@link StoredRows#version}: the pane index, or the
 * row's own); readers keep the highest version of a row (the store reads partitions without a
 * commit marker that way). A later backfill of the hour commits its own run and removes these
 * files: it doubles as their compaction.
 *
 * <p>Each value is checked before it is written ({@link GuardRows}): one Parquet cannot encode
 * becomes a dead letter instead of failing the file, and with it the job, at every restart.
 */
public final class WriteStreamedRowsToParquet<T>
    extends PTransform<PCollection<T>, WriteFilesResult<String>> {
  private final StoredRows<T> kind;
  private final String storeRoot;
  private final String streamId;
  private final Duration flushInterval;
  private final GuardRows<KV<Long, T>, T> guard;

  private WriteStreamedRowsToParquet(StoredRows<T> kind, String storeRoot, String streamId,
      Duration flushInterval, GuardRows<KV<Long, T>, T> guard) {
    this.kind = kind;
    this.storeRoot = storeRoot;
    this.streamId = streamId;
    this.flushInterval = flushInterval;
    this.guard = guard;
  }

  public static <T> WriteStreamedRowsToParquet<T> to(
      StoredRows<T> kind, String storeRoot, String streamId, Duration flushInterval) {
    if (!streamId.matches("[A-Za-z0-9]+")) {
      throw new IllegalArgumentException("stream id must be letters and digits: " + streamId);
    }
    return new WriteStreamedRowsToParquet<>(kind, storeRoot, streamId, flushInterval,
        GuardRows.forStreamedParquet(kind));
  }

  /**
   * Sends the rows Parquet cannot encode ({@link GuardRows}) to {@code handler} as dead letters;
   * without it such a row fails the job (and, restarted, fails it again).
   */
  public WriteStreamedRowsToParquet<T> withBadRecordErrorHandler(
      ErrorHandler<BadRecord, ?> handler) {
    return new WriteStreamedRowsToParquet<>(kind, storeRoot, streamId, flushInterval,
        guard.withBadRecordErrorHandler(handler));
  }

  @Override
  public WriteFilesResult<String> expand(PCollection<T> values) {
    StoredRows<T> kind = this.kind;
    KvCoder<Long, T> versioned = KvCoder.of(VarLongCoder.of(), kind.coder());
    return values
        .apply("Version", ParDo.of(new VersionFn<>(kind)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), versioned))
        .apply("FlushEvery", FlushEvery.of(flushInterval))
        // GroupByKey, not a combine: the global window's final pane may be empty, and a combine
        // would turn that into its identity (a null row); an empty group yields nothing here.
        .apply("GroupByRow", GroupByKey.create())
        .apply("LatestPerRow", ParDo.of(new LatestFn<T>()))
        .setCoder(versioned)
        .apply("GuardRows", guard)
        .apply("CountRows",
            ParDo.of(new WriteRowsToParquet.CountFn<KV<Long, T>>(
                kind.counterPrefix() + "_rows_written_parquet", kind.metricsTable())))
        .setCoder(versioned)
        .apply("WriteParquet",
            FileIO.<String, KV<Long, T>>writeDynamic()
                .by(v -> AggregateStoreLayout.hourPartition(kind.partitionTime(v.getValue())))
                .withDestinationCoder(StringUtf8Coder.of())
                .via(
                    Contextful.fn(v -> kind.toRecord(v.getValue(), v.getKey())),
                    ParquetIO.sink(kind.schema()))
                .to(AggregateStoreLayout.join(storeRoot, kind.table()))
                .withNumShards(1)
                .withNaming(hour -> new StreamedFileNaming(
                    hour, AggregateStoreLayout.PART_PREFIX, streamId, ".parquet")));
  }

  /** The value with the highest version of each row flushed (none for an empty pane). */
  static final class LatestFn<T> extends DoFn<KV<String, Iterable<KV<Long, T>>>, KV<Long, T>> {
    @ProcessElement
    public void process(@Element KV<String, Iterable<KV<Long, T>>> row,
        OutputReceiver<KV<Long, T>> out) {
      KV<Long, T> latest = null;
      for (KV<Long, T> v : row.getValue()) {
        if (latest == null || v.getKey() > latest.getKey()) {
          latest = v;
        }
      }
      if (latest != null) {
        out.output(latest);
      }
    }
  }

  /** (row key, (version, value)): the version orders a row's values. */
  static final class VersionFn<T> extends DoFn<T, KV<String, KV<Long, T>>> {
    private final StoredRows<T> kind;

    VersionFn(StoredRows<T> kind) {
      this.kind = kind;
    }

    @ProcessElement
    public void process(@Element T row, PaneInfo pane, OutputReceiver<KV<String, KV<Long, T>>> out) {
      out.output(KV.of(kind.rowKey(row), KV.of(kind.version(row, pane.getIndex()), row)));
    }
  }
}
