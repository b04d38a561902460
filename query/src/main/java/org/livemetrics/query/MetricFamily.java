package org.livemetrics.query;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.Dimension;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.Metric;
import org.livemetrics.schemas.QosMetric;

/**
 * The three kinds of metric a {@code /v1/timeseries} or {@code /v1/events} request may ask for,
 * each answered from its own rows and with its own dimensions. One request asks for one family:
 * their rows share no dimension combination to put side by side.
 *
 * <ul>
 *   <li>{@link #AUDIENCE}: {@link Metric}, from the minute aggregates; dimensions {@code video},
 *       {@code video,country}, {@code video,device_type}.
 *   <li>{@link #VIEWER_QOS}: {@link QosMetric}s of {@link QosMetric.Source#PLAYER}, from the QoS
 *       minutes; dimensions none (every platform rolled up), {@code client_platform}, {@code
 *       video}, {@code video,client_platform}.
 *   <li>{@link #BROADCAST}: {@link QosMetric}s of {@link QosMetric.Source#BROADCAST}, from the
 *       broadcast minutes; dimensions none (every channel), {@code region}, {@code
 *       region,channel}.
 * </ul>
 */
public enum MetricFamily {
  AUDIENCE("audience",
      Arrays.stream(Metric.values()).map(Metric::apiName).toList(),
      Arrays.stream(DimensionSet.values()).map(DimensionSet::dimensions).toList()),
  VIEWER_QOS("viewer QoS", qosNames(QosMetric.Source.PLAYER),
      List.of(List.of(), List.of(Dimension.CLIENT_PLATFORM), List.of(Dimension.VIDEO),
          List.of(Dimension.VIDEO, Dimension.CLIENT_PLATFORM))),
  BROADCAST("broadcast", qosNames(QosMetric.Source.BROADCAST),
      Arrays.stream(BroadcastMinute.Scope.values()).map(BroadcastMinute.Scope::dimensions)
          .toList());

  private final String label;
  private final List<String> metricNames;
  private final List<List<Dimension>> dimensionSets;

  MetricFamily(String label, List<String> metricNames, List<List<Dimension>> dimensionSets) {
    this.label = label;
    this.metricNames = metricNames;
    this.dimensionSets = dimensionSets;
  }

  /** How messages name the family: "viewer QoS". */
  public String label() {
    return label;
  }

  /** Its metrics' API names, in catalogue order. */
  public List<String> metricNames() {
    return metricNames;
  }

  /** The dimension combinations it answers, in the order {@code dimensions} lists them. */
  public List<List<Dimension>> dimensionSets() {
    return dimensionSets;
  }

  /** {@code (none), client_platform, video, video,client_platform}: for messages. */
  public String dimensionSetsText() {
    return dimensionSets.stream()
        .map(set -> set.isEmpty() ? "(none)"
            : set.stream().map(Dimension::apiName).collect(Collectors.joining(",")))
        .collect(Collectors.joining(" | "));
  }

  /** The family of the QoS metrics of {@code source}. */
  public static MetricFamily of(QosMetric.Source source) {
    return source == QosMetric.Source.PLAYER ? VIEWER_QOS : BROADCAST;
  }

  /** The family a metric name belongs to. */
  public static Optional<MetricFamily> ofMetric(String name) {
    return Arrays.stream(values()).filter(f -> f.metricNames.contains(name)).findFirst();
  }

  /**
   * The one family of a {@code metrics} parameter.
   *
   * @throws QueryException naming {@code metrics}: an unknown name (listing every valid one, by
   *     family), or names of two families (listing each family's)
   */
  public static MetricFamily ofMetrics(String metricsParameter) {
    MetricFamily family = null;
    String first = null;
    for (String item : metricsParameter.split(",", -1)) {
      String name = item.trim();
      MetricFamily f = ofMetric(name).orElseThrow(() -> new QueryException("metrics",
          "unknown metric '" + name + "'" + org.livemetrics.schemas.DidYouMean.suffix(name,
              Stream.of(values()).flatMap(v -> v.metricNames.stream()).toList())
              + "; use any of " + String.join(", ",
              Stream.of(values()).flatMap(v -> v.metricNames.stream()).toList())
              + " (" + byFamily() + ")"));
      if (family == null) {
        family = f;
        first = name;
      } else if (f != family) {
        throw new QueryException("metrics", "mixes " + family.label + " metrics (" + first
            + ") with " + f.label + " metrics (" + name + "); ask for one family per request: "
            + byFamily());
      }
    }
    return family;
  }

  private static String byFamily() {
    return Stream.of(values()).map(f -> f.label + ": " + String.join(", ", f.metricNames))
        .collect(Collectors.joining("; "));
  }

  private static List<String> qosNames(QosMetric.Source source) {
    return Arrays.stream(QosMetric.values()).filter(m -> m.source() == source)
        .map(QosMetric::apiName).toList();
  }
}
