package org.livemetrics.api;

import java.util.Map;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The query of {@code /v1/events/accounts/{account}/videos/{video}/export}: {@code format=xlsx}
 * and optional {@code from}/{@code to} in epoch ms (without them, the whole stream). What the
 * range means is the report's business; this only reads the parameters.
 */
record ExportRequest(String format, @Nullable Long fromMs, @Nullable Long toMs) {
  static final String XLSX = "xlsx";
  private static final Set<String> PARAMETERS = Set.of("format", "from", "to");

  static ExportRequest parse(@Nullable String rawQuery) {
    Map<String, String> params = QueryParameters.parse(rawQuery, PARAMETERS, "the export");
    String format = params.get("format");
    if (format == null || format.isBlank()) {
      throw ApiError.badRequest("format", "is required; use format=xlsx");
    }
    if (!format.equals(XLSX)) {
      throw ApiError.badRequest("format", "'" + format + "' is not supported; use format=xlsx");
    }
    return new ExportRequest(format, QueryParameters.epochMillis(params, "from"),
        QueryParameters.epochMillis(params, "to"));
  }
}
