package org.livemetrics.schemas.family;

import static org.livemetrics.schemas.family.MetricFamilyDescription.FieldType.LONG;
import static org.livemetrics.schemas.family.MetricFamilyDescription.FieldType.OPTIONAL_STRING;
import static org.livemetrics.schemas.family.MetricFamilyDescription.FieldType.STRING;
import static org.livemetrics.schemas.family.MetricFamilyDescription.FieldType.TIMESTAMP_MILLIS;

import java.util.List;
import org.livemetrics.schemas.AggregateStoreLayout;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.Dimension;
import org.livemetrics.schemas.QosMetric;
import org.livemetrics.schemas.family.MetricFamilyDescription.MetricDescription;
import org.livemetrics.schemas.family.MetricFamilyDescription.QuerySet;
import org.livemetrics.schemas.family.MetricFamilyDescription.Rollup;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredRow;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredSet;
import org.livemetrics.schemas.family.MetricFamilyDescription.Unit;

/**
 * The broadcast metrics ({@link QosMetric}s of Amazon IVS EventBridge events), stored as {@code
 * BroadcastMinute} rows; the rows have no account (channel ownership applies at query time). The
 * one place their names, descriptions, units, roll-ups, stored fields (from which their Avro
 * schema and index template are made) and scopes ({@link BroadcastMinute.Scope}) are declared.
 */
public final class BroadcastFamily {
  public static final String LIVE_CHANNELS_FIELD = "live_channels";
  public static final String STARVATION_COUNT_FIELD = "starvation_count";
  public static final String STARVATION_MS_FIELD = "starvation_ms";

  private static final StoredSet ALL = new StoredSet(BroadcastMinute.Scope.ALL, List.of());
  private static final StoredSet REGION =
      new StoredSet(BroadcastMinute.Scope.REGION, List.of(Dimension.REGION));
  private static final StoredSet CHANNEL = new StoredSet(BroadcastMinute.Scope.CHANNEL,
      List.of(Dimension.REGION, Dimension.CHANNEL));

  public static final MetricFamilyDescription DESCRIPTION = new MetricFamilyDescription(
      "broadcast", "broadcast", AggregateStoreLayout.BROADCAST_DIR, "livemetrics-broadcast",
      new StoredRow("BroadcastMinute",
          "IVS channels of one scope (all, a region, a channel) in one UTC minute, "
              + "from EventBridge stream events. Metric names and roll-up rules: QosMetric "
              + "(channel_concurrency, starvation_count, starvation_seconds).",
          "Per-minute IVS broadcast rows (org.livemetrics.schemas.BroadcastMinute: all "
              + "channels, per region, per channel), one index per UTC day of the row's "
              + "minute (livemetrics-broadcast-YYYY.MM.DD), read through the alias "
              + "livemetrics-broadcast. Document ids are deterministic "
              + "(BroadcastDocuments.id).",
          1, BroadcastFamily::read),
      List.of(
          StoredField.of("dimensions", STRING).inElasticsearchAs("dimension_set")
              .value((BroadcastMinute m) -> m.scope().id())
              .doc("The scope: '' (all channels) | region | region,channel"),
          StoredField.of("region", OPTIONAL_STRING)
              .value((BroadcastMinute m) -> m.region())
              .doc("AWS region; absent on the all-channels rows"),
          StoredField.of("channel", OPTIONAL_STRING)
              .value((BroadcastMinute m) -> m.channelArn())
              .doc("Channel ARN; only on region,channel rows"),
          StoredField.of("channel_name", OPTIONAL_STRING)
              .value((BroadcastMinute m) -> m.channelName())
              .doc("detail.channel_name, on channel rows when IVS sent it"),
          StoredField.of("minute", TIMESTAMP_MILLIS)
              .value((BroadcastMinute m) -> m.minute())
              .doc("Start of the UTC minute"),
          StoredField.of(LIVE_CHANNELS_FIELD, LONG)
              .value((BroadcastMinute m) -> m.liveChannels())
              .doc("channel_concurrency: channels with a stream live at any time in the minute "
                  + "(0 or 1 on a channel row); rows of one minute add up, a range takes the "
                  + "peak"),
          StoredField.of(STARVATION_COUNT_FIELD, LONG)
              .value((BroadcastMinute m) -> m.starvationCount())
              .doc("Starvation episodes that began in the minute"),
          StoredField.of(STARVATION_MS_FIELD, LONG)
              .value((BroadcastMinute m) -> m.starvationMs())
              .doc("Milliseconds of starvation within the minute (episodes split at minute "
                  + "boundaries); the API reports seconds"),
          StoredField.of("version", LONG).notInElasticsearch().defaultsToZero()
              .doc("Streaming: the index of the pane that produced this value (the highest "
                  + "version of a row is current). 0 for backfill rows.")),
      List.of(ALL, REGION, CHANNEL),
      List.of(new QuerySet(ALL.dimensions(), ALL), new QuerySet(REGION.dimensions(), REGION),
          new QuerySet(CHANNEL.dimensions(), CHANNEL)),
      List.of(
          new MetricDescription(QosMetric.CHANNEL_CONCURRENCY, "channel_concurrency",
              "Channels live in the minute (peak over a range)", Unit.COUNT,
              "channels with a stream live at any time in the minute (0/1 per channel)",
              new Rollup.Peak(LIVE_CHANNELS_FIELD), null),
          new MetricDescription(QosMetric.STARVATION_COUNT, "starvation_count",
              "Starvation episodes that began in the minute", Unit.COUNT,
              "starvation episodes begun in the minute", new Rollup.Sum(STARVATION_COUNT_FIELD),
              null),
          new MetricDescription(QosMetric.STARVATION_SECONDS, "starvation_seconds",
              "Seconds of starvation within the minute (episodes split at minute boundaries)",
              Unit.SECONDS, "starvation time within the minute (episodes split at minute "
                  + "boundaries), stored in ms", new Rollup.Sum(STARVATION_MS_FIELD), null)));

  /** A stored row back from its values (the inverse of the fields' values above). */
  private static BroadcastMinute read(StoredValues v) {
    return new BroadcastMinute(v.storedSet("dimensions", BroadcastMinute.Scope.class),
        v.optionalText("region"), v.optionalText("channel"), v.optionalText("channel_name"),
        v.number("minute"), v.number(LIVE_CHANNELS_FIELD), v.number(STARVATION_COUNT_FIELD),
        v.number(STARVATION_MS_FIELD));
  }

  private BroadcastFamily() {}
}
