package org.livemetrics.query;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.Metric;
import org.livemetrics.schemas.QosMetric;
import org.livemetrics.schemas.family.FamilyRollup;
import org.livemetrics.schemas.family.MetricFamilyDescription.MetricDescription;
import org.livemetrics.schemas.family.MetricFamilyDescription.Rollup;
import org.livemetrics.schemas.family.MetricFamilyDescription.Unit;

/** Stored metric values to the numbers the API reports. */
public final class MetricValues {
  /** Decimal places of a reported ratio ({@code buffer_ratio}). */
  public static final int RATIO_DECIMALS = 6;
  /** Decimal places of reported milliseconds (means; percentiles are whole stored values). */
  public static final int MILLISECOND_DECIMALS = 3;

  private MetricValues() {}

  /**
   * The API value of a stored value, by its unit: counts as they are; time in seconds (for {@code
   * video_seconds_viewed}), stored in milliseconds so sums stay exact, as seconds with millisecond
   * precision and no trailing zeros (61500 → 61.5, 120000 → 120, 1 → 0.001).
   */
  public static Number toApi(Metric metric, long stored) {
    return metric.described().unit() == Unit.SECONDS ? seconds(stored) : stored;
  }

  /** Milliseconds as exact seconds without trailing zeros: 61500 → 61.5, 120000 → 120. */
  public static BigDecimal seconds(long ms) {
    return plain(BigDecimal.valueOf(ms, 3));
  }

  /**
   * A QoS or broadcast metric's API value over combined rows, by its unit: counts as {@code
   * Long}; ratios rounded to {@value #RATIO_DECIMALS} decimals; milliseconds (means, percentiles)
   * rounded to {@value #MILLISECOND_DECIMALS} decimals; time stored in milliseconds as exact
   * seconds; a per-key sum ({@code rendition_seconds_played}) as a map from key to exact seconds,
   * sorted by key. Null when the rows hold nothing to compute it from (a ratio without playback, a
   * percentile without latencies): "no data" is not 0.
   */
  public static @Nullable Object toApi(QosMetric metric, FamilyRollup rollup) {
    MetricDescription m = metric.described();
    if (m.rollup() instanceof Rollup.PerKeySum perKey) {
      Map<String, BigDecimal> seconds = new LinkedHashMap<>();
      rollup.perKey(perKey.field()).forEach((name, ms) -> seconds.put(name, seconds(ms)));
      return seconds;
    }
    OptionalDouble v = rollup.value(m);
    if (v.isEmpty()) {
      return null;
    }
    return switch (m.unit()) {
      case COUNT -> Math.round(v.getAsDouble());
      case RATIO -> rounded(v.getAsDouble(), RATIO_DECIMALS);
      case SECONDS -> seconds(Math.round(v.getAsDouble()));
      default -> rounded(v.getAsDouble(), MILLISECOND_DECIMALS);
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
