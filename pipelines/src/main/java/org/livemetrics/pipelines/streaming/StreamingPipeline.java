package org.livemetrics.pipelines.streaming;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.pipelines.io.ElasticsearchSetup;
import org.livemetrics.pipelines.io.ElasticsearchSinkOptions;
import org.livemetrics.pipelines.io.WriteAggregatesToElasticsearch;
import org.livemetrics.pipelines.io.WriteDeadLetters;
import org.livemetrics.pipelines.io.WriteRawArchive;
import org.livemetrics.pipelines.io.WriteStreamedAggregatesToParquet;
import org.livemetrics.pipelines.kinesis.KinesisSourceOptions;
import org.livemetrics.pipelines.kinesis.ReadPlayerRecordsFromKinesis;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.transforms.DurationOption;
import org.livemetrics.transforms.observability.ReportAudienceGauges;
import org.livemetrics.transforms.parse.ParsePlayerEvents;
import org.livemetrics.transforms.parse.RawRecord;
import org.livemetrics.transforms.streaming.StreamingLiveMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming pipeline: player-event records from a source (Kinesis in production) to live
 * per-minute metrics in Elasticsearch and Parquet, with the raw archive and the dead letters.
 *
 * <pre>
 * records ─┬─ WriteRawArchive (ROOT/YYYY/MM/DD/HH/, by arrival)
 *          └─ ParsePlayerEvents ─ StreamingLiveMetrics ─┬─ WriteAggregatesToElasticsearch (each pane)
 *               │ (bad records)     │ (too_late)        └─ WriteStreamedAggregatesToParquet (flushed)
 *               └───────────────────┴─ WriteDeadLetters
 * </pre>
 *
 * The transforms between source and sinks are the batch backfill's, unchanged; only the windowing
 * ({@link StreamingLiveMetrics}) and the sinks are streaming-specific.
 */
public final class StreamingPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(StreamingPipeline.class);

  private StreamingPipeline() {}

  /** Every option of the streaming job: its outputs, the Kinesis source, the shared metric logic. */
  public interface Options
      extends StreamingPipelineOptions, KinesisSourceOptions, ElasticsearchSinkOptions {}

  public static void main(String[] args) throws Exception {
    PipelineOptionsFactory.register(Options.class);
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    run(options).waitUntilFinish();
  }

  /**
   * Builds and starts the job: Kinesis in, every sink the options ask for out. The job runs until
   * cancelled or stopped (on Flink: with a savepoint, to upgrade or resume it later).
   */
  public static PipelineResult run(Options options) throws IOException {
    options.as(org.apache.beam.sdk.options.StreamingOptions.class).setStreaming(true);
    FlinkRestore.apply(options);
    FlinkPrometheusReporter.apply(options);
    String streamId = streamId(options);
    if (writesElasticsearch(options)) {
      // Before the first document: a new day's index must get the template's mappings.
      ElasticsearchSetup.from(options).installTemplate();
    }
    LOG.info("Streaming job {} reading {}: Elasticsearch {}, store {}, archive {}", streamId,
        options.getKinesisStream(), describe(options.getElasticsearchUrl()),
        describe(options.getOutput()), describe(options.getArchive()));
    Pipeline pipeline = Pipeline.create(options);
    attach(pipeline.apply("ReadKinesis", ReadPlayerRecordsFromKinesis.from(options)), options);
    return pipeline.run();
  }

  private static String describe(@Nullable String location) {
    return location == null || location.isEmpty() ? "(none)" : location;
  }

  private static boolean writesElasticsearch(StreamingPipelineOptions options) {
    String url = options.as(ElasticsearchSinkOptions.class).getElasticsearchUrl();
    return url != null && !url.isBlank();
  }

  /** The stream id to use: the option's, or one made from the start time. */
  public static String streamId(StreamingPipelineOptions options) {
    String id = options.getStreamId();
    if (id.isEmpty()) {
      id = "s" + DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
      options.setStreamId(id);
    }
    if (!id.matches("[A-Za-z0-9]+")) {
      throw new IllegalArgumentException("--streamId must be letters and digits: " + id);
    }
    return id;
  }

  /**
   * Everything after the source, applied to {@code records} (stamped with their arrival time):
   * shared by the main, the tests (with TestStream or generated records) and the benchmark.
   *
   * @return the rows written, one per pane
   */
  public static PCollection<MinuteAggregate> attach(
      PCollection<RawRecord> records, StreamingPipelineOptions options) {
    Pipeline pipeline = records.getPipeline();
    String streamId = streamId(options);
    Duration flush = Duration.millis(
        DurationOption.parse("flushInterval", options.getFlushInterval()).toMillis());
    String deadLetterRoot =
        options.getDeadLetters().isEmpty() ? options.getOutput() : options.getDeadLetters();
    if (deadLetterRoot.isEmpty()) {
      throw new IllegalArgumentException(
          "dead letters need a place: set --output (the aggregate store) or --deadLetters");
    }
    BadRecordErrorHandler<?> deadLetters = pipeline.registerBadRecordErrorHandler(
        WriteDeadLetters.streaming(deadLetterRoot, streamId, flush));

    if (!options.getArchive().isEmpty()) {
      records.apply("WriteRawArchive", WriteRawArchive.to(options.getArchive(), streamId, flush));
    }
    PCollection<MinuteAggregate> rows = records
        .apply("ParsePlayerEvents", ParsePlayerEvents.from(options).withBadRecordErrorHandler(deadLetters))
        .apply("StreamingLiveMetrics",
            StreamingLiveMetrics.from(options).withBadRecordErrorHandler(deadLetters));
    if (writesElasticsearch(options)) {
      rows.apply("WriteElasticsearch",
          WriteAggregatesToElasticsearch.from(options.as(ElasticsearchSinkOptions.class)));
    }
    if (!options.getOutput().isEmpty()) {
      rows.apply("WriteParquet",
          WriteStreamedAggregatesToParquet.to(options.getOutput(), streamId, flush));
    }
    rows.apply("ReportAudienceGauges", ReportAudienceGauges.create()); // pipeline metrics
    if (!writesElasticsearch(options) && options.getOutput().isEmpty()) {
      throw new IllegalArgumentException(
          "no output: set --elasticsearchUrl (live rows), --output (Parquet store), or both");
    }
    deadLetters.close();
    return rows;
  }
}
