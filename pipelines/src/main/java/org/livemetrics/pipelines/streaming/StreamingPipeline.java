package org.livemetrics.pipelines.streaming;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.livemetrics.pipelines.io.WriteDeadLetters;
import org.livemetrics.pipelines.io.WriteRawArchive;
import org.livemetrics.pipelines.io.WriteStreamedAggregatesToParquet;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.transforms.DurationOption;
import org.livemetrics.transforms.parse.ParsePlayerEvents;
import org.livemetrics.transforms.parse.RawRecord;
import org.livemetrics.transforms.streaming.StreamingLiveMetrics;

/**
 * The streaming pipeline: player-event records from a source (Kinesis in production) to live
 * per-minute metrics in Elasticsearch and Parquet, with the raw archive and the dead letters.
 *
 * <pre>
 * records ─┬─ WriteRawArchive (ROOT/YYYY/MM/DD/HH/, by arrival)
 *          └─ ParsePlayerEvents ─ StreamingLiveMetrics ─┬─ WriteStreamedAggregatesToParquet
 *               │ (bad records)     │ (too_late)        └─ WriteAggregatesToElasticsearch
 *               └───────────────────┴─ WriteDeadLetters
 * </pre>
 *
 * The transforms between source and sinks are the batch backfill's, unchanged; only the windowing
 * ({@link StreamingLiveMetrics}) and the sinks are streaming-specific.
 */
public final class StreamingPipeline {
  private StreamingPipeline() {}

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
    if (!options.getOutput().isEmpty()) {
      rows.apply("WriteParquet",
          WriteStreamedAggregatesToParquet.to(options.getOutput(), streamId, flush));
    }
    deadLetters.close();
    return rows;
  }
}
