package org.livemetrics.query;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.QosMetric;

/**
 * A {@code /v1/timeseries} answer for viewer QoS or broadcast metrics, shaped like {@link
 * TimeseriesResult}: for each metric one series per dimension combination with data, each with
 * points from its first to its last bucket with data.
 */
public record QosTimeseriesResult(List<QosMetric> metrics, Map<QosMetric, List<Series>> data)
    implements QueryResult {

  public QosTimeseriesResult {
    metrics = List.copyOf(metrics);
    data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
  }

  public List<Series> series(QosMetric metric) {
    return data.getOrDefault(metric, List.of());
  }

  @Override
  public long points() {
    return data.values().stream().flatMap(List::stream).mapToLong(s -> s.points().size()).sum();
  }

  /**
   * One line of the chart.
   *
   * @param dimensions the {@code "dimensions"} object: {@code account} then the requested
   *     dimensions for viewer QoS; the requested dimensions only for broadcast (its rows have no
   *     account)
   */
  public record Series(Map<String, String> dimensions, List<Point> points) {
    public Series {
      dimensions = Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
      points = List.copyOf(points);
    }
  }

  /**
   * One bucket.
   *
   * @param value a {@code Number} ({@link MetricValues#toApi(QosMetric, org.livemetrics.schemas
   *     .family.FamilyRollup)}), null when the bucket has no data for the metric (a ratio, mean or
   *     percentile of nothing), or for {@code rendition_seconds_played} a map from rendition name
   *     to seconds
   */
  public record Point(long timestamp, @Nullable Object value) {}
}
