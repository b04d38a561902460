package org.livemetrics.api;

import java.util.Map;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.query.QueryException;
import org.livemetrics.query.RequestParameters;

/**
 * The query string of the endpoints the query layer does not parse itself (the export, the video
 * listing): decoded as strictly as the query layer's (bad encoding and control characters are a
 * 400 naming the parameter), each parameter known and given once.
 */
final class QueryParameters {
  private QueryParameters() {}

  /** The parameters of {@code rawQuery}, all of them among {@code allowed}. */
  static Map<String, String> parse(@Nullable String rawQuery, Set<String> allowed, String endpoint) {
    Map<String, String> params;
    try {
      params = RequestParameters.parseQueryString(rawQuery == null ? "" : rawQuery);
    } catch (QueryException e) {
      throw ApiError.badRequest(e);
    }
    for (String name : params.keySet()) {
      if (!allowed.contains(name)) {
        throw ApiError.badRequest(name, "unknown parameter; " + endpoint + " takes "
            + String.join(", ", allowed.stream().sorted().toList()));
      }
    }
    return params;
  }

  /** A time parameter in epoch milliseconds, or null when absent. */
  static @Nullable Long epochMillis(Map<String, String> params, String name) {
    String value = params.get(name);
    if (value == null) {
      return null;
    }
    long ms;
    try {
      ms = org.livemetrics.schemas.UtcTime.parse(value); // epoch ms or ISO-8601, as in queries
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(name, e.getMessage());
    }
    if (ms < 0) {
      throw ApiError.badRequest(name, "'" + value + "' is before 1970");
    }
    return ms;
  }
}
