package org.livemetrics.schemas;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The time forms every livemetrics command takes for {@code --from}, {@code --to} and the like,
 * defined once: epoch milliseconds ({@code 1795323600000}), an ISO-8601 instant with an offset
 * ({@code 2026-11-22T05:00:00Z}, {@code …+01:00}), a date-time without one (taken as UTC:
 * {@code 2026-11-22T05:30}), an hour ({@code 2026-11-22T05}) or a day ({@code 2026-11-22}).
 */
public final class UtcTime {
  private UtcTime() {}

  /** Epoch milliseconds; {@link IllegalArgumentException} with a one-line message otherwise. */
  public static long parse(String value) {
    String v = value.trim();
    try {
      if (v.matches("\\d{1,18}")) {
        return Long.parseLong(v);
      }
      if (v.matches("\\d{4}-\\d{2}-\\d{2}")) {
        return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      }
      if (v.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}")) {
        return LocalDateTime.parse(v + ":00").toInstant(ZoneOffset.UTC).toEpochMilli();
      }
      if (v.endsWith("Z") || v.endsWith("z") || v.matches(".*[+-]\\d{2}:\\d{2}$")) {
        return OffsetDateTime.parse(v).toInstant().toEpochMilli();
      }
      return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "cannot read '" + value + "' as a time; use epoch ms, 2026-11-22T05:00:00Z,"
              + " 2026-11-22T05 or 2026-11-22");
    }
  }
}
