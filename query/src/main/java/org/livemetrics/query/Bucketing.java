package org.livemetrics.query;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a timeseries cuts its range into buckets: a fixed width ({@code bucket_duration}) or a number
 * of equal buckets ({@code bucket_limit}). Widths are whole minutes because the store is per
 * minute.
 */
public final class Bucketing {
  public static final String DURATION_PARAMETER = "bucket_duration";
  public static final String LIMIT_PARAMETER = "bucket_limit";

  private static final Pattern DURATION = Pattern.compile("([0-9]+)([mhd])");
  /** The most units a {@code bucket_duration} may count. */
  public static final long MAX_DURATION_UNITS = 999_999_999L;

  /** The API's default: one-minute points. */
  public static final Bucketing ONE_MINUTE = new Bucketing(1, 0, "1m");

  private final long durationMinutes;
  private final int limit;
  private final String text;

  private Bucketing(long durationMinutes, int limit, String text) {
    this.durationMinutes = durationMinutes;
    this.limit = limit;
    this.text = text;
  }

  /** Buckets of a fixed number of minutes. */
  public static Bucketing ofMinutes(long minutes) {
    if (minutes < 1) {
      throw new QueryException(DURATION_PARAMETER, "must be at least 1m, got " + minutes + "m");
    }
    return new Bucketing(minutes, 0, minutes + "m");
  }

  /** {@code bucket_duration}: {@code <n>m}, {@code <n>h} or {@code <n>d}; 1d is 24 hours. */
  public static Bucketing parseDuration(String value) {
    Matcher m = DURATION.matcher(value);
    if (!m.matches()) {
      throw new QueryException(
          DURATION_PARAMETER,
          "'" + value + "' is not a duration; use <n>m, <n>h or <n>d with n >= 1, e.g. 5m, 1h, 1d");
    }
    String digits = m.group(1).replaceFirst("^0+(?=.)", "");
    if (digits.length() > 9 || Long.parseLong(digits) > MAX_DURATION_UNITS) {
      throw new QueryException(DURATION_PARAMETER, "'" + value + "' is too long a bucket; it is"
          + " at most " + MAX_DURATION_UNITS + m.group(2) + " (use bucket_limit to cut a range"
          + " into a number of buckets)");
    }
    long n = Long.parseLong(digits);
    if (n < 1) {
      throw new QueryException(DURATION_PARAMETER, "must be at least 1" + m.group(2) + ", got '"
          + value + "'");
    }
    long unitMinutes = switch (m.group(2)) {
      case "m" -> 1;
      case "h" -> 60;
      default -> 24 * 60;
    };
    return new Bucketing(n * unitMinutes, 0, value);
  }

  /** {@code bucket_limit=n}: the range cut into n equal buckets of whole minutes. */
  public static Bucketing limit(int n) {
    if (n < 1) {
      throw new QueryException(LIMIT_PARAMETER, "must be a positive number of buckets, got " + n);
    }
    return new Bucketing(0, n, Integer.toString(n));
  }

  public static Bucketing parseLimit(String value) {
    if (!value.matches("[0-9]+")) {
      throw new QueryException(LIMIT_PARAMETER, "'" + value + "' is not a positive whole number");
    }
    String digits = value.replaceFirst("^0+(?=.)", "");
    if (digits.length() > 10 || Long.parseLong(digits) > Integer.MAX_VALUE) {
      throw new QueryException(LIMIT_PARAMETER, "'" + value + "' is too many buckets; it is at"
          + " most " + Integer.MAX_VALUE);
    }
    return limit(Integer.parseInt(digits));
  }

  public boolean isLimit() {
    return limit > 0;
  }

  /** The parameter that chose this bucketing, for error messages. */
  public String parameter() {
    return isLimit() ? LIMIT_PARAMETER : DURATION_PARAMETER;
  }

  /**
   * The bucket width for a range of {@code minutesInRange} minutes: the fixed duration, or
   * ceil(minutes / limit) so that n buckets cover the range.
   */
  public long widthMinutes(long minutesInRange) {
    if (!isLimit()) {
      return durationMinutes;
    }
    return Math.max(1, (minutesInRange + limit - 1) / limit);
  }

  /** As given in the query: {@code 1h}, or the bucket count. */
  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bucketing b && b.durationMinutes == durationMinutes && b.limit == limit;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(durationMinutes) * 31 + limit;
  }
}
