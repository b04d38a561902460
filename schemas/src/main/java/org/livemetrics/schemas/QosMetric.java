package org.livemetrics.schemas;

import java.util.Arrays;
import java.util.Optional;

/**
 * The quality-of-service metrics: the viewer QoS metrics computed from player events
 * ({@link QosMinute} rows) and the broadcast metrics computed from Amazon IVS EventBridge events
 * ({@link BroadcastMinute} rows). The one place their API names, units and roll-up rules live, as
 * {@link Metric} is for the audience metrics; the query layer reads them from here and combines rows
 * with {@link QosRollup} and {@link BroadcastMinute#rollUp}.
 *
 * <p>Every row is one UTC minute. How a metric combines over a range of minutes (a timeseries
 * bucket or an events total) and over several rows of one minute (platforms, videos, regions) is its
 * {@link Rollup}.
 */
public enum QosMetric {
  // ---- viewer QoS, from player events; dimensions client_platform, video,client_platform ----
  /** Distinct (fingerprint, session) viewing in the minute, by the audience metrics' viewing rule. */
  CONCURRENT_SESSIONS("concurrent_sessions", "Sessions viewing in the minute (peak over a range)",
      Unit.COUNT, Rollup.PEAK, Source.PLAYER, Double.NaN),
  ERROR_COUNT("error_count", "Playback errors reported by PLAYBACK_SUMMARY error_count",
      Unit.COUNT, Rollup.SUM, Source.PLAYER, Double.NaN),
  BUFFER_RATIO("buffer_ratio",
      "Share of time spent buffering: sum(buffering_time_ms) / sum(playing_time_ms + buffering_time_ms)",
      Unit.RATIO, Rollup.RATIO, Source.PLAYER, Double.NaN),
  REBUFFER_COUNT("rebuffer_count", "Rebuffering events: sum of PLAYBACK_SUMMARY buffering_count",
      Unit.COUNT, Rollup.SUM, Source.PLAYER, Double.NaN),
  STARTUP_TIME_MS_MEAN("startup_time_ms_mean", "Mean PLAY startup_latency_ms",
      Unit.MILLISECONDS, Rollup.MEAN, Source.PLAYER, Double.NaN),
  STARTUP_TIME_MS_P50("startup_time_ms_p50", "Median PLAY startup_latency_ms (KLL sketch)",
      Unit.MILLISECONDS, Rollup.QUANTILE, Source.PLAYER, 0.50),
  STARTUP_TIME_MS_P95("startup_time_ms_p95", "95th percentile PLAY startup_latency_ms (KLL sketch)",
      Unit.MILLISECONDS, Rollup.QUANTILE, Source.PLAYER, 0.95),
  LIVE_LATENCY_MS_MEAN("live_latency_ms_mean", "Mean PLAYBACK_SUMMARY live latency",
      Unit.MILLISECONDS, Rollup.MEAN, Source.PLAYER, Double.NaN),
  LIVE_LATENCY_MS_P50("live_latency_ms_p50", "Median PLAYBACK_SUMMARY live latency (KLL sketch)",
      Unit.MILLISECONDS, Rollup.QUANTILE, Source.PLAYER, 0.50),
  LIVE_LATENCY_MS_P95("live_latency_ms_p95",
      "95th percentile PLAYBACK_SUMMARY live latency (KLL sketch)",
      Unit.MILLISECONDS, Rollup.QUANTILE, Source.PLAYER, 0.95),
  /**
   * Seconds played per rendition: not one number but one per {@code rendition_name}; the API
   * reports an object {@code {"720p": 61.0, ...}}.
   */
  RENDITION_SECONDS_PLAYED("rendition_seconds_played",
      "Seconds played per rendition_name (PLAYBACK_SUMMARY playing_time_ms by its rendition)",
      Unit.SECONDS_BY_RENDITION, Rollup.SUM, Source.PLAYER, Double.NaN),
  QUALITY_CHANGES_UP("quality_changes_up", "QUALITY_CHANGED events stepping up",
      Unit.COUNT, Rollup.SUM, Source.PLAYER, Double.NaN),
  QUALITY_CHANGES_DOWN("quality_changes_down", "QUALITY_CHANGED events stepping down",
      Unit.COUNT, Rollup.SUM, Source.PLAYER, Double.NaN),
  // Session outcomes: each session counted once, in the minute it ended (at STOP, or its last
  // event before --sessionGap without events). Percentages are shares in [0, 1], as buffer_ratio.
  EXITS_BEFORE_VIDEO_START("exits_before_video_start",
      "Sessions that loaded (IMPRESSION) and ended without a PLAY, in the minute they ended",
      Unit.COUNT, Rollup.SUM, Source.PLAYER, Double.NaN),
  EXITS_BEFORE_VIDEO_START_PERCENTAGE("exits_before_video_start_percentage",
      "Share of the sessions that loaded (IMPRESSION) that ended without a PLAY",
      Unit.RATIO, Rollup.RATIO, Source.PLAYER, Double.NaN),
  PLAYBACK_FAILURE_PERCENTAGE("playback_failure_percentage",
      "Share of the sessions that attempted playback (IMPRESSION or PLAY) that a fatal error ended: "
          + "their last PLAYBACK_SUMMARY with error_count > 0 came after their last clean playing",
      Unit.RATIO, Rollup.RATIO, Source.PLAYER, Double.NaN),
  REBUFFER_PERCENTAGE("rebuffer_percentage",
      "Share of the sessions that played (PLAY or playing_time_ms > 0) with a rebuffer "
          + "(buffering_count > 0)",
      Unit.RATIO, Rollup.RATIO, Source.PLAYER, Double.NaN),

  // ---- broadcast, from IVS EventBridge events; dimensions (none), region, region,channel ----
  CHANNEL_CONCURRENCY("channel_concurrency", "Channels live in the minute (peak over a range)",
      Unit.COUNT, Rollup.PEAK, Source.BROADCAST, Double.NaN),
  STARVATION_COUNT("starvation_count", "Starvation episodes that began in the minute",
      Unit.COUNT, Rollup.SUM, Source.BROADCAST, Double.NaN),
  STARVATION_SECONDS("starvation_seconds",
      "Seconds of starvation within the minute (episodes split at minute boundaries)",
      Unit.SECONDS, Rollup.SUM, Source.BROADCAST, Double.NaN);

  /** Where a metric's rows come from. */
  public enum Source {
    /** {@link QosMinute} rows, from player events. */
    PLAYER,
    /** {@link BroadcastMinute} rows, from IVS EventBridge events. */
    BROADCAST
  }

  /** What a value means. */
  public enum Unit {
    COUNT,
    /** A share in [0, 1]. */
    RATIO,
    MILLISECONDS,
    /** Stored in milliseconds (exact sums), reported in seconds. */
    SECONDS,
    /** Seconds per rendition name. */
    SECONDS_BY_RENDITION
  }

  /** How rows combine, over the rows of one minute and over minutes. */
  public enum Rollup {
    /**
     * A level: the rows of one minute are summed (disjoint sessions or channels), and a range
     * reports the highest per-minute total, like {@code ccu} in a timeseries bucket.
     */
    PEAK,
    /** Additive: summed over rows and minutes. */
    SUM,
    /** Σ numerator / Σ denominator over all rows (both sums are stored). */
    RATIO,
    /** Σ values / Σ count over all rows (both stored exactly). */
    MEAN,
    /** A quantile of the union of the rows' sketches (see {@link #rank()}). */
    QUANTILE
  }

  private final String apiName;
  private final String description;
  private final Unit unit;
  private final Rollup rollup;
  private final Source source;
  private final double rank;

  QosMetric(String apiName, String description, Unit unit, Rollup rollup, Source source,
      double rank) {
    this.apiName = apiName;
    this.description = description;
    this.unit = unit;
    this.rollup = rollup;
    this.source = source;
    this.rank = rank;
  }

  /** The name used in queries ({@code /v1/timeseries?metrics=...}), stored rows and reports. */
  public String apiName() {
    return apiName;
  }

  public String description() {
    return description;
  }

  public Unit unit() {
    return unit;
  }

  public Rollup rollup() {
    return rollup;
  }

  public Source source() {
    return source;
  }

  /** The normalized rank of a {@link Rollup#QUANTILE} metric (0.5, 0.95); NaN otherwise. */
  public double rank() {
    return rank;
  }

  public static Optional<QosMetric> fromApiName(String name) {
    return Arrays.stream(values()).filter(m -> m.apiName.equals(name)).findFirst();
  }
}
