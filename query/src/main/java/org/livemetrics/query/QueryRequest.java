package org.livemetrics.query;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.DidYouMean;
import org.livemetrics.schemas.UtcTime;
import org.livemetrics.schemas.DeviceType;
import org.livemetrics.schemas.Dimension;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.Metric;
import org.livemetrics.schemas.family.AudienceFamily;
import org.livemetrics.schemas.family.MetricFamilyDescription;

/**
 * A parsed, validated Live Analytics query: which endpoint, account, dimension set, metrics,
 * filter, minute range and (for timeseries) bucketing. Build one with {@link #parse(String, Clock)} from a
 * request URI, or with {@link #builder} from code (the XLSX report); both validate the same way and
 * throw {@link QueryException} naming the parameter at fault.
 *
 * <p>The range covers the minutes {@code floor(from / 60000)} through {@code floor(to / 60000)},
 * inclusive; {@code to} defaults to now and {@code from} to {@code to} minus 32 days, as in the
 * Brightcove API. "Now" comes from the clock given at parse time so answers are reproducible.
 */
public final class QueryRequest implements ApiRequest {
  public static final Duration DEFAULT_RANGE = Duration.ofDays(32);
  public static final long MINUTE_MS = 60_000L;

  private static final List<String> COMMON_PARAMETERS =
      List.of("dimensions", "metrics", "where", "from", "to");
  private static final List<String> TIMESERIES_PARAMETERS =
      List.of(Bucketing.DURATION_PARAMETER, Bucketing.LIMIT_PARAMETER);

  private final Endpoint endpoint;
  private final String account;
  private final DimensionSet dimensionSet;
  private final List<Metric> metrics;
  private final Set<String> videos;
  private final Set<String> secondaryValues;
  private final OptionalLong explicitFrom;
  private final long from;
  private final long to;
  private final Bucketing bucketing;

  private QueryRequest(Builder b, long from, long to) {
    this.endpoint = b.endpoint;
    this.account = b.account;
    this.dimensionSet = Objects.requireNonNull(b.dimensionSet);
    this.metrics = List.copyOf(b.metrics);
    this.videos = Collections.unmodifiableSet(new LinkedHashSet<>(b.where.get(Dimension.VIDEO)));
    Set<String> secondary =
        dimensionSet.secondary().map(b.where::get).orElse(null);
    this.secondaryValues =
        secondary == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(secondary));
    this.explicitFrom = b.from;
    this.from = from;
    this.to = to;
    this.bucketing = b.bucketing == null ? Bucketing.ONE_MINUTE : b.bucketing;
  }

  // ---------------------------------------------------------------------------------------------
  // Parsing

  /** Parses {@code /v1/<endpoint>/accounts/<account>?<query>}; the query string is optional. */
  public static QueryRequest parse(String uri, Clock clock) {
    int q = uri.indexOf('?');
    return q < 0 ? parse(uri, "", clock) : parse(uri.substring(0, q), uri.substring(q + 1), clock);
  }

  /** Parses a request path and its raw (still URL-encoded) query string. */
  public static QueryRequest parse(String path, String rawQuery, Clock clock) {
    Matcher m = PATH.matcher(path);
    if (!m.matches()) {
      throw new QueryException("path", "unknown endpoint '" + path
          + "'; use /v1/timeseries/accounts/<account>, /v1/events/accounts/<account> or"
          + " /v1/streams/accounts/<account>");
    }
    Endpoint endpoint = Endpoint.fromPathName(m.group("endpoint")).orElseThrow(
        () -> new QueryException("path", "unknown endpoint '/v1/" + m.group("endpoint")
            + "'; use /v1/timeseries, /v1/events or /v1/streams"));
    String account = decode("path", m.group("account"));

    Map<String, String> params = parseQueryString(rawQuery);
    checkParameters(endpoint, params);

    Builder b = builder(endpoint, account);
    b.dimensions(parseDimensions(required(params, "dimensions")));
    b.metrics(parseMetrics(required(params, "metrics")));
    for (Map.Entry<String, List<String>> clause
        : parseWhere(required(params, "where")).entrySet()) {
      String key = clause.getKey();
      Dimension dimension = Dimension.fromApiName(key).orElseThrow(() -> new QueryException(
          "where", "unknown dimension '" + key + "'" + DidYouMean.suffix(key, dimensionNames())
              + "; filter on " + AUDIENCE.dimensions().stream().map(Dimension::apiName)
                  .collect(Collectors.joining(", "))));
      b.where(dimension, clause.getValue().toArray(new String[0]));
    }
    if (params.containsKey("from")) {
      b.from(parseEpochMillis("from", params.get("from")));
    }
    if (params.containsKey("to")) {
      b.to(parseEpochMillis("to", params.get("to")));
    }
    Bucketing bucketing = parseBucketing(params);
    if (bucketing != null) {
      b.bucketing(bucketing);
    }
    return b.build(clock);
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

  static String required(Map<String, String> params, String name) {
    String v = params.get(name);
    if (v == null || v.isBlank()) {
      throw new QueryException(name, "is required");
    }
    return v;
  }

  static DimensionSet parseDimensions(String value) {
    for (String d : value.split(",", -1)) {
      if (Dimension.fromApiName(d.trim()).isEmpty()) {
        throw new QueryException("dimensions", "unknown dimension '" + d.trim() + "'"
            + DidYouMean.suffix(d.trim(), dimensionNames()) + "; use " + supportedDimensionSets());
      }
    }
    return DimensionSet.fromApiName(value).orElseThrow(() -> new QueryException("dimensions",
        "'" + value + "' is not a supported combination of audience metrics; use "
            + supportedDimensionSets() + otherFamilies(value)));
  }

  /**
   * For dimensions of another family (asked with audience metrics, or without metrics): which
   * family takes them, and its dimensions, so the error leads to the right request.
   */
  private static String otherFamilies(String value) {
    StringBuilder b = new StringBuilder();
    for (MetricFamily f : MetricFamily.values()) {
      if (f == MetricFamily.AUDIENCE) {
        continue;
      }
      boolean takes = Arrays.stream(value.split(",", -1)).map(String::trim).anyMatch(d ->
          f.dimensionSets().stream().anyMatch(set -> set.stream().anyMatch(x -> x.apiName().equals(d))));
      if (takes) {
        b.append("; ").append(f.label()).append(" metrics (").append(String.join(", ",
            f.metricNames().subList(0, Math.min(3, f.metricNames().size())))).append(", …) take ")
            .append(f.dimensionSetsText());
      }
    }
    return b.toString();
  }

  /** The audience metrics' description: their names and dimension sets. */
  private static final MetricFamilyDescription AUDIENCE = AudienceFamily.DESCRIPTION;

  /** Every dimension's API name, for "did you mean". */
  static List<String> dimensionNames() {
    return Arrays.stream(Dimension.values()).map(Dimension::apiName).toList();
  }

  private static String supportedDimensionSets() {
    return AUDIENCE.querySets().stream().map(MetricFamilyDescription.QuerySet::id)
        .collect(Collectors.joining(" or "));
  }

  static List<Metric> parseMetrics(String value) {
    List<Metric> metrics = new ArrayList<>();
    for (String item : value.split(",", -1)) {
      String name = item.trim();
      Metric metric = Metric.fromApiName(name).orElseThrow(() -> new QueryException("metrics",
          "unknown metric '" + name + "'" + DidYouMean.suffix(name, AUDIENCE.metricNames())
              + "; use any of " + String.join(", ", AUDIENCE.metricNames())));
      if (metrics.contains(metric)) {
        throw new QueryException("metrics", name + " is listed twice");
      }
      metrics.add(metric);
    }
    return metrics;
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


  // ---------------------------------------------------------------------------------------------
  // Building

  public static Builder builder(Endpoint endpoint, String account) {
    return new Builder(endpoint, account);
  }

  /** Collects a request's parts; {@link #build(Clock)} validates them together. */
  public static final class Builder {
    private final Endpoint endpoint;
    private final String account;
    private @Nullable DimensionSet dimensionSet;
    private final List<Metric> metrics = new ArrayList<>();
    private final Map<Dimension, Set<String>> where = new EnumMap<>(Dimension.class);
    private OptionalLong from = OptionalLong.empty();
    private OptionalLong to = OptionalLong.empty();
    private @Nullable Bucketing bucketing;

    private Builder(Endpoint endpoint, String account) {
      this.endpoint = Objects.requireNonNull(endpoint);
      this.account = Objects.requireNonNull(account);
    }

    public Builder dimensions(DimensionSet set) {
      this.dimensionSet = set;
      return this;
    }

    /** The metrics to report, in output order. */
    public Builder metrics(List<Metric> metrics) {
      this.metrics.clear();
      this.metrics.addAll(metrics);
      return this;
    }

    public Builder metrics(Metric... metrics) {
      return metrics(Arrays.asList(metrics));
    }

    /** Keeps only rows whose {@code dimension} is one of {@code values}; replaces earlier ones. */
    public Builder where(Dimension dimension, String... values) {
      where.put(dimension, new LinkedHashSet<>(Arrays.asList(values)));
      return this;
    }

    public Builder from(long epochMillis) {
      this.from = OptionalLong.of(epochMillis);
      return this;
    }

    public Builder to(long epochMillis) {
      this.to = OptionalLong.of(epochMillis);
      return this;
    }

    /** Timeseries only; without it, one-minute buckets. */
    public Builder bucketing(Bucketing bucketing) {
      this.bucketing = bucketing;
      return this;
    }

    /** Validates the request; {@code clock} supplies "now" for a missing {@code to}. */
    public QueryRequest build(Clock clock) {
      if (account.isBlank()) {
        throw new QueryException("path", "the account is empty");
      }
      if (dimensionSet == null) {
        throw new QueryException("dimensions", "is required; use " + supportedDimensionSets());
      }
      if (metrics.isEmpty()) {
        throw new QueryException("metrics", "is required");
      }
      if (new LinkedHashSet<>(metrics).size() != metrics.size()) {
        throw new QueryException("metrics", "lists a metric twice");
      }
      for (Map.Entry<Dimension, Set<String>> e : where.entrySet()) {
        Dimension d = e.getKey();
        if (!dimensionSet.contains(d)) {
          throw new QueryException("where", "filters on " + d.apiName()
              + ", which is not a dimension of this query (dimensions=" + dimensionSet.id()
              + "); add it to dimensions, e.g. dimensions=video," + d.apiName());
        }
        if (e.getValue().isEmpty() || e.getValue().stream().anyMatch(String::isBlank)) {
          throw new QueryException("where", "needs at least one non-empty value for "
              + d.apiName());
        }
        if (d == Dimension.DEVICE_TYPE) {
          Set<String> known = Arrays.stream(DeviceType.values()).map(DeviceType::apiName)
              .collect(Collectors.toCollection(LinkedHashSet::new));
          for (String v : e.getValue()) {
            if (!known.contains(v)) {
              throw new QueryException("where", "unknown device_type '" + v + "'; use any of "
                  + String.join(", ", known));
            }
          }
        }
      }
      if (!where.containsKey(Dimension.VIDEO)) {
        throw new QueryException("where", "must include at least one video, e.g. video==5555");
      }
      if (bucketing != null && endpoint != Endpoint.TIMESERIES) {
        throw new QueryException(bucketing.parameter(), "only /v1/timeseries takes it");
      }
      TimeRange range = TimeRange.resolve(from, to, clock);
      return new QueryRequest(this, range.from(), range.to());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Accessors

  public Endpoint endpoint() {
    return endpoint;
  }

  @Override
  public String account() {
    return account;
  }

  public DimensionSet dimensionSet() {
    return dimensionSet;
  }

  /** The requested metrics, in request (and output) order. */
  public List<Metric> metrics() {
    return metrics;
  }

  /** The videos of the {@code where} filter; never empty. */
  public Set<String> videos() {
    return videos;
  }

  /** The {@code where} values of the secondary dimension (country or device_type); empty: all. */
  public Set<String> secondaryValues() {
    return secondaryValues;
  }

  /** {@code from} as given; empty when it defaulted (timeseries then align on the first data). */
  public OptionalLong explicitFrom() {
    return explicitFrom;
  }

  /** The range start in epoch ms, given or defaulted. */
  public long from() {
    return from;
  }

  /** The range end in epoch ms, given or defaulted to now. */
  public long to() {
    return to;
  }

  /** Start of the first minute in range. */
  public long fromMinute() {
    return TimeRange.minuteOf(from);
  }

  /** Start of the last minute in range (inclusive). */
  public long toMinute() {
    return TimeRange.minuteOf(to);
  }

  /** The timeseries bucketing; one minute unless the request chose otherwise. */
  public Bucketing bucketing() {
    return bucketing;
  }

  @Override
  public int videoCount() {
    return videos.size();
  }

  @Override
  public java.util.Optional<String> bucketingParameter() {
    return java.util.Optional.of(bucketing.parameter());
  }

  /** The stored rows this request reads. */
  public AggregateSelection selection() {
    boolean needsSketches = endpoint == Endpoint.EVENTS
        && metrics.stream().anyMatch(m -> m.aggregation() == Metric.Aggregation.DISTINCT);
    return new AggregateSelection(account, dimensionSet, videos, secondaryValues, fromMinute(),
        toMinute(), needsSketches);
  }

  @Override
  public String toString() {
    return "/v1/" + endpoint.pathName() + "/accounts/" + account + "?dimensions="
        + dimensionSet.id() + "&metrics="
        + metrics.stream().map(Metric::apiName).collect(Collectors.joining(","))
        + "&where=video==" + String.join(",", videos)
        + dimensionSet.secondary().filter(d -> !secondaryValues.isEmpty())
            .map(d -> ";" + d.apiName() + "==" + String.join(",", secondaryValues)).orElse("")
        + "&from=" + from + "&to=" + to
        + (endpoint == Endpoint.TIMESERIES
            ? "&" + bucketing.parameter() + "=" + bucketing : "");
  }
}
