package org.livemetrics.query;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.Metric;
import org.livemetrics.schemas.QosMetric;
import org.livemetrics.schemas.QosRollup;

/** Stored metric values to the numbers the API reports. */
public final class MetricValues {
  /** Decimal places of a reported ratio ({@code buffer_ratio}). */
  public static final int RATIO_DECIMALS = 6;
  /** Decimal places of reported milliseconds (means; percentiles are whole stored values). */
  public static final int MILLISECOND_DECIMALS = 3;

  private MetricValues() {}

  /**
   * The API value of a stored value: counts as they are; {@code video_seconds_viewed}, stored in
   * milliseconds so sums stay exact, as seconds with millisecond precision and no trailing zeros
   * (61500 → 61.5, 120000 → 120, 1 → 0.001).
   */
  public static Number toApi(Metric metric, long stored) {
    if (metric == Metric.VIDEO_SECONDS_VIEWED) {
      return seconds(stored);
    }
    return stored;
  }

  /** Milliseconds as exact seconds without trailing zeros: 61500 → 61.5, 120000 → 120. */
  public static BigDecimal seconds(long ms) {
    return plain(BigDecimal.valueOf(ms, 3));
  }

  /**
   * A viewer QoS metric's API value over combined rows: counts as {@code Long}; {@code
   * buffer_ratio} rounded to {@value #RATIO_DECIMALS} decimals; means and percentiles in
   * milliseconds rounded to {@value #MILLISECOND_DECIMALS} decimals; {@code
   * rendition_seconds_played} as a map from rendition name to exact seconds (sorted by name).
   * Null when the rows hold nothing to compute it from (a ratio without playback, a percentile
   * without latencies): "no data" is not 0.
   */
  public static @Nullable Object toApi(QosMetric metric, QosRollup rollup) {
    if (metric == QosMetric.RENDITION_SECONDS_PLAYED) {
      Map<String, BigDecimal> seconds = new LinkedHashMap<>();
      rollup.renditionPlayingMs().forEach((name, ms) -> seconds.put(name, seconds(ms)));
      return seconds;
    }
    OptionalDouble v = rollup.value(metric);
    if (v.isEmpty()) {
      return null;
    }
    return switch (metric.unit()) {
      case COUNT -> (long) v.getAsDouble();
      case RATIO -> rounded(v.getAsDouble(), RATIO_DECIMALS);
      default -> rounded(v.getAsDouble(), MILLISECOND_DECIMALS);
    };
  }

  /** A broadcast metric's API value: counts as {@code Long}, starvation time as exact seconds. */
  public static Number toApi(QosMetric metric, BroadcastMinute.Rollup rollup) {
    return switch (metric) {
      case CHANNEL_CONCURRENCY -> rollup.peakLiveChannels();
      case STARVATION_COUNT -> rollup.starvationCount();
      case STARVATION_SECONDS -> seconds(rollup.starvationMs());
      default -> throw new IllegalArgumentException(metric.apiName() + " is not a broadcast metric");
    };
  }

  private static BigDecimal rounded(double v, int decimals) {
    return plain(BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_EVEN));
  }

  /** Without trailing zeros, integral values integral (120.000 strips to 1.2E+2: keep 120). */
  private static BigDecimal plain(BigDecimal d) {
    BigDecimal stripped = d.stripTrailingZeros();
    return stripped.scale() <= 0 ? stripped.setScale(0) : stripped;
  }
}
