package org.livemetrics.query;

import java.math.BigDecimal;
import org.livemetrics.schemas.Metric;

/** Stored metric values to the numbers the API reports. */
public final class MetricValues {
  private MetricValues() {}

  /**
   * The API value of a stored value: counts as they are; {@code video_seconds_viewed}, stored in
   * milliseconds so sums stay exact, as seconds with millisecond precision and no trailing zeros
   * (61500 → 61.5, 120000 → 120, 1 → 0.001).
   */
  public static Number toApi(Metric metric, long stored) {
    if (metric == Metric.VIDEO_SECONDS_VIEWED) {
      BigDecimal seconds = BigDecimal.valueOf(stored, 3).stripTrailingZeros();
      // 120.000 strips to 1.2E+2; keep integral values integral so they render as 120.
      return seconds.scale() <= 0 ? (Number) seconds.setScale(0) : seconds;
    }
    return stored;
  }
}
