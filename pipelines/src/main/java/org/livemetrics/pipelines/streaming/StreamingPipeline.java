package org.livemetrics.pipelines.streaming;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.joda.time.Duration;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.pipelines.io.ElasticsearchSetup;
import org.livemetrics.pipelines.io.ElasticsearchSinkOptions;
import org.livemetrics.pipelines.io.StoredRows;
import org.livemetrics.pipelines.io.WriteRowsToElasticsearch;
import org.livemetrics.pipelines.io.WriteDeadLetters;
import org.livemetrics.pipelines.io.WriteRawArchive;
import org.livemetrics.pipelines.io.WriteStreamedRowsToParquet;
import org.livemetrics.pipelines.kinesis.KinesisSourceOptions;
import org.livemetrics.pipelines.kinesis.ReadPlayerRecordsFromKinesis;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.transforms.DurationOption;
import org.livemetrics.transforms.observability.ReportAudienceGauges;
import org.livemetrics.transforms.observability.ReportLiveChannels;
import org.livemetrics.transforms.parse.ParsePlayerEvents;
import org.livemetrics.transforms.parse.RawRecord;
import org.livemetrics.transforms.broadcast.BroadcastMetrics;
import org.livemetrics.transforms.broadcast.ComputeBroadcastMetrics;
import org.livemetrics.transforms.broadcast.ParseBroadcastEvents;
import org.livemetrics.transforms.streaming.StreamingPlayerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming pipeline: player-event records from a source (Kinesis in production) to live
 * per-minute metrics in Elasticsearch and Parquet, with the raw archive and the dead letters.
 *
 * <pre>
 * player records ─┬─ WriteRawArchive (ROOT/YYYY/MM/DD/HH/, by arrival)
 *                 └─ ParsePlayerEvents ─ StreamingPlayerMetrics ─┬─ aggregates ─┐
 *                      │ (bad records)     │ (too_late)          └─ qos ────────┤
 * broadcast records ─┬─ WriteRawArchive (--broadcastArchive)                    ├─ WriteRowsToElasticsearch
 *                    └─ ParseBroadcastEvents ─ ComputeBroadcastMetrics ─┬─ minutes ┤   (each pane)
 *                         │ (bad records)        │ (too_late)           └─ streams ┴─ WriteStreamedRowsToParquet
 *                         └──────────────────────┴─ WriteDeadLetters                  (flushed)
 *                                                   ▲ and the rows either sink cannot write (unwritable_row)
 * </pre>
 *
 * The transforms between source and sinks are the batch backfill's, unchanged; only the windowing
 * ({@link StreamingPlayerMetrics}, {@link ComputeBroadcastMetrics#streaming}) and the sinks are
 * streaming-specific.
 */
public final class StreamingPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(StreamingPipeline.class);

  private StreamingPipeline() {}

  /** Every option of the streaming job: its outputs, the Kinesis source, the shared metric logic. */
  public interface Options
      extends StreamingPipelineOptions, KinesisSourceOptions, ElasticsearchSinkOptions,
          CheckpointOptions {}

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
    String streamId = streamId(options);
    FlinkRestore.apply(options);
    FlinkPrometheusReporter.apply(options);
    FlinkCheckpointStorage.apply(options, streamId);
    flinkSettings(options);
    FlinkJobWatch watch = watchFlinkJob(options);
    if (writesElasticsearch(options)) {
      // Before the first document: a new day's index must get the template's mappings.
      ElasticsearchSetup.from(options).installTemplate();
    }
    LOG.info("Streaming job {} reading {} and {}: Elasticsearch {}, store {}, archive {}", streamId,
        options.getKinesisStream(), describe(options.getBroadcastKinesisStream()), describe(options.getElasticsearchUrl()),
        describe(options.getOutput()), describe(options.getArchive()));
    Pipeline pipeline = Pipeline.create(options);
    PCollection<RawRecord> broadcast = options.getBroadcastKinesisStream().isBlank() ? null
        : pipeline.apply("ReadBroadcastKinesis", ReadPlayerRecordsFromKinesis.broadcastFrom(options));
    attach(pipeline.apply("ReadKinesis", ReadPlayerRecordsFromKinesis.from(options)), broadcast,
        options);
    PipelineResult result = pipeline.run();
    if (watch != null && EmbeddedFlinkConf.isEmbedded(options)) {
      watch.stop(); // the embedded engine returns once its job has ended
    }
    return result;
  }

  /**
   * The Flink settings of the streaming job ({@link #run} applies them; a job built with {@link
   * #attach} elsewhere, such as the benchmark, applies them too): {@link
   * #finishBundlesBeforeCheckpoints}, and object reuse. Without object reuse Flink deep-copies
   * every element (through its Beam coder) between chained operators: a fifth of the streaming
   * engine's CPU in a profile (benchmarks/README.md, "Streaming benchmark history"). Beam's model already forbids
   * a DoFn to change an element after emitting it or one it was given, and the job's DoFns keep to
   * that.
   */
  public static void flinkSettings(PipelineOptions options) {
    finishBundlesBeforeCheckpoints(options);
    if (options.getRunner().getSimpleName().startsWith("Flink")) {
      FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
      flink.setObjectReuse(true);
      // Larger bundles: the per-minute pre-aggregation merges within a bundle, so each partial row
      // (what the windowed combines pay for, per element) stands for more events, and Beam's
      // per-bundle costs (metrics, the finishing of every DoFn) come less often. A bundle still
      // ends after --maxBundleTimeMills (1 s by default), which bounds what it adds to freshness.
      if (flink.getMaxBundleSize() == DEFAULT_FLINK_MAX_BUNDLE_SIZE) {
        flink.setMaxBundleSize(MAX_BUNDLE_SIZE);
      }
    }
  }

  /** Beam's default {@code --maxBundleSize}: a bundle ends after this many elements. */
  private static final long DEFAULT_FLINK_MAX_BUNDLE_SIZE = 1000;
  /** The streaming job's, unless {@code --maxBundleSize} is given otherwise. */
  static final long MAX_BUNDLE_SIZE = 20_000;

  /**
   * On Flink, finishes every open bundle before a checkpoint barrier rather than in the snapshot.
   * Otherwise Beam's Flink runner holds what a bundle emits at a checkpoint until that operator's
   * next element or watermark; the file sinks emit their written files in a finishBundle, so after
   * a quiet source's last records their last file stayed temporary (not visible) until more data
   * came, minutes or never. Set always: the sinks' timeliness depends on it.
   */
  static void finishBundlesBeforeCheckpoints(PipelineOptions options) {
    if (options.getRunner().getSimpleName().startsWith("Flink")) {
      options.as(FlinkPipelineOptions.class).setFinishBundleBeforeCheckpointing(true);
    }
  }

  /**
   * On Flink, logs the job's restarts and failed checkpoints with their causes as they happen
   * ({@link FlinkJobWatch}), from the embedded engine's REST API or the cluster's at {@code
   * --flinkMaster}.
   */
  static @Nullable FlinkJobWatch watchFlinkJob(PipelineOptions options) throws IOException {
    if (!options.getRunner().getSimpleName().startsWith("Flink")) {
      return null;
    }
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    String url;
    if (EmbeddedFlinkConf.isEmbedded(options)) {
      url = EmbeddedFlinkConf.restUrl(flink);
      if (url != null) {
        LOG.info("Flink web UI and REST API of the embedded engine: {}", url);
      }
    } else {
      String master = flink.getFlinkMaster();
      url = master.matches("https?://.*") ? master
          : master.matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d+") ? "http://" + master : null;
    }
    if (url == null) {
      LOG.info("Restarts and failed checkpoints are not watched (no known REST address): see "
          + "Flink's web UI and the job's numRestarts / numberOfFailedCheckpoints metrics");
      return null;
    }
    // The name Beam gives the Flink job; fixed here so the watch and the job agree on it.
    flink.setJobName(flink.getJobName());
    return FlinkJobWatch.start(url, flink.getJobName());
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
   * @return the audience rows written, one per pane
   */
  public static PCollection<MinuteAggregate> attach(
      PCollection<RawRecord> records, StreamingPipelineOptions options) {
    return attach(records, null, options);
  }

  /**
   * {@link #attach(PCollection, StreamingPipelineOptions)} with broadcast-event records too (null:
   * none), whose metrics go to the same sinks.
   *
   * @return the audience rows written, one per pane
   */
  public static PCollection<MinuteAggregate> attach(PCollection<RawRecord> records,
      @Nullable PCollection<RawRecord> broadcastRecords, StreamingPipelineOptions options) {
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
    if (!writesElasticsearch(options) && options.getOutput().isEmpty()) {
      throw new IllegalArgumentException(
          "no output: set --elasticsearchUrl (live rows), --output (Parquet store), or both");
    }
    if (!options.getArchive().isEmpty() && options.getArchive().equals(options.getBroadcastArchive())) {
      throw new IllegalArgumentException("--broadcastArchive must differ from --archive: the "
          + "backfill reads player and broadcast events from their own archives");
    }
    BadRecordErrorHandler<?> deadLetters = pipeline.registerBadRecordErrorHandler(
        WriteDeadLetters.streaming(deadLetterRoot, streamId, flush));
    Sinks sinks = new Sinks(options, streamId, flush, deadLetters);

    if (!options.getArchive().isEmpty()) {
      records.apply("WriteRawArchive", WriteRawArchive.to(options.getArchive(), streamId, flush));
    }
    PCollectionTuple player = records
        .apply("ParsePlayerEvents", ParsePlayerEvents.from(options).withBadRecordErrorHandler(deadLetters))
        .apply("PlayerMetrics",
            StreamingPlayerMetrics.from(options).withBadRecordErrorHandler(deadLetters));
    PCollection<MinuteAggregate> rows = player.get(StreamingPlayerMetrics.AGGREGATES);
    sinks.write("Aggregates", rows, StoredRows.AGGREGATES);
    rows.apply("ReportAudienceGauges", ReportAudienceGauges.create()); // pipeline metrics
    sinks.write("Qos", player.get(StreamingPlayerMetrics.QOS), StoredRows.QOS);

    if (broadcastRecords != null) {
      if (!options.getBroadcastArchive().isEmpty()) {
        broadcastRecords.apply("WriteBroadcastArchive",
            WriteRawArchive.to(options.getBroadcastArchive(), streamId, flush));
      }
      BroadcastMetrics broadcast = broadcastRecords
          .apply("ParseBroadcastEvents",
              ParseBroadcastEvents.create().withBadRecordErrorHandler(deadLetters))
          .apply("BroadcastMetrics",
              ComputeBroadcastMetrics.streaming(options).withBadRecordErrorHandler(deadLetters));
      sinks.write("BroadcastMinutes", broadcast.minutes(), StoredRows.BROADCAST_MINUTES);
      broadcast.minutes().apply("ReportLiveChannels", ReportLiveChannels.create()); // metrics
      sinks.write("Streams", broadcast.sessions(), StoredRows.STREAMS);
    }
    deadLetters.close();
    return rows;
  }

  /**
   * The sinks the options ask for, the same for every kind of row. A row a sink cannot write is a
   * dead letter of that sink ({@code unwritable_row}), never a failed job: a failure here would
   * restart the job on the same row forever, for every account.
   */
  private static final class Sinks {
    private final StreamingPipelineOptions options;
    private final String streamId;
    private final Duration flush;
    private final BadRecordErrorHandler<?> deadLetters;

    Sinks(StreamingPipelineOptions options, String streamId, Duration flush,
        BadRecordErrorHandler<?> deadLetters) {
      this.options = options;
      this.streamId = streamId;
      this.flush = flush;
      this.deadLetters = deadLetters;
    }

    <T> void write(String name, PCollection<T> rows, StoredRows<T> kind) {
      if (writesElasticsearch(options)) {
        rows.apply("Write" + name + "ToElasticsearch",
            WriteRowsToElasticsearch.from(kind, options.as(ElasticsearchSinkOptions.class))
                .withBadRecordErrorHandler(deadLetters));
      }
      if (!options.getOutput().isEmpty()) {
        rows.apply("Write" + name + "ToParquet",
            WriteStreamedRowsToParquet.to(kind, options.getOutput(), streamId, flush)
                .withBadRecordErrorHandler(deadLetters));
      }
    }
  }
}
