package org.livemetrics.query;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.livemetrics.schemas.DidYouMean;
import org.livemetrics.schemas.Dimension;
import org.livemetrics.schemas.QosMetric;
import org.livemetrics.schemas.family.AudienceFamily;
import org.livemetrics.schemas.family.BroadcastFamily;
import org.livemetrics.schemas.family.MetricFamilyDescription;
import org.livemetrics.schemas.family.ViewerQosFamily;

/**
 * The three kinds of metric a {@code /v1/timeseries} or {@code /v1/events} request may ask for,
 * each answered from its own rows and with its own dimensions. One request asks for one family:
 * their rows share no dimension combination to put side by side.
 *
 * <p>Names, labels and dimension combinations are read from the families' descriptions ({@link
 * AudienceFamily}, {@link ViewerQosFamily}, {@link BroadcastFamily}).
 */
public enum MetricFamily {
  AUDIENCE(AudienceFamily.DESCRIPTION),
  VIEWER_QOS(ViewerQosFamily.DESCRIPTION),
  BROADCAST(BroadcastFamily.DESCRIPTION);

  private final MetricFamilyDescription description;

  MetricFamily(MetricFamilyDescription description) {
    this.description = description;
  }

  /** The family's description. */
  public MetricFamilyDescription description() {
    return description;
  }

  /** How messages name the family: "viewer QoS". */
  public String label() {
    return description.label();
  }

  /** Its metrics' API names, in catalogue order. */
  public List<String> metricNames() {
    return description.metricNames();
  }

  /** The dimension combinations it answers, in the order {@code dimensions} lists them. */
  public List<List<Dimension>> dimensionSets() {
    return description.queryDimensionSets();
  }

  /** {@code (none) | client_platform | video | video,client_platform}: for messages. */
  public String dimensionSetsText() {
    return description.querySetsText();
  }

  /** The family of the QoS metrics of {@code source}. */
  public static MetricFamily of(QosMetric.Source source) {
    return source == QosMetric.Source.PLAYER ? VIEWER_QOS : BROADCAST;
  }

  /** The family a metric name belongs to. */
  public static Optional<MetricFamily> ofMetric(String name) {
    return Arrays.stream(values()).filter(f -> f.metricNames().contains(name)).findFirst();
  }

  /** Every metric name of every family, in catalogue order. */
  static List<String> allMetricNames() {
    return Stream.of(values()).flatMap(v -> v.metricNames().stream()).toList();
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
          "unknown metric '" + name + "'" + DidYouMean.suffix(name, allMetricNames())
              + "; use any of " + String.join(", ", allMetricNames()) + " (" + byFamily() + ")"));
      if (family == null) {
        family = f;
        first = name;
      } else if (f != family) {
        throw new QueryException("metrics", "mixes " + family.label() + " metrics (" + first
            + ") with " + f.label() + " metrics (" + name + "); ask for one family per request: "
            + byFamily());
      }
    }
    return family;
  }

  private static String byFamily() {
    return Stream.of(values()).map(f -> f.label() + ": " + String.join(", ", f.metricNames()))
        .collect(Collectors.joining("; "));
  }
}
