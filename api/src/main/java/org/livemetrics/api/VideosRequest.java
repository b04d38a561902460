package org.livemetrics.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
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
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : (rawQuery == null ? "" : rawQuery).split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode("query", eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(name, pair.substring(eq + 1));
      if (!PARAMETERS.contains(name)) {
        throw ApiError.badRequest(name, "unknown parameter; the video listing takes from, to");
      }
      if (params.put(name, value) != null) {
        throw ApiError.badRequest(name, "given more than once");
      }
    }
    Long to = epochMillis(params, "to");
    long toMs = to == null ? clock.millis() : to;
    Long from = epochMillis(params, "from");
    long fromMs = from == null ? Math.max(0, toMs - DEFAULT_RANGE_MS) : from;
    if (toMs <= fromMs) {
      throw ApiError.badRequest("to", "must be after from (" + fromMs + ")");
    }
    if (toMs - fromMs > MAX_RANGE_MS) {
      throw ApiError.badRequest("from", "the range is longer than 32 days; list a shorter one");
    }
    return new VideosRequest(fromMs, toMs);
  }

  private static @Nullable Long epochMillis(Map<String, String> params, String name) {
    String value = params.get(name);
    if (value == null) {
      return null;
    }
    try {
      long ms = Long.parseLong(value.trim());
      if (ms >= 0) {
        return ms;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiError.badRequest(name, "'" + value + "' is not a time in epoch milliseconds");
  }

  private static String decode(String parameter, String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(parameter, "malformed URL encoding in '" + s + "'");
    }
  }
}
