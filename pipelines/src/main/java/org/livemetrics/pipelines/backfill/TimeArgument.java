package org.livemetrics.pipelines.backfill;

import org.livemetrics.schemas.UtcTime;

/** Reads --from/--to in the forms every command takes ({@link UtcTime}). */
final class TimeArgument {
  private TimeArgument() {}

  static long parse(String option, String value) {
    try {
      return UtcTime.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--" + option + ": " + e.getMessage());
    }
  }
}
