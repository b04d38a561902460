package org.livemetrics.schemas;

import java.util.Arrays;
import java.util.Optional;

/**
 * The live audience metrics, named and defined as in the Brightcove Live Analytics API. This is the
 * one place their names and their aggregation rules live: the pipelines, the query layer and the
 * report all read them from here.
 */
public enum Metric {
  /** Unique sessions: distinct (fingerprint, session_id) viewing. */
  CCU("ccu", "Unique sessions; count of distinct (fingerprint + session)", Aggregation.DISTINCT),
  /** Unique devices: distinct fingerprints viewing. */
  FINGERPRINT_COUNT(
      "fingerprint_count", "Unique devices; count of distinct fingerprints", Aggregation.DISTINCT),
  /** PLAY events (stream starts, not unique). */
  VIDEO_VIEW("video_view", "Stream starts (not unique)", Aggregation.SUM),
  /** IMPRESSION events (the player loaded the video). */
  VIDEO_IMPRESSION(
      "video_impression", "Number of times the video was loaded into the player", Aggregation.SUM),
  /** Sum of PLAYBACK_SUMMARY playing_time_ms, in seconds with millisecond precision. */
  VIDEO_SECONDS_VIEWED(
      "video_seconds_viewed", "Total seconds watched by all viewers", Aggregation.SUM),
  /** AD_START events (server-side ad impressions). */
  ALIVE_SS_AD_START("alive_ss_ad_start", "Server-side ad impressions", Aggregation.SUM);

  /** How a metric combines across minutes. */
  public enum Aggregation {
    /**
     * Unique counts: in a timeseries bucket the maximum of the per-minute values, over an events
     * range the distinct count over the whole range (from the sketches).
     */
    DISTINCT,
    /** Additive counts: summed over minutes, buckets and ranges. */
    SUM
  }

  private final String apiName;
  private final String description;
  private final Aggregation aggregation;

  Metric(String apiName, String description, Aggregation aggregation) {
    this.apiName = apiName;
    this.description = description;
    this.aggregation = aggregation;
  }

  /** The name used in queries, in stored aggregates and in reports. */
  public String apiName() {
    return apiName;
  }

  public String description() {
    return description;
  }

  public Aggregation aggregation() {
    return aggregation;
  }

  public static Optional<Metric> fromApiName(String name) {
    return Arrays.stream(values()).filter(m -> m.apiName.equals(name)).findFirst();
  }
}
