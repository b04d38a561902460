package org.livemetrics.pipelines.kinesis;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Options of the Kinesis source of the streaming pipeline ({@link ReadPlayerRecordsFromKinesis}):
 * the stream and its connection ({@link KinesisOptions}), where to start, and how the watermark
 * follows event time.
 */
public interface KinesisSourceOptions extends KinesisOptions {
  @Description(
      "Name of the Kinesis data stream of broadcast events (IVS Stream State Change and Stream "
          + "Health Change events as EventBridge delivers them), in the same region and account as "
          + "--kinesisStream. Empty: the job computes no broadcast metrics.")
  @Default.String("")
  String getBroadcastKinesisStream();

  void setBroadcastKinesisStream(String value);

  @Description(
      "Where to start reading a shard the job has no checkpoint for: LATEST (only new records), "
          + "TRIM_HORIZON (the oldest record still retained) or a time (2026-11-22T05:00:00Z, "
          + "2026-11-22T05, epoch ms...) to start at the first record that arrived at or after it.")
  @Default.String("LATEST")
  String getKinesisInitialPosition();

  void setKinesisInitialPosition(String value);

  @Description(
      "How long a shard may deliver nothing before its watermark stops waiting for it and "
          + "follows the clock instead, at now minus this (ISO-8601 like PT10S, or 10s). Must exceed "
          + "how late an event reaches a quiet shard (player delivery plus Beam's poll of an empty "
          + "shard, at most 1 s apart); shorter means a quiet shard delays the minute rows' "
          + "on-time panes less.")
  @Default.String("PT10S")
  String getWatermarkIdleThreshold();

  void setWatermarkIdleThreshold(String value);

  @Description(
      "How far the watermark stays behind the newest event time read from a shard (ISO-8601 like "
          + "PT2S, or 2s): events of one shard arrive this much out of order without being late. "
          + "Later events still count, in a late pane, within --allowedLateness.")
  @Default.String("PT2S")
  String getMaxWatermarkDelay();

  void setMaxWatermarkDelay(String value);

  @Description(
      "Drop a Kinesis record read a second time (true by default). Beam 2.62's FlinkRunner reads "
          + "every shard again from --kinesisInitialPosition after a restore from a checkpoint or "
          + "savepoint (apache/beam#31313); the filter keeps the highest sequence number seen per "
          + "shard (a few dozen bytes of state per shard) and drops what is at or below it.")
  @Default.Boolean(true)
  boolean getDropRereadRecords();

  void setDropRereadRecords(boolean value);
}
