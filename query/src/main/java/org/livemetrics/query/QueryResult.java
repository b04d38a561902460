package org.livemetrics.query;

import java.util.List;
import org.livemetrics.schemas.Metric;

/**
 * The answer to a {@link QueryRequest}, shaped like the Brightcove response body so that the JSON
 * renderer, the HTTP API and the XLSX report read the same objects. Values are API numbers (see
 * {@link MetricValues#toApi}): {@code Long}, or {@code BigDecimal} seconds.
 */
public sealed interface QueryResult permits TimeseriesResult, EventsResult {
  /** The reported metrics, in request order. */
  List<Metric> metrics();
}
