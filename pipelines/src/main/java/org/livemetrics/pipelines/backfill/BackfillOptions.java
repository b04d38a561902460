package org.livemetrics.pipelines.backfill;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.livemetrics.transforms.broadcast.BroadcastMetricsOptions;

/**
 * Options of the backfill: one to one with its deployment parameters. The AWS ones
 * ({@code --awsRegion}, {@code --endpoint}, {@code --awsCredentialsProvider},
 * {@code --s3ClientFactoryClass}) apply when the archive or the store is on {@code s3://}.
 */
public interface BackfillOptions extends BroadcastMetricsOptions, S3Options {
  @Description(
      "Root of the raw player-event archive, laid out ROOT/YYYY/MM/DD/HH/<objects> by arrival hour "
          + "(Firehose's layout): a local path or s3://bucket/prefix.")
  @Validation.Required
  String getArchive();

  void setArchive(String value);

  @Description(
      "Root of the raw broadcast-event archive (IVS events as EventBridge delivers them, same "
          + "layout as --archive): a local path or s3://. Empty: the backfill leaves the broadcast "
          + "metrics and stream rows as they are.")
  @Default.String("")
  String getBroadcastArchive();

  void setBroadcastArchive(String value);

  @Description(
      "Start of the range to recompute (inclusive), UTC: an ISO instant (2026-11-22T05:00:00Z), an "
          + "hour (2026-11-22T05) or a day (2026-11-22). Floored to the hour: a backfill always "
          + "recomputes whole hours, so each hour partition is replaced whole.")
  @Validation.Required
  String getFrom();

  void setFrom(String value);

  @Description("End of the range (exclusive), same forms as --from. Ceiled to the hour.")
  @Validation.Required
  String getTo();

  void setTo(String value);

  @Description(
      "Root of the aggregate store (local path or s3://bucket/prefix): Parquet under "
          + "aggregates/hour=YYYY-MM-DDTHH/, dead letters under dead-letter/hour=.../. Query it "
          + "with `livemetrics query --store <this>`.")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description(
      "Commit the range even when the archive has no object at all in its hours. Without it such "
          + "a range is an error that leaves the store untouched: an empty range is far more often "
          + "a wrong --archive or a wrong date than a platform with no viewer for hours.")
  @Default.Boolean(false)
  boolean getAllowEmptyRange();

  void setAllowEmptyRange(boolean value);

  @Description(
      "Read, compute and report as usual, but write to a scratch store that is removed afterwards: "
          + "nothing in --output is written, replaced or committed.")
  @Default.Boolean(false)
  boolean getDryRun();

  void setDryRun(boolean value);

  @Description("Id of this run, used in file names (letters and digits). Generated when empty.")
  @Default.String("")
  String getRunId();

  void setRunId(String value);
}
