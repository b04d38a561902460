package org.livemetrics.query;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.livemetrics.schemas.Metric;

/**
 * A {@code /v1/timeseries} answer: for each metric, one series per dimension combination that has
 * data, each with points from its first to its last bucket with data.
 */
public record TimeseriesResult(List<Metric> metrics, Map<Metric, List<Series>> data)
    implements QueryResult {

  public TimeseriesResult {
    metrics = List.copyOf(metrics);
    data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
  }

  /** The series of one requested metric, sorted by video then secondary value. */
  public List<Series> series(Metric metric) {
    return data.getOrDefault(metric, List.of());
  }

  @Override
  public long points() {
    return data.values().stream().flatMap(List::stream).mapToLong(s -> s.points().size()).sum();
  }

  /** One line of the chart: a dimension combination's points for one metric. */
  public record Series(DimensionValues dimensions, List<Point> points) {
    public Series {
      points = List.copyOf(points);
    }
  }

  /**
   * One bucket: its start (epoch ms) and the metric's value in it, the per-minute maximum for
   * {@code ccu} and {@code fingerprint_count}, the sum for the others.
   */
  public record Point(long timestamp, Number value) {}
}
