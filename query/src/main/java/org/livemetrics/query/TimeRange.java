package org.livemetrics.query;

import java.time.Clock;
import java.util.OptionalLong;

/**
 * The range of a request, resolved as the Brightcove API does: {@code to} defaults to now and
 * {@code from} to {@code to} minus {@link QueryRequest#DEFAULT_RANGE}; it covers the minutes
 * {@code floor(from / 60000)} through {@code floor(to / 60000)}, inclusive.
 *
 * @param explicitFrom {@code from} as given; empty when it defaulted (a timeseries then aligns its
 *     buckets on the first minute with data)
 * @param from the range start, epoch ms
 * @param to the range end, epoch ms
 */
public record TimeRange(OptionalLong explicitFrom, long from, long to) {

  /**
   * Resolves the given bounds; {@code clock} supplies "now".
   *
   * @throws QueryException naming {@code to} (or {@code from}, when {@code to} defaulted) when
   *     the range ends before it starts
   */
  public static TimeRange resolve(OptionalLong from, OptionalLong to, Clock clock) {
    long resolvedTo = to.orElseGet(clock::millis);
    long resolvedFrom = from.orElse(resolvedTo - QueryRequest.DEFAULT_RANGE.toMillis());
    if (resolvedTo < resolvedFrom) {
      if (to.isPresent()) {
        throw new QueryException("to", resolvedTo + " is before from (" + resolvedFrom + ")");
      }
      throw new QueryException("from", resolvedFrom + " is after now (" + resolvedTo
          + "), the default for to");
    }
    return new TimeRange(from, resolvedFrom, resolvedTo);
  }

  /** The start of the minute {@code epochMillis} falls in. */
  public static long minuteOf(long epochMillis) {
    return Math.floorDiv(epochMillis, QueryRequest.MINUTE_MS) * QueryRequest.MINUTE_MS;
  }

  /** Start of the first minute in range. */
  public long fromMinute() {
    return minuteOf(from);
  }

  /** Start of the last minute in range (inclusive). */
  public long toMinute() {
    return minuteOf(to);
  }
}
