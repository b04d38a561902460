package org.livemetrics.schemas;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.family.AudienceFamily;
import org.livemetrics.schemas.family.MetricFamilyDescription;
import org.livemetrics.schemas.family.MetricFamilyDescription.MetricDescription;
import org.livemetrics.schemas.family.MetricFamilyDescription.Rollup;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;

/**
 * The live audience metrics, named and defined as in the Brightcove Live Analytics API: typed
 * handles whose names, descriptions and roll-ups are declared in {@link AudienceFamily}.
 */
public enum Metric {
  /** Unique sessions: distinct (fingerprint, session_id) viewing. */
  CCU,
  /** Unique devices: distinct fingerprints viewing. */
  FINGERPRINT_COUNT,
  /** PLAY events (stream starts, not unique). */
  VIDEO_VIEW,
  /** IMPRESSION events (the player loaded the video). */
  VIDEO_IMPRESSION,
  /** Sum of PLAYBACK_SUMMARY playing_time_ms, in seconds with millisecond precision. */
  VIDEO_SECONDS_VIEWED,
  /** AD_START events (server-side ad impressions). */
  ALIVE_SS_AD_START;

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

  /** The description of this metric ({@link AudienceFamily}). */
  public MetricDescription described() {
    return Described.BY_HANDLE.get(this);
  }

  /** The name used in queries, in stored aggregates and in reports. */
  public String apiName() {
    return described().apiName();
  }

  public String description() {
    return described().description();
  }

  public Aggregation aggregation() {
    return described().rollup() instanceof MetricFamilyDescription.Rollup.Distinct
        ? Aggregation.DISTINCT : Aggregation.SUM;
  }

  /**
   * The stored field a minute's row holds this metric's value in: the field its roll-up reads
   * (for a distinct count, the exact per-minute count beside the sketch).
   */
  StoredField storedValue() {
    return Described.VALUE.get(this);
  }

  /** The stored sketch field of a {@link Aggregation#DISTINCT} metric; null for the others. */
  @Nullable StoredField storedSketch() {
    return Described.SKETCH.get(this);
  }

  public static Optional<Metric> fromApiName(String name) {
    return Arrays.stream(values()).filter(m -> m.apiName().equals(name)).findFirst();
  }

  /** Read lazily, so the description may name these constants. */
  private static final class Described {
    static final Map<Metric, MetricDescription> BY_HANDLE = new EnumMap<>(Metric.class);
    static final Map<Metric, StoredField> VALUE = new EnumMap<>(Metric.class);
    static final Map<Metric, StoredField> SKETCH = new EnumMap<>(Metric.class);

    static {
      MetricFamilyDescription family = AudienceFamily.DESCRIPTION;
      for (Metric m : values()) {
        MetricDescription d = family.metric(m);
        BY_HANDLE.put(m, d);
        VALUE.put(m, family.storedField(d.rollup().fields().get(0)).orElseThrow());
        if (d.rollup() instanceof Rollup.Distinct distinct) {
          SKETCH.put(m, family.storedField(distinct.sketch()).orElseThrow());
        }
      }
    }
  }
}
