package org.livemetrics.query;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed, validated request to the query layer, whichever endpoint and metric family it is for:
 *
 * <ul>
 *   <li>{@link QueryRequest}: {@code /v1/timeseries} or {@code /v1/events} for audience metrics;
 *   <li>{@link QosRequest}: the same endpoints for viewer QoS or broadcast metrics;
 *   <li>{@link StreamsRequest}: {@code /v1/streams}, the IVS streams of a range.
 * </ul>
 *
 * {@link #parse} picks the kind from the path and the {@code metrics} parameter ({@link
 * MetricFamily}); {@code livemetrics query} and {@code livemetrics serve} both go through it and
 * {@link QueryEngine#execute}.
 */
public sealed interface ApiRequest permits QueryRequest, QosRequest, StreamsRequest {
  Pattern PATH = Pattern.compile("/v1/(?<endpoint>[^/]+)/accounts/(?<account>[^/]+)/?");

  /** The account of the path, decoded. */
  String account();

  /** How many videos its {@code where} filter names (0 where it names none): what a server bounds. */
  int videoCount();

  /**
   * The parameter that decides how many points a timeseries answer holds (its bucketing's), for the
   * message when an answer is too large; empty for a request whose answer has no points.
   */
  Optional<String> bucketingParameter();

  /** Parses {@code /v1/<endpoint>/accounts/<account>?<query>}; the query string is optional. */
  static ApiRequest parse(String uri, Clock clock) {
    int q = uri.indexOf('?');
    return q < 0 ? parse(uri, "", clock) : parse(uri.substring(0, q), uri.substring(q + 1), clock);
  }

  /**
   * Parses a request path and its raw (still URL-encoded) query string.
   *
   * @throws QueryException naming the parameter at fault
   */
  static ApiRequest parse(String path, String rawQuery, Clock clock) {
    Matcher m = PATH.matcher(path);
    if (m.matches() && m.group("endpoint").equals(StreamsRequest.PATH_NAME)) {
      return StreamsRequest.parse(RequestParameters.decode("path", m.group("account")),
          RequestParameters.parseQueryString(rawQuery), clock);
    }
    Map<String, String> params = RequestParameters.parseQueryString(rawQuery);
    String metrics = params.get("metrics");
    if (!m.matches() || metrics == null || metrics.isBlank()
        || MetricFamily.ofMetrics(metrics) == MetricFamily.AUDIENCE) {
      // Audience metrics, and every error the audience parser reports as it always has.
      return QueryRequest.parse(path, rawQuery, clock);
    }
    Endpoint endpoint = Endpoint.fromPathName(m.group("endpoint")).orElseThrow(
        () -> new QueryException("path", "unknown endpoint '/v1/" + m.group("endpoint")
            + "'; use /v1/timeseries, /v1/events or /v1/streams"));
    return QosRequest.parse(endpoint, RequestParameters.decode("path", m.group("account")), params,
        clock);
  }
}
