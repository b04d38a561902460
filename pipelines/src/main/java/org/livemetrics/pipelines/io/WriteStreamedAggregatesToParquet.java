package org.livemetrics.pipelines.io;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.livemetrics.schemas.AggregateStoreLayout;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.MinuteAggregateAvro;
import org.livemetrics.schemas.MinuteAggregateCoder;
import org.livemetrics.transforms.observability.PipelineMetrics;
import org.livemetrics.transforms.parse.ParsePlayerEvents;

/**
 * The streaming pipeline's Parquet sink, into the same store layout as the backfill
 * ({@link AggregateStoreLayout}): {@code ROOT/aggregates/hour=…/part-<stream id>-…parquet}.
 *
 * <p>Its input is the panes of the minute windows, each the full current value of its row. Every
 * flush interval, the latest pane of each row changed since the last flush is written once, with
 * the pane index as its {@code version}; readers keep the highest version of a row (the store
 * reads partitions without a commit marker that way). A later backfill of the hour commits its own
 * run and removes these files: it doubles as their compaction.
 */
public final class WriteStreamedAggregatesToParquet
    extends PTransform<PCollection<MinuteAggregate>, WriteFilesResult<String>> {
  private final String storeRoot;
  private final String streamId;
  private final Duration flushInterval;

  private WriteStreamedAggregatesToParquet(String storeRoot, String streamId, Duration flushInterval) {
    this.storeRoot = storeRoot;
    this.streamId = streamId;
    this.flushInterval = flushInterval;
  }

  public static WriteStreamedAggregatesToParquet to(
      String storeRoot, String streamId, Duration flushInterval) {
    if (!streamId.matches("[A-Za-z0-9]+")) {
      throw new IllegalArgumentException("stream id must be letters and digits: " + streamId);
    }
    return new WriteStreamedAggregatesToParquet(storeRoot, streamId, flushInterval);
  }

  @Override
  public WriteFilesResult<String> expand(PCollection<MinuteAggregate> panes) {
    return panes
        .apply("VersionByPane", ParDo.of(new VersionByPaneFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(),
            KvCoder.of(VarLongCoder.of(), MinuteAggregateCoder.of())))
        .apply("FlushEvery", FlushEvery.of(flushInterval))
        .apply("LatestPerRow", Combine.perKey(new Latest()))
        .apply(Values.create())
        .apply("CountRows", ParDo.of(new CountFn()))
        .apply("WriteParquet",
            FileIO.<String, KV<Long, MinuteAggregate>>writeDynamic()
                .by(v -> AggregateStoreLayout.hourPartition(v.getValue().minute))
                .withDestinationCoder(StringUtf8Coder.of())
                .via(
                    Contextful.fn(v -> MinuteAggregateAvro.toRecord(v.getValue(), v.getKey())),
                    ParquetIO.sink(MinuteAggregateAvro.SCHEMA))
                .to(AggregateStoreLayout.join(storeRoot, AggregateStoreLayout.AGGREGATES_DIR))
                .withNumShards(1)
                .withNaming(hour -> new StreamedFileNaming(
                    hour, AggregateStoreLayout.PART_PREFIX, streamId, ".parquet")));
  }

  /** The value with the highest version. */
  static final class Latest extends Combine.BinaryCombineFn<KV<Long, MinuteAggregate>> {
    @Override
    public KV<Long, MinuteAggregate> apply(KV<Long, MinuteAggregate> a, KV<Long, MinuteAggregate> b) {
      return b.getKey() > a.getKey() ? b : a;
    }
  }

  /** (row key, (pane index, row)): the pane index orders a row's values. */
  static final class VersionByPaneFn
      extends DoFn<MinuteAggregate, KV<String, KV<Long, MinuteAggregate>>> {
    @ProcessElement
    public void process(
        @Element MinuteAggregate row,
        PaneInfo pane,
        OutputReceiver<KV<String, KV<Long, MinuteAggregate>>> out) {
      out.output(KV.of(MinuteAggregateAvro.rowKey(row), KV.of(pane.getIndex(), row)));
    }
  }

  static final class CountFn extends DoFn<KV<Long, MinuteAggregate>, KV<Long, MinuteAggregate>> {
    private final Counter written =
        Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, "aggregate_rows_written_parquet");
    private final Counter rowsWritten =
        PipelineMetrics.rowsWritten(PipelineMetrics.Sink.PARQUET, PipelineMetrics.Table.AGGREGATES);

    @ProcessElement
    public void process(
        @Element KV<Long, MinuteAggregate> row, OutputReceiver<KV<Long, MinuteAggregate>> out) {
      written.inc();
      rowsWritten.inc();
      out.output(row);
    }
  }
}
