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
import org.apache.beam.sdk.values.PCollection;
import org.livemetrics.schemas.AggregateStoreLayout;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.MinuteAggregateAvro;
import org.livemetrics.transforms.observability.PipelineMetrics;
import org.livemetrics.transforms.parse.ParsePlayerEvents;

/**
 * Writes aggregate rows as Parquet into the store layout ({@link AggregateStoreLayout}): one
 * directory per UTC hour of the rows' minutes, files named after the run that wrote them, so a
 * later commit can make exactly this run's files current.
 */
public final class WriteAggregatesToParquet
    extends PTransform<PCollection<MinuteAggregate>, WriteFilesResult<String>> {
  private final String storeRoot;
  private final String runId;

  private WriteAggregatesToParquet(String storeRoot, String runId) {
    this.storeRoot = storeRoot;
    this.runId = runId;
  }

  public static WriteAggregatesToParquet to(String storeRoot, String runId) {
    if (runId.contains("/") || runId.contains("-")) {
      throw new IllegalArgumentException("run id must not contain '/' or '-': " + runId);
    }
    return new WriteAggregatesToParquet(storeRoot, runId);
  }

  @Override
  public WriteFilesResult<String> expand(PCollection<MinuteAggregate> rows) {
    return rows.apply("CountRows", ParDo.of(new CountFn()))
        .setCoder(rows.getCoder())
        .apply(
            "WriteParquet",
            FileIO.<String, MinuteAggregate>writeDynamic()
                .by(r -> AggregateStoreLayout.hourPartition(r.minute))
                .withDestinationCoder(StringUtf8Coder.of())
                .via(
                    Contextful.fn(MinuteAggregateAvro::toRecord),
                    ParquetIO.sink(MinuteAggregateAvro.SCHEMA))
                .to(AggregateStoreLayout.join(storeRoot, AggregateStoreLayout.AGGREGATES_DIR))
                .withNaming(
                    hour ->
                        FileIO.Write.defaultNaming(
                            hour + "/" + AggregateStoreLayout.PART_PREFIX + runId,
                            ".parquet")));
  }

  static final class CountFn extends DoFn<MinuteAggregate, MinuteAggregate> {
    private final Counter written = Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, "aggregate_rows_written");
    private final Counter rowsWritten =
        PipelineMetrics.rowsWritten(PipelineMetrics.Sink.PARQUET, PipelineMetrics.Table.AGGREGATES);

    @ProcessElement
    public void process(@Element MinuteAggregate r, OutputReceiver<MinuteAggregate> out) {
      written.inc();
      rowsWritten.inc();
      out.output(r);
    }
  }
}
