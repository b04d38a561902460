package org.livemetrics.query;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.ClientPlatform;
import org.livemetrics.schemas.DidYouMean;
import org.livemetrics.schemas.Dimension;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMetric;

/**
 * A {@code /v1/timeseries} or {@code /v1/events} request for viewer QoS or broadcast metrics
 * ({@link MetricFamily#VIEWER_QOS}, {@link MetricFamily#BROADCAST}), validated.
 *
 * <ul>
 *   <li>{@code dimensions}: optional; one of the family's combinations ({@link
 *       MetricFamily#dimensionSets()}). Without it, every platform (or every channel) is rolled up
 *       into one series. {@code video} alone rolls a video's platforms up.
 *   <li>{@code where}: optional; {@code key==v1,v2;key2==v} on dimensions of the request, as for
 *       the audience metrics. {@code client_platform} values are checked against {@link
 *       ClientPlatform}.
 *   <li>{@code from}, {@code to}, {@code bucket_duration}, {@code bucket_limit}: as for the
 *       audience metrics ({@link QueryRequest}).
 * </ul>
 */
public final class QosRequest implements ApiRequest {
  private final Endpoint endpoint;
  private final String account;
  private final MetricFamily family;
  private final List<Dimension> dimensions;
  private final List<QosMetric> metrics;
  private final Map<Dimension, Set<String>> where;
  private final TimeRange range;
  private final Bucketing bucketing;

  private QosRequest(Endpoint endpoint, String account, MetricFamily family,
      List<Dimension> dimensions, List<QosMetric> metrics, Map<Dimension, List<String>> where,
      TimeRange range, Bucketing bucketing) {
    this.endpoint = endpoint;
    this.account = account;
    this.family = family;
    this.dimensions = List.copyOf(dimensions);
    this.metrics = List.copyOf(metrics);
    EnumMap<Dimension, Set<String>> w = new EnumMap<>(Dimension.class);
    where.forEach((d, v) -> w.put(d, Collections.unmodifiableSet(new LinkedHashSet<>(v))));
    this.where = Collections.unmodifiableMap(w);
    this.range = range;
    this.bucketing = bucketing;
  }

  /**
   * Parses the parameters of a request whose {@code metrics} are QoS or broadcast metrics.
   *
   * @throws QueryException naming the parameter at fault
   */
  static QosRequest parse(Endpoint endpoint, String account, Map<String, String> params,
      Clock clock) {
    RequestParameters.checkParameters(endpoint, params);
    List<QosMetric> metrics = new ArrayList<>();
    for (String item : RequestParameters.required(params, "metrics").split(",", -1)) {
      String name = item.trim();
      QosMetric m = QosMetric.fromApiName(name).orElseThrow(
          () -> new QueryException("metrics", "unknown metric '" + name + "'"
              + DidYouMean.suffix(name, MetricFamily.allMetricNames())));
      if (metrics.contains(m)) {
        throw new QueryException("metrics", name + " is listed twice");
      }
      metrics.add(m);
    }
    Builder b = builder(endpoint, account).metrics(metrics);
    String dims = params.getOrDefault("dimensions", "");
    if (!dims.isBlank()) {
      List<Dimension> dimensions = new ArrayList<>();
      for (String d : dims.split(",", -1)) {
        dimensions.add(Dimension.fromApiName(d.trim()).orElseThrow(() -> new QueryException(
            "dimensions", "unknown dimension '" + d.trim() + "'"
                + DidYouMean.suffix(d.trim(), RequestParameters.dimensionNames()) + "; "
                + b.family().label() + " metrics take " + b.family().dimensionSetsText())));
      }
      b.dimensions(dimensions);
    }
    String where = params.get("where");
    if (where != null) {
      for (Map.Entry<String, List<String>> clause : RequestParameters.parseWhere(where).entrySet()) {
        Dimension d = Dimension.fromApiName(clause.getKey()).orElseThrow(() -> new QueryException(
            "where", "unknown dimension '" + clause.getKey() + "'"
                + DidYouMean.suffix(clause.getKey(), RequestParameters.dimensionNames())
                + "; " + b.family().label()
                + " metrics filter on their dimensions: " + b.family().dimensionSetsText()));
        b.where(d, clause.getValue());
      }
    }
    return b.rangeAndBucketing(params).build(clock);
  }

  public static Builder builder(Endpoint endpoint, String account) {
    return new Builder(endpoint, account);
  }

  /** Collects a request's parts; {@link #build(Clock)} validates them together. */
  public static final class Builder extends RequestBuilder<Builder> {
    private final List<QosMetric> metrics = new ArrayList<>();
    private List<Dimension> dimensions = List.of();
    private final Map<Dimension, List<String>> where = new EnumMap<>(Dimension.class);

    private Builder(Endpoint endpoint, String account) {
      super(endpoint, account);
    }

    @Override
    Builder self() {
      return this;
    }

    /** The metrics to report, in output order; all of one family. */
    public Builder metrics(List<QosMetric> metrics) {
      this.metrics.clear();
      this.metrics.addAll(metrics);
      return this;
    }

    public Builder metrics(QosMetric... metrics) {
      return metrics(Arrays.asList(metrics));
    }

    /** The dimensions of the series; none rolls everything of the family up. */
    public Builder dimensions(List<Dimension> dimensions) {
      this.dimensions = List.copyOf(dimensions);
      return this;
    }

    public Builder where(Dimension dimension, List<String> values) {
      where.put(dimension, List.copyOf(values));
      return this;
    }

    public Builder where(Dimension dimension, String... values) {
      return where(dimension, Arrays.asList(values));
    }

    /** The family of the first metric (the default, viewer QoS, before any). */
    MetricFamily family() {
      return metrics.isEmpty() ? MetricFamily.VIEWER_QOS
          : MetricFamily.of(metrics.get(0).source());
    }

    /** Validates the request; {@code clock} supplies "now" for a missing {@code to}. */
    public QosRequest build(Clock clock) {
      checkAccount();
      if (metrics.isEmpty()) {
        throw new QueryException("metrics", "is required");
      }
      MetricFamily family = family();
      for (QosMetric m : metrics) {
        if (MetricFamily.of(m.source()) != family) {
          throw new QueryException("metrics", "mixes " + family.label() + " metrics ("
              + metrics.get(0).apiName() + ") with " + MetricFamily.of(m.source()).label()
              + " metrics (" + m.apiName() + "); ask for one family per request");
        }
      }
      // In any order, as for the audience metrics; answered in the family's order.
      List<Dimension> asked = dimensions;
      dimensions = family.dimensionSets().stream()
          .filter(set -> set.size() == asked.size() && Set.copyOf(set).equals(Set.copyOf(asked)))
          .findFirst()
          .orElseThrow(() -> new QueryException("dimensions", "'" + asked.stream()
              .map(Dimension::apiName).collect(Collectors.joining(",")) + "' is not a dimension"
              + " combination of " + family.label() + " metrics; use "
              + family.dimensionSetsText() + otherFamiliesDimensions(family, asked)));
      RequestParameters.checkWhere(where, dimensions, "dimensions=" + dimensions.stream()
          .map(Dimension::apiName).collect(Collectors.joining(",")),
          d -> "; " + family.label() + " metrics take " + family.dimensionSetsText());
      TimeRange range = checkedRange(clock);
      return new QosRequest(endpoint, account, family, dimensions, metrics, where, range,
          bucketingOrDefault());
    }
  }

  /** {@code " (country is an audience dimension)"} for asked dimensions of other families only. */
  private static String otherFamiliesDimensions(MetricFamily family, List<Dimension> asked) {
    List<String> notings = new ArrayList<>();
    for (Dimension d : asked) {
      if (family.description().dimensions().contains(d)) {
        continue;
      }
      List<String> labels = Arrays.stream(MetricFamily.values())
          .filter(f -> f.description().dimensions().contains(d)).map(MetricFamily::label).toList();
      if (!labels.isEmpty()) {
        notings.add(d.apiName() + " is a dimension of " + String.join(" and ", labels)
            + " metrics");
      }
    }
    return notings.isEmpty() ? "" : " (" + String.join("; ", notings) + ")";
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

  public MetricFamily family() {
    return family;
  }

  /** The dimensions of the answer's series, as asked (possibly none). */
  public List<Dimension> dimensions() {
    return dimensions;
  }

  public List<QosMetric> metrics() {
    return metrics;
  }

  /** The {@code where} values of {@code d}; empty: all. */
  public Set<String> where(Dimension d) {
    return where.getOrDefault(d, Set.of());
  }

  /** The range, resolved. */
  public TimeRange range() {
    return range;
  }

  public Bucketing bucketing() {
    return bucketing;
  }

  @Override
  public int videoCount() {
    return where(Dimension.VIDEO).size();
  }

  @Override
  public java.util.Optional<String> bucketingParameter() {
    return java.util.Optional.of(bucketing.parameter());
  }

  /**
   * The QoS rows a viewer QoS request reads: those of the stored set the description answers its
   * dimensions from ({client_platform} rows for no dimension, {video, client_platform} rows for
   * {@code video}). Sketches only for percentiles.
   */
  public QosSelection qosSelection() {
    if (family != MetricFamily.VIEWER_QOS) {
      throw new IllegalStateException(family.label() + " metrics read no QoS rows");
    }
    QosDimensionSet set = (QosDimensionSet) family.description().querySet(dimensions)
        .orElseThrow().answeredFrom().handle();
    boolean sketches = metrics.stream().anyMatch(m -> m.rollup() == QosMetric.Rollup.QUANTILE);
    Map<Dimension, Set<String>> values = new EnumMap<>(Dimension.class);
    where.forEach(values::put);
    return new QosSelection(account, set, values, range.fromMinute(), range.toMinute(), sketches);
  }

  /**
   * The broadcast rows a broadcast request reads for a view of {@code visible} channels: those of
   * the scope of its dimensions for every channel; otherwise the channel rows, which the engine
   * rolls up to the request's dimensions (a region or overall row sums channels of any account).
   */
  public BroadcastSelection broadcastSelection(ChannelScope visible) {
    if (family != MetricFamily.BROADCAST) {
      throw new IllegalStateException(family.label() + " metrics read no broadcast rows");
    }
    BroadcastMinute.Scope scope = visible.all()
        ? Arrays.stream(BroadcastMinute.Scope.values())
            .filter(s -> s.dimensions().equals(dimensions)).findFirst().orElseThrow()
        : BroadcastMinute.Scope.CHANNEL;
    return new BroadcastSelection(scope, where(Dimension.REGION), where(Dimension.CHANNEL),
        range.fromMinute(), range.toMinute(), visible);
  }

  @Override
  public String toString() {
    return "/v1/" + endpoint.pathName() + "/accounts/" + account + "?dimensions="
        + dimensions.stream().map(Dimension::apiName).collect(Collectors.joining(","))
        + "&metrics=" + metrics.stream().map(QosMetric::apiName).collect(Collectors.joining(","))
        + where.entrySet().stream().map(e -> e.getKey().apiName() + "==" + String.join(",",
            e.getValue())).collect(Collectors.joining(";", "&where=", ""))
        + "&from=" + range.from() + "&to=" + range.to()
        + (endpoint == Endpoint.TIMESERIES ? "&" + bucketing.parameter() + "=" + bucketing : "");
  }
}
