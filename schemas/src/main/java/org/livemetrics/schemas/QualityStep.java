package org.livemetrics.schemas;

import java.util.Locale;

/** Which way a QUALITY_CHANGED event stepped. */
public enum QualityStep {
  UP,
  DOWN,
  /** Neither {@code step_direction} nor two different bitrates say. */
  UNKNOWN;

  /**
   * By {@code step_direction} (UP/DOWN, any case); when that is absent or neither, by {@code
   * to_bitrate} against {@code from_bitrate}.
   */
  public static QualityStep of(PlayerEvent e) {
    if (e.stepDirection != null) {
      switch (e.stepDirection.trim().toUpperCase(Locale.ROOT)) {
        case "UP":
          return UP;
        case "DOWN":
          return DOWN;
        default:
          break;
      }
    }
    if (e.fromBitrate != null && e.toBitrate != null && !e.fromBitrate.equals(e.toBitrate)) {
      return e.toBitrate > e.fromBitrate ? UP : DOWN;
    }
    return UNKNOWN;
  }
}
