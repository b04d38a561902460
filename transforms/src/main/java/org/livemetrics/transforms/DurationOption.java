package org.livemetrics.transforms;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Parses duration options written as ISO-8601 ({@code PT5M}) or shorthand ({@code 90s}, {@code 5m}, {@code 2h}, {@code 1d}). */
public final class DurationOption {
  private DurationOption() {}

  public static Duration parse(String option, String value) {
    String v = value.trim();
    try {
      if (v.toUpperCase(Locale.ROOT).startsWith("P")) {
        return Duration.parse(v);
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      switch (Character.toLowerCase(v.charAt(v.length() - 1))) {
        case 's':
          return Duration.ofSeconds(n);
        case 'm':
          return Duration.ofMinutes(n);
        case 'h':
          return Duration.ofHours(n);
        case 'd':
          return Duration.ofDays(n);
        default:
          break;
      }
    } catch (DateTimeParseException | NumberFormatException | StringIndexOutOfBoundsException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "--" + option + ": cannot read \"" + value + "\" as a duration; use e.g. PT5M, 300s or 5m");
  }
}
