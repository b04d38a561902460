package org.livemetrics.schemas;

/** The player SDK's {@code metric_type}; anything else parses as {@link #UNKNOWN}. */
public enum MetricType {
  IMPRESSION,
  PLAY,
  PLAYBACK_SUMMARY,
  QUALITY_CHANGED,
  AD_START,
  STOP,
  UNKNOWN;

  private static final MetricType[] VALUES = values();

  public static MetricType parse(String s) {
    for (MetricType t : VALUES) {
      if (t != UNKNOWN && t.name().equalsIgnoreCase(s)) {
        return t;
      }
    }
    return UNKNOWN;
  }

  public static MetricType ofOrdinal(int ordinal) {
    return VALUES[ordinal];
  }
}
