package org.livemetrics.pipelines.backfill;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Reads --from/--to: an ISO instant, a UTC date-time without zone, an hour, or a day. */
final class TimeArgument {
  private TimeArgument() {}

  static long parse(String option, String value) {
    String v = value.trim();
    try {
      if (v.matches("\\d+")) {
        return Long.parseLong(v); // epoch milliseconds
      }
      if (v.matches("\\d{4}-\\d{2}-\\d{2}")) {
        return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      }
      if (v.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}")) {
        return LocalDateTime.parse(v + ":00").toInstant(ZoneOffset.UTC).toEpochMilli();
      }
      if (v.endsWith("Z") || v.matches(".*[+-]\\d{2}:\\d{2}$")) {
        return Instant.parse(v).toEpochMilli();
      }
      return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new IllegalArgumentException(
          "--" + option + ": cannot read \"" + value + "\" as a time; use e.g. 2026-11-22T05:00:00Z,"
              + " 2026-11-22T05 or 2026-11-22");
    }
  }
}
