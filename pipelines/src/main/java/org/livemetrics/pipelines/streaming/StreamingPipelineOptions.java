package org.livemetrics.pipelines.streaming;

import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.livemetrics.transforms.broadcast.BroadcastMetricsOptions;

/**
 * Options of the streaming pipeline's outputs; the source's and the Elasticsearch sink's options
 * are their own interfaces, combined in {@link StreamingPipeline.Options}.
 */
public interface StreamingPipelineOptions
    extends BroadcastMetricsOptions, S3Options, MetricsReporterOptions {
  @Description(
      "Root of the aggregate store (local path or s3://bucket/prefix), the backfill's layout: "
          + "Parquet under aggregates/hour=YYYY-MM-DDTHH/, dead letters under dead-letter/hour=.../. "
          + "Empty: no Parquet output (dead letters then need --deadLetters).")
  @Default.String("")
  String getOutput();

  void setOutput(String value);

  @Description(
      "Root of the raw archive this pipeline keeps: every record as received, gzip NDJSON under "
          + "ROOT/YYYY/MM/DD/HH/ by arrival time, the backfill's input. Empty: not kept (e.g. when a "
          + "Firehose delivery stream archives the same Kinesis stream).")
  @Default.String("")
  String getArchive();

  void setArchive(String value);

  @Description(
      "Root of the raw archive of broadcast events (as --archive, for --broadcastKinesisStream's "
          + "records), the backfill's --broadcastArchive. Empty: not kept (e.g. when EventBridge "
          + "or a Firehose delivery stream archives them).")
  @Default.String("")
  String getBroadcastArchive();

  void setBroadcastArchive(String value);

  @Description(
      "Where dead letters go when not under --output (local path or s3://). Empty: --output.")
  @Default.String("")
  String getDeadLetters();

  void setDeadLetters(String value);

  @Description(
      "Id of this streaming job in the names of the files it writes (letters and digits). A job "
          + "resumed from a checkpoint or savepoint must keep the id of the job it resumes, so that "
          + "files written again replace their first copies; a new job needs a new id. Generated "
          + "from the start time when empty (and printed).")
  @Default.String("")
  String getStreamId();

  void setStreamId(String value);

  @Description(
      "How often the file sinks (Parquet aggregates, raw archive, dead letters) write what they "
          + "gathered (ISO-8601 like PT1M, or 60s). Elasticsearch is written at every firing.")
  @Default.String("PT1M")
  String getFlushInterval();

  void setFlushInterval(String value);
}
