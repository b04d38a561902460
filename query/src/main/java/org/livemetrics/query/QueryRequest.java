package org.livemetrics.query;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
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
    this.bucketing = b.bucketingOrDefault();
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
    String account = RequestParameters.decode("path", m.group("account"));

    Map<String, String> params = RequestParameters.parseQueryString(rawQuery);
    RequestParameters.checkParameters(endpoint, params);

    Builder b = builder(endpoint, account);
    b.dimensions(parseDimensions(RequestParameters.required(params, "dimensions")));
    b.metrics(parseMetrics(RequestParameters.required(params, "metrics")));
    for (Map.Entry<String, List<String>> clause : RequestParameters.parseWhere(
        RequestParameters.required(params, "where")).entrySet()) {
      String key = clause.getKey();
      Dimension dimension = Dimension.fromApiName(key).orElseThrow(() -> new QueryException(
          "where", "unknown dimension '" + key + "'"
              + DidYouMean.suffix(key, RequestParameters.dimensionNames())
              + "; filter on " + AUDIENCE.dimensions().stream().map(Dimension::apiName)
                  .collect(Collectors.joining(", "))));
      b.where(dimension, clause.getValue().toArray(new String[0]));
    }
    return b.rangeAndBucketing(params).build(clock);
  }

  static DimensionSet parseDimensions(String value) {
    for (String d : value.split(",", -1)) {
      if (Dimension.fromApiName(d.trim()).isEmpty()) {
        throw new QueryException("dimensions", "unknown dimension '" + d.trim() + "'"
            + DidYouMean.suffix(d.trim(), RequestParameters.dimensionNames()) + "; use " + supportedDimensionSets());
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

  // ---------------------------------------------------------------------------------------------
  // Building

  public static Builder builder(Endpoint endpoint, String account) {
    return new Builder(endpoint, account);
  }

  /** Collects a request's parts; {@link #build(Clock)} validates them together. */
  public static final class Builder extends RequestBuilder<Builder> {
    private @Nullable DimensionSet dimensionSet;
    private final List<Metric> metrics = new ArrayList<>();
    private final Map<Dimension, Set<String>> where = new EnumMap<>(Dimension.class);

    private Builder(Endpoint endpoint, String account) {
      super(endpoint, account);
    }

    @Override
    Builder self() {
      return this;
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

    /** Validates the request; {@code clock} supplies "now" for a missing {@code to}. */
    public QueryRequest build(Clock clock) {
      checkAccount();
      if (dimensionSet == null) {
        throw new QueryException("dimensions", "is required; use " + supportedDimensionSets());
      }
      if (metrics.isEmpty()) {
        throw new QueryException("metrics", "is required");
      }
      if (new LinkedHashSet<>(metrics).size() != metrics.size()) {
        throw new QueryException("metrics", "lists a metric twice");
      }
      RequestParameters.checkWhere(where, dimensionSet.dimensions(),
          "dimensions=" + dimensionSet.id(), d -> ", e.g. dimensions=video," + d.apiName());
      if (!where.containsKey(Dimension.VIDEO)) {
        throw new QueryException("where", "must include at least one video, e.g. video==5555");
      }
      TimeRange range = checkedRange(clock);
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
