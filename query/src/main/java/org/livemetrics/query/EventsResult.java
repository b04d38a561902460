package org.livemetrics.query;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.livemetrics.schemas.Metric;

/** A {@code /v1/events} answer: totals over the range for each dimension combination with data. */
public record EventsResult(List<Metric> metrics, List<Totals> data) implements QueryResult {

  public EventsResult {
    metrics = List.copyOf(metrics);
    data = List.copyOf(data);
  }

  /**
   * One combination's totals, keyed by metric in request order: distinct counts over the whole
   * range for {@code ccu} and {@code fingerprint_count}, sums for the others.
   */
  public record Totals(DimensionValues dimensions, Map<Metric, Number> totals) {
    public Totals {
      totals = Collections.unmodifiableMap(new LinkedHashMap<>(totals));
    }
  }
}
