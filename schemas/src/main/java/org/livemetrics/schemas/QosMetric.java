package org.livemetrics.schemas;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.livemetrics.schemas.family.BroadcastFamily;
import org.livemetrics.schemas.family.MetricFamilyDescription;
import org.livemetrics.schemas.family.MetricFamilyDescription.MetricDescription;
import org.livemetrics.schemas.family.MetricFamilyDescription.Unit;
import org.livemetrics.schemas.family.ViewerQosFamily;

/**
 * The quality-of-service metrics: the viewer QoS metrics computed from player events
 * ({@link QosMinute} rows) and the broadcast metrics computed from Amazon IVS EventBridge events
 * ({@link BroadcastMinute} rows): typed handles whose API names, descriptions, units and roll-up
 * rules are declared in {@link ViewerQosFamily} and {@link BroadcastFamily}; the query layer
 * combines rows as those roll-ups say ({@link org.livemetrics.schemas.family.FamilyRollup}).
 *
 * <p>Every row is one UTC minute. How a metric combines over a range of minutes (a timeseries
 * bucket or an events total) and over several rows of one minute (platforms, videos, regions) is its
 * {@link Rollup}.
 */
public enum QosMetric {
  // ---- viewer QoS, from player events (ViewerQosFamily) ----
  CONCURRENT_SESSIONS,
  ERROR_COUNT,
  BUFFER_RATIO,
  REBUFFER_COUNT,
  STARTUP_TIME_MS_MEAN,
  STARTUP_TIME_MS_P50,
  STARTUP_TIME_MS_P95,
  LIVE_LATENCY_MS_MEAN,
  LIVE_LATENCY_MS_P50,
  LIVE_LATENCY_MS_P95,
  RENDITION_SECONDS_PLAYED,
  QUALITY_CHANGES_UP,
  QUALITY_CHANGES_DOWN,
  // Session outcomes (ComputeSessionOutcomes): each session once, in the minute it ended.
  EXITS_BEFORE_VIDEO_START,
  EXITS_BEFORE_VIDEO_START_PERCENTAGE,
  PLAYBACK_FAILURE_PERCENTAGE,
  REBUFFER_PERCENTAGE,

  // ---- broadcast, from IVS EventBridge events (BroadcastFamily) ----
  CHANNEL_CONCURRENCY,
  STARVATION_COUNT,
  STARVATION_SECONDS;

  /** Where a metric's rows come from. */
  public enum Source {
    /** {@link QosMinute} rows, from player events. */
    PLAYER,
    /** {@link BroadcastMinute} rows, from IVS EventBridge events. */
    BROADCAST
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
    QUANTILE;

    /** The kind of a described roll-up (a per-rendition sum is a {@link #SUM}). */
    static Rollup of(MetricFamilyDescription.Rollup r) {
      if (r instanceof MetricFamilyDescription.Rollup.Peak) {
        return PEAK;
      } else if (r instanceof MetricFamilyDescription.Rollup.Ratio) {
        return RATIO;
      } else if (r instanceof MetricFamilyDescription.Rollup.Mean) {
        return MEAN;
      } else if (r instanceof MetricFamilyDescription.Rollup.Quantile) {
        return QUANTILE;
      }
      return SUM;
    }
  }

  /** The description of this metric ({@link ViewerQosFamily} or {@link BroadcastFamily}). */
  public MetricDescription described() {
    return Described.BY_HANDLE.get(this);
  }

  /** The name used in queries ({@code /v1/timeseries?metrics=...}), stored rows and reports. */
  public String apiName() {
    return described().apiName();
  }

  public String description() {
    return described().description();
  }

  public Unit unit() {
    return described().unit();
  }

  public Rollup rollup() {
    return Rollup.of(described().rollup());
  }

  public Source source() {
    return Described.SOURCE.get(this);
  }

  /** The normalized rank of a {@link Rollup#QUANTILE} metric (0.5, 0.95); NaN otherwise. */
  public double rank() {
    return described().rank();
  }

  public static Optional<QosMetric> fromApiName(String name) {
    return Arrays.stream(values()).filter(m -> m.apiName().equals(name)).findFirst();
  }

  /** Read lazily, so the descriptions may name these constants. */
  private static final class Described {
    static final Map<QosMetric, MetricDescription> BY_HANDLE = new EnumMap<>(QosMetric.class);
    static final Map<QosMetric, Source> SOURCE = new EnumMap<>(QosMetric.class);

    static {
      for (QosMetric m : values()) {
        boolean player = ViewerQosFamily.DESCRIPTION.metrics().stream()
            .anyMatch(d -> d.handle() == m);
        MetricFamilyDescription family =
            player ? ViewerQosFamily.DESCRIPTION : BroadcastFamily.DESCRIPTION;
        BY_HANDLE.put(m, family.metric(m));
        SOURCE.put(m, player ? Source.PLAYER : Source.BROADCAST);
      }
    }
  }
}
