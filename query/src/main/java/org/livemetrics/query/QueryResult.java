package org.livemetrics.query;

/**
 * The answer to an {@link ApiRequest}, shaped like the Brightcove response body so that the JSON
 * renderer, the HTTP API and the XLSX report read the same objects: audience timeseries and events
 * ({@link TimeseriesResult}, {@link EventsResult}, values {@code Long} or {@code BigDecimal}
 * seconds, see {@link MetricValues#toApi}), the same for QoS and broadcast metrics ({@link
 * QosTimeseriesResult}, {@link QosEventsResult}), and the stream listing ({@link StreamsResult}).
 */
public sealed interface QueryResult
    permits TimeseriesResult, EventsResult, QosTimeseriesResult, QosEventsResult, StreamsResult {
  /** Every point of every series of a timeseries answer (0 for others): what a size limit counts. */
  default long points() {
    return 0;
  }
}
