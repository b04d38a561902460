package org.livemetrics.query;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.Dimension;
import org.livemetrics.schemas.UtcTime;

/**
 * The parameters of a query-layer request as every endpoint and family reads them: the query
 * string decoded strictly, the {@code where} syntax, times, bucketing, and the checks of a filter
 * that do not depend on the family ({@link #checkWhere}). Each request type ({@link QueryRequest},
 * {@link QosRequest}, {@link StreamsRequest}) says which parameters it takes and what they mean.
 */
public final class RequestParameters {
  private static final List<String> COMMON_PARAMETERS =
      List.of("dimensions", "metrics", "where", "from", "to");
  private static final List<String> TIMESERIES_PARAMETERS =
      List.of(Bucketing.DURATION_PARAMETER, Bucketing.LIMIT_PARAMETER);

  private RequestParameters() {}

  /**
   * A query string's parameters, each decoded strictly ({@link #decode}) and given once; the
   * callers check which names they take.
   */
  public static Map<String, String> parseQueryString(String rawQuery) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String rawName = eq < 0 ? pair : pair.substring(0, eq);
      // A name that does not decode is named as it was sent.
      String name = decode(rawName, rawName);
      String value = eq < 0 ? "" : decode(name, pair.substring(eq + 1));
      if (params.put(name, value) != null) {
        throw new QueryException(name, "given more than once");
      }
    }
    return params;
  }


  /**
   * Decodes a URL-encoded path segment or query component ({@code +} is a space) strictly: bad
   * percent-encoding, bytes that are not UTF-8 and control characters (U+0000-U+001F,
   * U+007F-U+009F, {@code %00} among them) are refused naming {@code parameter}, so no value
   * reaches a filter with a character the stored values cannot have ({@code video==5555%00} is not
   * 5555).
   */
  public static String decode(String parameter, String s) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
        int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          throw new QueryException(parameter, "malformed URL encoding at character " + (i + 1)
              + ": '%' must be followed by two hex digits");
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else if (c == '+') {
        bytes.write(' ');
      } else {
        int end = i + 1; // a run of literal characters, encoded whole (surrogate pairs)
        while (end < s.length() && s.charAt(end) != '%' && s.charAt(end) != '+') {
          end++;
        }
        bytes.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
        i = end - 1;
      }
    }
    String decoded;
    try {
      decoded = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new QueryException(parameter, "malformed URL encoding: the bytes are not UTF-8");
    }
    for (int i = 0; i < decoded.length(); i++) {
      if (Character.isISOControl(decoded.charAt(i))) {
        throw new QueryException(parameter, String.format("contains the control character U+%04X"
            + " at character %d; control characters are not allowed", (int) decoded.charAt(i),
            i + 1));
      }
    }
    return decoded;
  }


  /** The value of parameter {@code name}, refused when missing or blank. */
  static String required(Map<String, String> params, String name) {
    String v = params.get(name);
    if (v == null || v.isBlank()) {
      throw new QueryException(name, "is required");
    }
    return v;
  }


  /** Refuses parameters {@code endpoint} does not take, naming those it does. */
  static void checkParameters(Endpoint endpoint, Map<String, String> params) {
    List<String> allowed = new ArrayList<>(COMMON_PARAMETERS);
    if (endpoint == Endpoint.TIMESERIES) {
      allowed.addAll(TIMESERIES_PARAMETERS);
    }
    for (String name : params.keySet()) {
      if (!allowed.contains(name)) {
        String hint = TIMESERIES_PARAMETERS.contains(name)
            ? "only /v1/timeseries takes it"
            : "unknown parameter";
        throw new QueryException(name, hint + "; /v1/" + endpoint.pathName() + " takes "
            + String.join(", ", allowed));
      }
    }
  }


  /** {@code bucket_duration} or {@code bucket_limit} (not both), or null for the default. */
  static @Nullable Bucketing parseBucketing(Map<String, String> params) {
    String duration = params.get(Bucketing.DURATION_PARAMETER);
    String limit = params.get(Bucketing.LIMIT_PARAMETER);
    if (duration != null && limit != null) {
      throw new QueryException(Bucketing.LIMIT_PARAMETER,
          "use either bucket_duration or bucket_limit, not both");
    }
    if (duration != null) {
      return Bucketing.parseDuration(duration);
    }
    return limit == null ? null : Bucketing.parseLimit(limit);
  }


  static long parseEpochMillis(String parameter, String value) {
    // An extension to the Brightcove API, which takes epoch ms only: the ISO-8601 forms every
    // livemetrics command takes are accepted too (UtcTime).
    long ms;
    try {
      ms = UtcTime.parse(value);
    } catch (IllegalArgumentException e) {
      throw new QueryException(parameter, e.getMessage());
    }
    if (ms < 0) {
      throw new QueryException(parameter, "'" + value + "' is before 1970");
    }
    return ms;
  }



  /**
   * {@code key==v1,v2;key2==v}, as key to values in the order given. Which keys are allowed is for
   * the caller to check; a key given twice or an empty value is refused here.
   */
  static Map<String, List<String>> parseWhere(String value) {
    Map<String, List<String>> where = new LinkedHashMap<>();
    for (String clause : value.split(";")) {
      if (clause.isBlank()) {
        continue;
      }
      int eq = clause.indexOf("==");
      if (eq < 0) {
        throw new QueryException("where",
            "'" + clause + "' is not <dimension>==<value>[,<value>...]");
      }
      String key = clause.substring(0, eq).trim();
      if (where.containsKey(key)) {
        throw new QueryException("where", key + " is filtered twice; list its values once: "
            + key + "==<value>,<value>");
      }
      List<String> values = new ArrayList<>();
      for (String v : clause.substring(eq + 2).split(",", -1)) {
        if (v.isBlank()) {
          throw new QueryException("where", "empty value in '" + clause + "'");
        }
        values.add(v.trim());
      }
      where.put(key, values);
    }
    return where;
  }


  /** Every dimension's API name, for "did you mean". */
  static List<String> dimensionNames() {
    return Arrays.stream(Dimension.values()).map(Dimension::apiName).toList();
  }

  /** The epoch ms of parameter {@code name}, if given. */
  static OptionalLong epochMillis(Map<String, String> params, String name) {
    return params.containsKey(name)
        ? OptionalLong.of(parseEpochMillis(name, params.get(name))) : OptionalLong.empty();
  }

  /**
   * Checks a request's {@code where} filter against the dimensions of its answer: each filtered
   * dimension must be one of them, with at least one non-empty value, and a dimension whose stored
   * values are a closed vocabulary ({@link Dimension#closedValues}) takes only those.
   *
   * @param dimensionsText how the request's dimensions are named in the message ({@code
   *     dimensions=video,country})
   * @param addHint what the message suggests after "add it to dimensions"
   */
  static void checkWhere(Map<Dimension, ? extends Collection<String>> where,
      Collection<Dimension> dimensions, String dimensionsText,
      java.util.function.Function<Dimension, String> addHint) {
    for (Map.Entry<Dimension, ? extends Collection<String>> e : where.entrySet()) {
      Dimension d = e.getKey();
      if (!dimensions.contains(d)) {
        throw new QueryException("where", "filters on " + d.apiName()
            + ", which is not a dimension of this query (" + dimensionsText
            + "); add it to dimensions" + addHint.apply(d));
      }
      if (e.getValue().isEmpty() || e.getValue().stream().anyMatch(String::isBlank)) {
        throw new QueryException("where", "needs at least one non-empty value for "
            + d.apiName());
      }
      List<String> known = d.closedValues();
      if (!known.isEmpty()) {
        for (String v : e.getValue()) {
          if (!known.contains(v)) {
            throw new QueryException("where", "unknown " + d.apiName() + " '" + v
                + "'; use any of " + String.join(", ", known));
          }
        }
      }
    }
  }
}
