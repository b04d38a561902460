package org.livemetrics.schemas.family;

import static org.livemetrics.schemas.family.MetricFamilyDescription.FieldType.BYTES;
import static org.livemetrics.schemas.family.MetricFamilyDescription.FieldType.LONG;
import static org.livemetrics.schemas.family.MetricFamilyDescription.FieldType.OPTIONAL_STRING;
import static org.livemetrics.schemas.family.MetricFamilyDescription.FieldType.STRING;
import static org.livemetrics.schemas.family.MetricFamilyDescription.FieldType.TIMESTAMP_MILLIS;

import java.util.List;
import org.livemetrics.schemas.AggregateStoreLayout;
import org.livemetrics.schemas.Dimension;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.Metric;
import org.livemetrics.schemas.family.MetricFamilyDescription.MetricDescription;
import org.livemetrics.schemas.family.MetricFamilyDescription.QuerySet;
import org.livemetrics.schemas.family.MetricFamilyDescription.Rollup;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredSet;
import org.livemetrics.schemas.family.MetricFamilyDescription.Unit;

/**
 * The live audience metrics ({@link Metric}), named and defined as in the Brightcove Live
 * Analytics API, stored as {@code MinuteAggregate} rows ({@code minute_aggregate.avsc}). The one
 * place their names, descriptions, roll-ups, stored fields and dimension sets are declared.
 */
public final class AudienceFamily {
  // Stored fields (minute_aggregate.avsc; the Elasticsearch documents use the same names).
  public static final String VIDEO_IMPRESSION_FIELD = "video_impression";
  public static final String VIDEO_VIEW_FIELD = "video_view";
  public static final String ALIVE_SS_AD_START_FIELD = "alive_ss_ad_start";
  public static final String VIDEO_SECONDS_VIEWED_MS_FIELD = "video_seconds_viewed_ms";
  public static final String CCU_FIELD = "ccu";
  public static final String FINGERPRINT_COUNT_FIELD = "fingerprint_count";
  public static final String SESSION_SKETCH_FIELD = "session_sketch";
  public static final String FINGERPRINT_SKETCH_FIELD = "fingerprint_sketch";

  private static final StoredSet VIDEO =
      new StoredSet(DimensionSet.VIDEO, List.of(Dimension.VIDEO));
  private static final StoredSet VIDEO_COUNTRY =
      new StoredSet(DimensionSet.VIDEO_COUNTRY, List.of(Dimension.VIDEO, Dimension.COUNTRY));
  private static final StoredSet VIDEO_DEVICE_TYPE = new StoredSet(DimensionSet.VIDEO_DEVICE_TYPE,
      List.of(Dimension.VIDEO, Dimension.DEVICE_TYPE));

  public static final MetricFamilyDescription DESCRIPTION = new MetricFamilyDescription(
      "audience", "audience", AggregateStoreLayout.AGGREGATES_DIR,
      org.livemetrics.schemas.elasticsearch.AggregateDocuments.DEFAULT_PREFIX,
      List.of(
          StoredField.of("account", STRING),
          StoredField.of("video", STRING),
          new StoredField("dimensions", STRING, "dimension_set"),
          StoredField.of("country", OPTIONAL_STRING),
          StoredField.of("device_type", OPTIONAL_STRING),
          StoredField.of("minute", TIMESTAMP_MILLIS),
          StoredField.of(VIDEO_IMPRESSION_FIELD, LONG),
          StoredField.of(VIDEO_VIEW_FIELD, LONG),
          StoredField.of(ALIVE_SS_AD_START_FIELD, LONG),
          StoredField.of(VIDEO_SECONDS_VIEWED_MS_FIELD, LONG),
          StoredField.of(CCU_FIELD, LONG),
          StoredField.of(FINGERPRINT_COUNT_FIELD, LONG),
          StoredField.of(SESSION_SKETCH_FIELD, BYTES),
          StoredField.of(FINGERPRINT_SKETCH_FIELD, BYTES),
          new StoredField("version", LONG, null)),
      List.of(VIDEO, VIDEO_COUNTRY, VIDEO_DEVICE_TYPE),
      List.of(
          new QuerySet(VIDEO.dimensions(), VIDEO),
          new QuerySet(VIDEO_COUNTRY.dimensions(), VIDEO_COUNTRY),
          new QuerySet(VIDEO_DEVICE_TYPE.dimensions(), VIDEO_DEVICE_TYPE)),
      List.of(
          new MetricDescription(Metric.CCU, "ccu",
              "Unique sessions; count of distinct (fingerprint + session)", Unit.COUNT,
              "distinct (fingerprint, session_id) *viewing* in the minute",
              new Rollup.Distinct(CCU_FIELD, SESSION_SKETCH_FIELD), "Concurrent viewers"),
          new MetricDescription(Metric.FINGERPRINT_COUNT, "fingerprint_count",
              "Unique devices; count of distinct fingerprints", Unit.COUNT,
              "distinct fingerprints viewing in the minute",
              new Rollup.Distinct(FINGERPRINT_COUNT_FIELD, FINGERPRINT_SKETCH_FIELD),
              "Unique devices"),
          new MetricDescription(Metric.VIDEO_VIEW, "video_view", "Stream starts (not unique)",
              Unit.COUNT, "PLAY events", new Rollup.Sum(VIDEO_VIEW_FIELD), "Views"),
          new MetricDescription(Metric.VIDEO_IMPRESSION, "video_impression",
              "Number of times the video was loaded into the player", Unit.COUNT,
              "IMPRESSION events in the minute of their `event_time`",
              new Rollup.Sum(VIDEO_IMPRESSION_FIELD), "Impressions"),
          new MetricDescription(Metric.VIDEO_SECONDS_VIEWED, "video_seconds_viewed",
              "Total seconds watched by all viewers", Unit.SECONDS,
              "Σ PLAYBACK_SUMMARY `playing_time_ms` / 1000 (stored in ms, exact)",
              new Rollup.Sum(VIDEO_SECONDS_VIEWED_MS_FIELD), "Seconds viewed"),
          new MetricDescription(Metric.ALIVE_SS_AD_START, "alive_ss_ad_start",
              "Server-side ad impressions", Unit.COUNT,
              "AD_START events (server-side ad impressions)",
              new Rollup.Sum(ALIVE_SS_AD_START_FIELD), "Ad starts")));

  private AudienceFamily() {}
}
