package org.livemetrics.query;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.livemetrics.schemas.QosMetric;

/**
 * A {@code /v1/events} answer for viewer QoS or broadcast metrics: each metric rolled up over the
 * whole range (its {@link QosMetric.Rollup}: peaks, sums, ratios of sums, merged sketches) for each
 * dimension combination with data.
 */
public record QosEventsResult(List<QosMetric> metrics, List<Totals> data) implements QueryResult {

  public QosEventsResult {
    metrics = List.copyOf(metrics);
    data = List.copyOf(data);
  }

  /** One combination's values, by metric in request order; see {@link QosTimeseriesResult.Point}. */
  public record Totals(Map<String, String> dimensions, Map<QosMetric, Object> totals) {
    public Totals {
      dimensions = Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
      totals = Collections.unmodifiableMap(new LinkedHashMap<>(totals)); // values may be null
    }
  }
}
