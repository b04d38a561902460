package org.livemetrics.api;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The query of {@code /v1/videos/accounts/{account}}: {@code from} and {@code to} in epoch ms,
 * {@code to} defaulting to now and {@code from} to {@link #DEFAULT_RANGE_MS} before it. A range
 * is at most {@link #MAX_RANGE_MS}, the query layer's default range, so a listing reads at most
 * what one query may.
 */
record VideosRequest(long fromMs, long toMs) {
  static final long HOUR_MS = 3_600_000L;
  static final long DEFAULT_RANGE_MS = 6 * HOUR_MS;
  static final long MAX_RANGE_MS = 32 * 24 * HOUR_MS;
  private static final Set<String> PARAMETERS = Set.of("from", "to");

  static VideosRequest parse(@Nullable String rawQuery, Clock clock) {
    Map<String, String> params = QueryParameters.parse(rawQuery, PARAMETERS, "the video listing");
    Long to = QueryParameters.epochMillis(params, "to");
    long toMs = to == null ? clock.millis() : to;
    Long from = QueryParameters.epochMillis(params, "from");
    long fromMs = from == null ? Math.max(0, toMs - DEFAULT_RANGE_MS) : from;
    if (toMs <= fromMs) {
      throw ApiError.badRequest("to", "must be after from (" + fromMs + ")");
    }
    if (toMs - fromMs > MAX_RANGE_MS) {
      throw ApiError.badRequest("from", "the range is longer than 32 days; list a shorter one");
    }
    return new VideosRequest(fromMs, toMs);
  }
}
