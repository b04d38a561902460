package org.livemetrics.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.query.QueryException;
import org.livemetrics.query.QueryRequest;

/**
 * The query of {@code /v1/events/accounts/{account}/videos/{video}/export}: {@code format=xlsx}
 * and optional {@code from}/{@code to} in epoch ms (without them, the whole stream). What the
 * range means is the report's business; this only reads the parameters.
 */
record ExportRequest(String format, @Nullable Long fromMs, @Nullable Long toMs) {
  static final String XLSX = "xlsx";
  private static final Set<String> PARAMETERS = Set.of("format", "from", "to");

  static ExportRequest parse(@Nullable String rawQuery) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : (rawQuery == null ? "" : rawQuery).split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String rawName = eq < 0 ? pair : pair.substring(0, eq);
      String name = decode(rawName, rawName);
      String value = eq < 0 ? "" : decode(name, pair.substring(eq + 1));
      if (!PARAMETERS.contains(name)) {
        throw ApiError.badRequest(name, "unknown parameter; the export takes format, from, to");
      }
      if (params.put(name, value) != null) {
        throw ApiError.badRequest(name, "given more than once");
      }
    }
    String format = params.get("format");
    if (format == null || format.isBlank()) {
      throw ApiError.badRequest("format", "is required; use format=xlsx");
    }
    if (!format.equals(XLSX)) {
      throw ApiError.badRequest("format", "'" + format + "' is not supported; use format=xlsx");
    }
    return new ExportRequest(format, epochMillis(params, "from"), epochMillis(params, "to"));
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

  /** Strict, as the query layer decodes: bad encoding and control characters are a 400. */
  private static String decode(String parameter, String s) {
    try {
      return QueryRequest.decode(parameter, s);
    } catch (QueryException e) {
      throw ApiError.badRequest(e);
    }
  }
}
