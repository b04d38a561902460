package org.livemetrics.schemas.family;

import static org.livemetrics.schemas.family.MetricFamilyDescription.FieldType.BYTES;
import static org.livemetrics.schemas.family.MetricFamilyDescription.FieldType.LONG;
import static org.livemetrics.schemas.family.MetricFamilyDescription.FieldType.OPTIONAL_STRING;
import static org.livemetrics.schemas.family.MetricFamilyDescription.FieldType.STRING;
import static org.livemetrics.schemas.family.MetricFamilyDescription.FieldType.TIMESTAMP_MILLIS;

import java.util.List;
import java.util.function.Function;
import org.livemetrics.schemas.AggregateStoreLayout;
import org.livemetrics.schemas.Dimension;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.Metric;
import org.livemetrics.schemas.MetricType;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.schemas.family.MetricFamilyDescription.Accumulation.DistinctViewing;
import org.livemetrics.schemas.family.MetricFamilyDescription.Accumulation.PerEvent;
import org.livemetrics.schemas.family.MetricFamilyDescription.MetricDescription;
import org.livemetrics.schemas.family.MetricFamilyDescription.QuerySet;
import org.livemetrics.schemas.family.MetricFamilyDescription.Rollup;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredRow;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredSet;
import org.livemetrics.schemas.family.MetricFamilyDescription.Unit;

/**
 * The live audience metrics ({@link Metric}), named and defined as in the Brightcove Live
 * Analytics API, stored as {@code MinuteAggregate} rows. The one place their names, descriptions,
 * roll-ups, stored fields (from which their Avro schema and index template are made) and dimension
 * sets are declared.
 */
public final class AudienceFamily {
  // Stored fields (the Elasticsearch documents use the same names).
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
      new StoredRow("MinuteAggregate",
          "Live audience metrics of one (account, dimension set, dimension values) in "
              + "one UTC minute. Written by the backfill and streaming pipelines as Parquet; "
              + "read by the query layer.",
          "Per-minute live audience aggregates "
              + "(org.livemetrics.schemas.MinuteAggregate), one index per UTC day of the "
              + "row's minute (livemetrics-aggregates-YYYY.MM.DD), read through the alias "
              + "livemetrics-aggregates. Document ids are deterministic "
              + "(AggregateDocuments.id), so re-fired panes and replays overwrite rows "
              + "instead of adding them.",
          1, AudienceFamily::read),
      List.of(
          StoredField.of("account", STRING)
              .value((MinuteAggregate a) -> a.account),
          StoredField.of("video", STRING)
              .value((MinuteAggregate a) -> a.video),
          StoredField.of("dimensions", STRING).inElasticsearchAs("dimension_set")
              .value((MinuteAggregate a) -> a.dimensionSet.id())
              .doc("The dimension set: video | video,country | video,device_type"),
          StoredField.of("country", OPTIONAL_STRING)
              .value((MinuteAggregate a) -> a.country)
              .doc("ISO 3166-1 alpha-2 or 'unknown'; only on video,country rows"),
          StoredField.of("device_type", OPTIONAL_STRING)
              .value((MinuteAggregate a) -> a.deviceType)
              .doc("desktop | mobile | tablet | smart_tv | unknown; only on video,device_type "
                  + "rows"),
          StoredField.of("minute", TIMESTAMP_MILLIS)
              .value((MinuteAggregate a) -> a.minute)
              .doc("Start of the UTC minute"),
          StoredField.of(VIDEO_IMPRESSION_FIELD, LONG)
              .value(count(VIDEO_IMPRESSION_FIELD))
              .counts(new PerEvent(MetricType.IMPRESSION, e -> 1)),
          StoredField.of(VIDEO_VIEW_FIELD, LONG)
              .value(count(VIDEO_VIEW_FIELD))
              .counts(new PerEvent(MetricType.PLAY, e -> 1)),
          StoredField.of(ALIVE_SS_AD_START_FIELD, LONG)
              .value(count(ALIVE_SS_AD_START_FIELD))
              .counts(new PerEvent(MetricType.AD_START, e -> 1)),
          StoredField.of(VIDEO_SECONDS_VIEWED_MS_FIELD, LONG)
              .value(count(VIDEO_SECONDS_VIEWED_MS_FIELD))
              .counts(new PerEvent(MetricType.PLAYBACK_SUMMARY,
                  e -> e.playingTimeMs == null ? 0 : e.playingTimeMs))
              .doc("Sum of playing_time_ms; the API reports it / 1000"),
          StoredField.of(CCU_FIELD, LONG)
              .value(distinct(CCU_FIELD))
              .counts(new DistinctViewing(PlayerEvent::sessionKey, SESSION_SKETCH_FIELD))
              .doc("Exact distinct (fingerprint, session) viewing in the minute"),
          StoredField.of(FINGERPRINT_COUNT_FIELD, LONG)
              .value(distinct(FINGERPRINT_COUNT_FIELD))
              .counts(new DistinctViewing(e -> e.fingerprint, FINGERPRINT_SKETCH_FIELD))
              .doc("Exact distinct fingerprints viewing in the minute"),
          StoredField.of(SESSION_SKETCH_FIELD, BYTES)
              .value(keysSketch(CCU_FIELD))
              .doc("DataSketches Theta sketch (lgK=14) of the (fingerprint, session) keys"),
          StoredField.of(FINGERPRINT_SKETCH_FIELD, BYTES)
              .value(keysSketch(FINGERPRINT_COUNT_FIELD))
              .doc("DataSketches Theta sketch (lgK=14) of the fingerprints"),
          StoredField.of("version", LONG).notInElasticsearch().defaultsToZero()
              .doc("Streaming: the index of the pane that produced this value (each pane "
                  + "carries the row's full value, so the highest version of a row is current). "
                  + "0 for backfill rows, which are unique per committed run.")),
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

  /** Where each declared count sits in an audience row's counts and its partial rows'. */
  public static final CountedFields COUNTED = new CountedFields(DESCRIPTION);

  /** The declared counts' stored names, in the order the rows hold them ({@link #COUNTED}). */
  public static final List<String> COUNTS = COUNTED.names();

  /** A stored row back from its values (the inverse of the fields' values above). */
  private static MinuteAggregate read(StoredValues v) {
    long[] counts = new long[COUNTS.size()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = v.number(COUNTS.get(i));
    }
    List<StoredField> distinctFields = COUNTED.distinctFields();
    long[] distinct = new long[distinctFields.size()];
    byte[][] sketches = new byte[distinctFields.size()][];
    for (int i = 0; i < distinct.length; i++) {
      distinct[i] = v.number(distinctFields.get(i).name());
      String sketch = ((DistinctViewing) distinctFields.get(i).accumulation()).sketchField();
      sketches[i] = sketch == null ? new byte[0] : v.bytes(sketch);
    }
    return new MinuteAggregate(v.text("account"), v.text("video"),
        v.storedSet("dimensions", DimensionSet.class), v.optionalText("country"),
        v.optionalText("device_type"), v.number("minute"), counts, distinct, sketches);
  }

  private static Function<MinuteAggregate, Long> distinct(String field) {
    return a -> a.distinct(field);
  }

  /** The sketch of {@code field}'s keys: the value of the sketch field it declares. */
  private static Function<MinuteAggregate, byte[]> keysSketch(String field) {
    return a -> a.distinctSketch(field);
  }

  private static Function<MinuteAggregate, Long> count(String field) {
    return a -> a.count(field);
  }

  private AudienceFamily() {}
}
