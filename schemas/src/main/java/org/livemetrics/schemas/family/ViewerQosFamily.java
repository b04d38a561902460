package org.livemetrics.schemas.family;

import static org.livemetrics.schemas.family.MetricFamilyDescription.FieldType.BYTES;
import static org.livemetrics.schemas.family.MetricFamilyDescription.FieldType.LONG;
import static org.livemetrics.schemas.family.MetricFamilyDescription.FieldType.MAP_OF_LONG;
import static org.livemetrics.schemas.family.MetricFamilyDescription.FieldType.OPTIONAL_STRING;
import static org.livemetrics.schemas.family.MetricFamilyDescription.FieldType.STRING;
import static org.livemetrics.schemas.family.MetricFamilyDescription.FieldType.TIMESTAMP_MILLIS;

import java.util.List;
import java.util.function.Function;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.AggregateStoreLayout;
import org.livemetrics.schemas.Dimension;
import org.livemetrics.schemas.MetricType;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMetric;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.schemas.QualityStep;
import org.livemetrics.schemas.SessionFacts;
import org.livemetrics.schemas.family.MetricFamilyDescription.Accumulation.DistinctViewing;
import org.livemetrics.schemas.family.MetricFamilyDescription.Accumulation.PerEvent;
import org.livemetrics.schemas.family.MetricFamilyDescription.Accumulation.PerEventValues;
import org.livemetrics.schemas.family.MetricFamilyDescription.Accumulation.PerSession;
import org.livemetrics.schemas.family.MetricFamilyDescription.Accumulation.SumByKey;
import org.livemetrics.schemas.family.MetricFamilyDescription.MetricDescription;
import org.livemetrics.schemas.family.MetricFamilyDescription.QuerySet;
import org.livemetrics.schemas.family.MetricFamilyDescription.Rollup;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredRow;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredSet;
import org.livemetrics.schemas.family.MetricFamilyDescription.Unit;

/**
 * The viewer QoS metrics ({@link QosMetric}s of player events), stored as {@code QosMinute} rows.
 * The one place their names, descriptions, units, roll-ups, stored fields (from which their Avro
 * schema and index template are made) and dimension sets are declared.
 *
 * <p>Adding a dimension set is one {@link StoredSet} entry (with its {@link QosDimensionSet}
 * handle) and its {@link QuerySet}s; only a dimension the row does not have yet needs a new row
 * field. Each stored set costs work per event in the backfill (one more row to fold each event
 * into, issue 12), so only account-wide sets are stored for country and device type: video ×
 * country would multiply the rows and the per-event work.
 */
public final class ViewerQosFamily {
  // Stored fields (the Elasticsearch documents use the same names).
  public static final String CONCURRENT_SESSIONS_FIELD = "concurrent_sessions";
  public static final String ERROR_COUNT_FIELD = "error_count";
  public static final String PLAYING_TIME_MS_FIELD = "playing_time_ms";
  public static final String BUFFERING_TIME_MS_FIELD = "buffering_time_ms";
  public static final String REBUFFER_COUNT_FIELD = "rebuffer_count";
  public static final String STARTUP_COUNT_FIELD = "startup_count";
  public static final String STARTUP_SUM_MS_FIELD = "startup_sum_ms";
  public static final String STARTUP_SKETCH_FIELD = "startup_sketch";
  public static final String LIVE_LATENCY_COUNT_FIELD = "live_latency_count";
  public static final String LIVE_LATENCY_SUM_MS_FIELD = "live_latency_sum_ms";
  public static final String LIVE_LATENCY_SKETCH_FIELD = "live_latency_sketch";
  public static final String RENDITION_PLAYING_MS_FIELD = "rendition_playing_ms";
  /** The rendition a PLAYBACK_SUMMARY without {@code rendition_name} is credited to. */
  public static final String UNKNOWN_RENDITION = "unknown";
  /**
   * The most rendition names one QoS row keeps (a real ladder has a handful; an account's row
   * spans its channels' ladders). Rendition names come from the player: without a bound, a flood
   * of made-up names would grow a row, its partial rows in memory and its stored value without
   * limit.
   */
  public static final int MAX_RENDITIONS = 256;
  /** Where the playing time of the names past {@link #MAX_RENDITIONS} goes. */
  public static final String OTHER_RENDITIONS = "(other)";
  public static final String QUALITY_CHANGES_UP_FIELD = "quality_changes_up";
  public static final String QUALITY_CHANGES_DOWN_FIELD = "quality_changes_down";
  // Session outcomes (the transforms' ComputeSessionOutcomes): each session once, in its last minute.
  public static final String SESSIONS_LOADED_FIELD = "sessions_loaded";
  public static final String EXITS_BEFORE_VIDEO_START_FIELD = "exits_before_video_start";
  public static final String PLAYBACK_ATTEMPTS_FIELD = "playback_attempts";
  public static final String PLAYBACK_FAILURES_FIELD = "playback_failures";
  public static final String SESSIONS_PLAYED_FIELD = "sessions_played";
  public static final String SESSIONS_REBUFFERED_FIELD = "sessions_rebuffered";

  private static final StoredSet CLIENT_PLATFORM =
      new StoredSet(QosDimensionSet.CLIENT_PLATFORM, List.of(Dimension.CLIENT_PLATFORM));
  private static final StoredSet VIDEO_CLIENT_PLATFORM = new StoredSet(
      QosDimensionSet.VIDEO_CLIENT_PLATFORM, List.of(Dimension.VIDEO, Dimension.CLIENT_PLATFORM));
  private static final StoredSet COUNTRY =
      new StoredSet(QosDimensionSet.COUNTRY, List.of(Dimension.COUNTRY));
  private static final StoredSet DEVICE_TYPE =
      new StoredSet(QosDimensionSet.DEVICE_TYPE, List.of(Dimension.DEVICE_TYPE));

  public static final MetricFamilyDescription DESCRIPTION = new MetricFamilyDescription(
      "viewer_qos", "viewer QoS", AggregateStoreLayout.QOS_DIR, "livemetrics-qos",
      new StoredRow("QosMinute",
          "Viewer QoS metrics of one (account, dimension set, dimension values) in one "
              + "UTC minute, in a form that merges exactly over minutes, platforms and "
              + "videos: sums and counts instead of ratios and means, KLL sketches instead "
              + "of percentiles (FamilyRollup combines rows). Metric names and roll-up rules: "
              + "ViewerQosFamily.",
          "Per-minute viewer QoS rows (org.livemetrics.schemas.QosMinute), one index "
              + "per UTC day of the row's minute (livemetrics-qos-YYYY.MM.DD), read through "
              + "the alias livemetrics-qos. Document ids are deterministic "
              + "(QosDocuments.id). Latency sketches are KLL (k=300) in base64, stored but "
              + "not indexed; rendition_playing_ms is an object rendition name -> ms, kept "
              + "in _source only.",
          2, ViewerQosFamily::read),
      List.of(
          StoredField.of("account", STRING)
              .value((QosMinute q) -> q.account),
          StoredField.of("dimensions", STRING).inElasticsearchAs("dimension_set")
              .value((QosMinute q) -> q.dimensionSet.id())
              .doc("The dimension set: client_platform | video,client_platform | country | "
                  + "device_type (ViewerQosFamily lists them)"),
          StoredField.of("video", OPTIONAL_STRING)
              .value((QosMinute q) -> q.video)
              .doc("Only on video,client_platform rows"),
          StoredField.of("client_platform", OPTIONAL_STRING)
              .value((QosMinute q) -> q.clientPlatform)
              .doc("web | android | ios | other (sent, but none of those) | unknown (not sent); "
                  + "only on client_platform and video,client_platform rows (always set on rows "
                  + "written before the country and device_type sets)"),
          StoredField.of("country", OPTIONAL_STRING)
              .value((QosMinute q) -> q.country)
              .doc("ISO 3166-1 alpha-2 or 'unknown', as the audience metrics normalize it; only "
                  + "on country rows (absent from older files)"),
          StoredField.of("device_type", OPTIONAL_STRING)
              .value((QosMinute q) -> q.deviceType)
              .doc("desktop | mobile | tablet | smart_tv | unknown; only on device_type rows "
                  + "(absent from older files)"),
          StoredField.of("minute", TIMESTAMP_MILLIS)
              .value((QosMinute q) -> q.minute)
              .doc("Start of the UTC minute"),
          StoredField.of(CONCURRENT_SESSIONS_FIELD, LONG)
              .value((QosMinute q) -> q.distinct(CONCURRENT_SESSIONS_FIELD))
              .counts(new DistinctViewing(PlayerEvent::sessionKey, null))
              .doc("Exact distinct (fingerprint, session) viewing in the minute; rows of one "
                  + "minute add up (a session has one video and one platform), a range takes the "
                  + "peak"),
          StoredField.of(ERROR_COUNT_FIELD, LONG)
              .value(count(ERROR_COUNT_FIELD))
              .counts(new PerEvent(MetricType.PLAYBACK_SUMMARY, e -> orZero(e.errorCount)))
              .doc("Sum of PLAYBACK_SUMMARY error_count"),
          StoredField.of(PLAYING_TIME_MS_FIELD, LONG)
              .value(count(PLAYING_TIME_MS_FIELD))
              .counts(new PerEvent(MetricType.PLAYBACK_SUMMARY, e -> orZero(e.playingTimeMs)))
              .doc("Sum of PLAYBACK_SUMMARY playing_time_ms"),
          StoredField.of(BUFFERING_TIME_MS_FIELD, LONG)
              .value(count(BUFFERING_TIME_MS_FIELD))
              .counts(new PerEvent(MetricType.PLAYBACK_SUMMARY,
                  e -> orZero(e.bufferingTimeMs)))
              .doc("Sum of PLAYBACK_SUMMARY buffering_time_ms; buffer_ratio = buffering_time_ms "
                  + "/ (playing_time_ms + buffering_time_ms)"),
          StoredField.of(REBUFFER_COUNT_FIELD, LONG)
              .value(count(REBUFFER_COUNT_FIELD))
              .counts(new PerEvent(MetricType.PLAYBACK_SUMMARY, e -> orZero(e.bufferingCount)))
              .doc("Sum of PLAYBACK_SUMMARY buffering_count"),
          StoredField.of(STARTUP_COUNT_FIELD, LONG)
              .value(count(STARTUP_COUNT_FIELD))
              .doc("PLAY events with a startup_latency_ms"),
          StoredField.of(STARTUP_SUM_MS_FIELD, LONG)
              .value(count(STARTUP_SUM_MS_FIELD))
              .doc("Sum of their startup_latency_ms; mean = startup_sum_ms / startup_count"),
          StoredField.of(STARTUP_SKETCH_FIELD, BYTES)
              .value(sketch(STARTUP_SKETCH_FIELD))
              .counts(new PerEventValues(MetricType.PLAY, e -> e.startupLatencyMs,
                  STARTUP_COUNT_FIELD, STARTUP_SUM_MS_FIELD))
              .doc("DataSketches KLL doubles sketch (k=300, 0.9% rank error) of "
                  + "startup_latency_ms"),
          StoredField.of(LIVE_LATENCY_COUNT_FIELD, LONG)
              .value(count(LIVE_LATENCY_COUNT_FIELD))
              .doc("PLAYBACK_SUMMARY events with a live latency (live_latency_ms, or "
                  + "live_latency_sec converted)"),
          StoredField.of(LIVE_LATENCY_SUM_MS_FIELD, LONG)
              .value(count(LIVE_LATENCY_SUM_MS_FIELD)),
          StoredField.of(LIVE_LATENCY_SKETCH_FIELD, BYTES)
              .value(sketch(LIVE_LATENCY_SKETCH_FIELD))
              .counts(new PerEventValues(MetricType.PLAYBACK_SUMMARY, e -> e.liveLatencyMs,
                  LIVE_LATENCY_COUNT_FIELD, LIVE_LATENCY_SUM_MS_FIELD))
              .doc("DataSketches KLL doubles sketch (k=300) of the live latencies in ms"),
          StoredField.of(RENDITION_PLAYING_MS_FIELD, MAP_OF_LONG)
              .value((QosMinute q) -> q.keyed(RENDITION_PLAYING_MS_FIELD))
              .counts(new SumByKey(MetricType.PLAYBACK_SUMMARY,
                  e -> e.renditionName == null ? UNKNOWN_RENDITION : e.renditionName,
                  e -> orZero(e.playingTimeMs), MAX_RENDITIONS, OTHER_RENDITIONS))
              .doc("Sum of PLAYBACK_SUMMARY playing_time_ms by rendition_name ('" + UNKNOWN_RENDITION
                  + "' when absent; at most " + MAX_RENDITIONS + " names a row, any further "
                  + "name's time under '" + OTHER_RENDITIONS + "')"),
          StoredField.of(QUALITY_CHANGES_UP_FIELD, LONG)
              .value(count(QUALITY_CHANGES_UP_FIELD))
              .counts(new PerEvent(MetricType.QUALITY_CHANGED,
                  e -> QualityStep.of(e) == QualityStep.UP ? 1 : 0)),
          StoredField.of(QUALITY_CHANGES_DOWN_FIELD, LONG)
              .value(count(QUALITY_CHANGES_DOWN_FIELD))
              .counts(new PerEvent(MetricType.QUALITY_CHANGED,
                  e -> QualityStep.of(e) == QualityStep.DOWN ? 1 : 0)),
          StoredField.of(SESSIONS_LOADED_FIELD, LONG).defaultsToZero()
              .value(count(SESSIONS_LOADED_FIELD))
              .counts(new PerSession(SessionFacts::loaded))
              .doc("Sessions that ended in the minute with an IMPRESSION (a session counts "
                  + "once, in the minute of its last event; it ends at STOP or after "
                  + "--sessionGap without events)"),
          StoredField.of(EXITS_BEFORE_VIDEO_START_FIELD, LONG).defaultsToZero()
              .value(count(EXITS_BEFORE_VIDEO_START_FIELD))
              .counts(new PerSession(SessionFacts::exitedBeforeVideoStart))
              .doc("Of sessions_loaded, those without a PLAY; "
                  + "exits_before_video_start_percentage = exits_before_video_start / "
                  + "sessions_loaded"),
          StoredField.of(PLAYBACK_ATTEMPTS_FIELD, LONG).defaultsToZero()
              .value(count(PLAYBACK_ATTEMPTS_FIELD))
              .counts(new PerSession(SessionFacts::attemptedPlayback))
              .doc("Sessions that ended in the minute with an IMPRESSION or a PLAY"),
          StoredField.of(PLAYBACK_FAILURES_FIELD, LONG).defaultsToZero()
              .value(count(PLAYBACK_FAILURES_FIELD))
              .counts(new PerSession(SessionFacts::failedPlayback))
              .doc("Of playback_attempts, those whose last PLAYBACK_SUMMARY with error_count > "
                  + "0 came after their last clean playing (fatal error); "
                  + "playback_failure_percentage = playback_failures / playback_attempts"),
          StoredField.of(SESSIONS_PLAYED_FIELD, LONG).defaultsToZero()
              .value(count(SESSIONS_PLAYED_FIELD))
              .counts(new PerSession(SessionFacts::played))
              .doc("Sessions that ended in the minute and played (a PLAY, or playing_time_ms > "
                  + "0)"),
          StoredField.of(SESSIONS_REBUFFERED_FIELD, LONG).defaultsToZero()
              .value(count(SESSIONS_REBUFFERED_FIELD))
              .counts(new PerSession(SessionFacts::rebuffered))
              .doc("Of sessions_played, those with buffering_count > 0; rebuffer_percentage = "
                  + "sessions_rebuffered / sessions_played"),
          StoredField.of("version", LONG).notInElasticsearch().defaultsToZero()
              .doc("Streaming: the index of the pane that produced this value (each pane "
                  + "carries the row's full value, so the highest version of a row is current). "
                  + "0 for backfill rows.")),
      List.of(CLIENT_PLATFORM, VIDEO_CLIENT_PLATFORM, COUNTRY, DEVICE_TYPE),
      List.of(
          new QuerySet(List.of(), CLIENT_PLATFORM),
          new QuerySet(List.of(Dimension.CLIENT_PLATFORM), CLIENT_PLATFORM),
          new QuerySet(List.of(Dimension.VIDEO), VIDEO_CLIENT_PLATFORM),
          new QuerySet(List.of(Dimension.VIDEO, Dimension.CLIENT_PLATFORM),
              VIDEO_CLIENT_PLATFORM),
          new QuerySet(List.of(Dimension.COUNTRY), COUNTRY),
          new QuerySet(List.of(Dimension.DEVICE_TYPE), DEVICE_TYPE)),
      List.of(
          new MetricDescription(QosMetric.CONCURRENT_SESSIONS, "concurrent_sessions",
              "Sessions viewing in the minute (peak over a range)", Unit.COUNT,
              "distinct (fingerprint, session) viewing in the minute: the audience metrics' "
                  + "viewing rule, so the platforms of a minute add up to its `ccu`",
              new Rollup.Peak(CONCURRENT_SESSIONS_FIELD), null),
          new MetricDescription(QosMetric.ERROR_COUNT, "error_count",
              "Playback errors reported by PLAYBACK_SUMMARY error_count", Unit.COUNT,
              "Σ PLAYBACK_SUMMARY `error_count`", new Rollup.Sum(ERROR_COUNT_FIELD),
              "Playback errors"),
          new MetricDescription(QosMetric.BUFFER_RATIO, "buffer_ratio",
              "Share of time spent buffering: sum(buffering_time_ms) / sum(playing_time_ms + "
                  + "buffering_time_ms)", Unit.RATIO,
              "Σ PLAYBACK_SUMMARY `buffering_time_ms` and Σ `playing_time_ms`",
              new Rollup.Ratio(BUFFERING_TIME_MS_FIELD,
                  List.of(PLAYING_TIME_MS_FIELD, BUFFERING_TIME_MS_FIELD)), "Buffer ratio"),
          new MetricDescription(QosMetric.REBUFFER_COUNT, "rebuffer_count",
              "Rebuffering events: sum of PLAYBACK_SUMMARY buffering_count", Unit.COUNT,
              "Σ PLAYBACK_SUMMARY `buffering_count`", new Rollup.Sum(REBUFFER_COUNT_FIELD),
              "Rebuffering events"),
          new MetricDescription(QosMetric.STARTUP_TIME_MS_MEAN, "startup_time_ms_mean",
              "Mean PLAY startup_latency_ms", Unit.MILLISECONDS,
              "PLAY events with a `startup_latency_ms`, and Σ of those latencies",
              new Rollup.Mean(STARTUP_SUM_MS_FIELD, STARTUP_COUNT_FIELD), "Startup time, mean"),
          new MetricDescription(QosMetric.STARTUP_TIME_MS_P50, "startup_time_ms_p50",
              "Median PLAY startup_latency_ms (KLL sketch)", Unit.MILLISECONDS,
              "KLL sketch (k = 300) of PLAY `startup_latency_ms`",
              new Rollup.Quantile(STARTUP_SKETCH_FIELD, 0.50), "Startup time, median"),
          new MetricDescription(QosMetric.STARTUP_TIME_MS_P95, "startup_time_ms_p95",
              "95th percentile PLAY startup_latency_ms (KLL sketch)", Unit.MILLISECONDS,
              "KLL sketch (k = 300) of PLAY `startup_latency_ms`",
              new Rollup.Quantile(STARTUP_SKETCH_FIELD, 0.95), "Startup time, 95th percentile"),
          new MetricDescription(QosMetric.LIVE_LATENCY_MS_MEAN, "live_latency_ms_mean",
              "Mean PLAYBACK_SUMMARY live latency", Unit.MILLISECONDS,
              "PLAYBACK_SUMMARY events with `live_latency_ms` (or `live_latency_sec` × 1000), "
                  + "and Σ of those latencies",
              new Rollup.Mean(LIVE_LATENCY_SUM_MS_FIELD, LIVE_LATENCY_COUNT_FIELD),
              "Live latency, mean"),
          new MetricDescription(QosMetric.LIVE_LATENCY_MS_P50, "live_latency_ms_p50",
              "Median PLAYBACK_SUMMARY live latency (KLL sketch)", Unit.MILLISECONDS,
              "KLL sketch (k = 300) of the PLAYBACK_SUMMARY live latencies",
              new Rollup.Quantile(LIVE_LATENCY_SKETCH_FIELD, 0.50), "Live latency, median"),
          new MetricDescription(QosMetric.LIVE_LATENCY_MS_P95, "live_latency_ms_p95",
              "95th percentile PLAYBACK_SUMMARY live latency (KLL sketch)", Unit.MILLISECONDS,
              "KLL sketch (k = 300) of the PLAYBACK_SUMMARY live latencies",
              new Rollup.Quantile(LIVE_LATENCY_SKETCH_FIELD, 0.95),
              "Live latency, 95th percentile"),
          new MetricDescription(QosMetric.RENDITION_SECONDS_PLAYED, "rendition_seconds_played",
              "Seconds played per rendition_name (PLAYBACK_SUMMARY playing_time_ms by its "
                  + "rendition)", Unit.SECONDS_BY_RENDITION,
              "Σ PLAYBACK_SUMMARY `playing_time_ms` by its `rendition_name` (`unknown` when "
                  + "absent)",
              new Rollup.PerKeySum(RENDITION_PLAYING_MS_FIELD), null),
          new MetricDescription(QosMetric.QUALITY_CHANGES_UP, "quality_changes_up",
              "QUALITY_CHANGED events stepping up", Unit.COUNT,
              "QUALITY_CHANGED up by `step_direction`, else by `to_bitrate` > `from_bitrate`",
              new Rollup.Sum(QUALITY_CHANGES_UP_FIELD), null),
          new MetricDescription(QosMetric.QUALITY_CHANGES_DOWN, "quality_changes_down",
              "QUALITY_CHANGED events stepping down", Unit.COUNT,
              "QUALITY_CHANGED down by `step_direction`, else by `to_bitrate` < `from_bitrate`",
              new Rollup.Sum(QUALITY_CHANGES_DOWN_FIELD), null),
          // A session ends at its STOP or after --sessionGap without events, and counts once,
          // in the minute of its last event (schemas/README.md, "Session metrics").
          new MetricDescription(QosMetric.EXITS_BEFORE_VIDEO_START, "exits_before_video_start",
              "Sessions that loaded (IMPRESSION) and ended without a PLAY, in the minute they "
                  + "ended", Unit.COUNT,
              "sessions with an IMPRESSION and no PLAY, in the minute of their last event",
              new Rollup.Sum(EXITS_BEFORE_VIDEO_START_FIELD), "Exits before video start"),
          new MetricDescription(QosMetric.EXITS_BEFORE_VIDEO_START_PERCENTAGE,
              "exits_before_video_start_percentage",
              "Share of the sessions that loaded (IMPRESSION) that ended without a PLAY",
              Unit.RATIO, "sessions with an IMPRESSION, and of those the ones without a PLAY",
              new Rollup.Ratio(EXITS_BEFORE_VIDEO_START_FIELD, List.of(SESSIONS_LOADED_FIELD)),
              "Exits before video start, share of loads"),
          new MetricDescription(QosMetric.PLAYBACK_FAILURE_PERCENTAGE,
              "playback_failure_percentage",
              "Share of the sessions that attempted playback (IMPRESSION or PLAY) that a fatal "
                  + "error ended: their last PLAYBACK_SUMMARY with error_count > 0 came after "
                  + "their last clean playing", Unit.RATIO,
              "sessions with an IMPRESSION or a PLAY, and of those the ones a fatal error ended",
              new Rollup.Ratio(PLAYBACK_FAILURES_FIELD, List.of(PLAYBACK_ATTEMPTS_FIELD)),
              "Playback failures, share of attempts"),
          new MetricDescription(QosMetric.REBUFFER_PERCENTAGE, "rebuffer_percentage",
              "Share of the sessions that played (PLAY or playing_time_ms > 0) with a rebuffer "
                  + "(buffering_count > 0)", Unit.RATIO,
              "sessions that played, and of those the ones with a PLAYBACK_SUMMARY "
                  + "`buffering_count` > 0",
              new Rollup.Ratio(SESSIONS_REBUFFERED_FIELD, List.of(SESSIONS_PLAYED_FIELD)),
              "Sessions with rebuffering, share of plays")));

  /**
   * Where each declared count and sketch sits in a QoS row's arrays and its partial rows': their
   * coders write them in this order (schemas/README.md, "Adding a metric"), so a new count goes
   * after the last.
   */
  public static final CountedFields COUNTED = new CountedFields(DESCRIPTION);

  /** The declared counts' stored names, in the order the rows hold them ({@link #COUNTED}). */
  public static final List<String> COUNTS = COUNTED.names();

  /** The declared sketches' stored names, in the order the rows hold them ({@link #COUNTED}). */
  public static final List<String> SKETCHES = COUNTED.sketchNames();

  /** A stored row back from its values (the inverse of the fields' values above). */
  private static QosMinute read(StoredValues v) {
    QosMinute.Builder b = QosMinute.builder()
        .account(v.text("account"))
        .dimensionSet(v.storedSet("dimensions", QosDimensionSet.class))
        .video(v.optionalText("video"))
        .clientPlatform(v.optionalText("client_platform"))
        .country(v.optionalText("country"))
        .deviceType(v.optionalText("device_type"))
        .minute(v.number("minute"));
    for (int i = 0; i < COUNTED.distinctFields().size(); i++) {
      b.distinctAt(i, v.number(COUNTED.distinctFields().get(i).name()));
    }
    for (int i = 0; i < COUNTED.keyedFields().size(); i++) {
      b.keyedAt(i, v.longs(COUNTED.keyedFields().get(i).name()));
    }
    for (int i = 0; i < COUNTS.size(); i++) {
      b.countAt(i, v.number(COUNTS.get(i)));
    }
    for (int i = 0; i < SKETCHES.size(); i++) {
      b.sketchAt(i, v.bytes(SKETCHES.get(i)));
    }
    return b.build();
  }

  private static Function<QosMinute, Long> count(String field) {
    return q -> q.count(field);
  }

  private static Function<QosMinute, byte[]> sketch(String field) {
    return q -> q.sketch(field);
  }

  private static long orZero(@Nullable Long v) {
    return v == null ? 0 : v;
  }

  private ViewerQosFamily() {}
}
