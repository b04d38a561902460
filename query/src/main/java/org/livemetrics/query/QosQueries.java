package org.livemetrics.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.Dimension;
import org.livemetrics.schemas.QosMetric;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.schemas.family.BroadcastFamily;
import org.livemetrics.schemas.family.FamilyRollup;
import org.livemetrics.schemas.family.ViewerQosFamily;
import org.livemetrics.schemas.StreamSession;

/**
 * How {@link QueryEngine} answers viewer QoS and broadcast requests ({@link QosRequest}) and stream
 * listings ({@link StreamsRequest}).
 *
 * <ul>
 *   <li>The rows of each series (a combination of the requested dimensions' values) are grouped by
 *       bucket, and each bucket's rows are combined as the family's description declares each
 *       metric's roll-up ({@link FamilyRollup}): peaks of per-minute sums (sessions, live
 *       channels), sums, ratios of sums (Σ buffering / Σ (playing + buffering)), Σ sum / Σ count,
 *       and percentiles of the union of the rows' KLL sketches, never an average of percentiles.
 *   <li>Timeseries buckets follow the audience metrics' grid ({@link QueryEngine}): from {@code
 *       from} floored to the minute, or from the first minute with data; each series runs from its
 *       first to its last bucket with data, and an empty bucket between reports counts of 0 and no
 *       value (null) for ratios, means and percentiles. Events roll each series up over the range.
 *   <li>Rows are held per series until the grid is known, so memory grows with the rows read (the
 *       sketches are small while a minute holds few values: 8 bytes a value up to 300).
 * </ul>
 */
final class QosQueries {
  private static final long MINUTE_MS = QueryRequest.MINUTE_MS;

  private final AggregateStore store;
  private final int maxPointsPerSeries;

  QosQueries(AggregateStore store, int maxPointsPerSeries) {
    this.store = store;
    this.maxPointsPerSeries = maxPointsPerSeries;
  }

  /** @param visible the channels the path account may see (broadcast requests only) */
  QueryResult execute(QosRequest request, ChannelScope visible) throws IOException {
    if (request.family() == MetricFamily.VIEWER_QOS) {
      QosSelection selection = request.qosSelection();
      return this.<QosMinute>answer(request,
          sink -> store.readQos(selection, row -> {
            if (selection.matches(row)) {
              sink.accept(row);
            }
          }),
          row -> row.minute,
          row -> viewerDimensions(request, row),
          rows -> {
            FamilyRollup rollup = FamilyRollup.of(ViewerQosFamily.DESCRIPTION, rows);
            return m -> MetricValues.toApi(m, rollup);
          });
    }
    // A view narrower than every channel reads the channel rows of the channels it may see and
    // rolls them up to the request's dimensions: the same sums the region and overall rows hold.
    BroadcastSelection selection = request.broadcastSelection(visible);
    return this.<BroadcastMinute>answer(request,
        sink -> {
          if (visible.isEmpty()) {
            return; // an account that owns no channel
          }
          store.readBroadcast(selection, row -> {
            if (selection.matches(row)) {
              sink.accept(row);
            }
          });
        },
        BroadcastMinute::minute,
        row -> broadcastDimensions(request, row),
        rows -> {
          FamilyRollup rollup = FamilyRollup.of(BroadcastFamily.DESCRIPTION, rows);
          return m -> MetricValues.toApi(m, rollup);
        });
  }

  /** {@code account}, then the requested dimensions of a QoS row. */
  private static Map<String, String> viewerDimensions(QosRequest request, QosMinute row) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("account", row.account);
    for (Dimension dimension : request.dimensions()) {
      d.put(dimension.apiName(), row.value(dimension));
    }
    return d;
  }

  /** The requested dimensions of a broadcast row (it has no account). */
  private static Map<String, String> broadcastDimensions(QosRequest request, BroadcastMinute row) {
    Map<String, String> d = new LinkedHashMap<>();
    for (Dimension dimension : request.dimensions()) {
      d.put(dimension.apiName(), dimension == Dimension.REGION ? row.region() : row.channelArn());
    }
    return d;
  }

  /** Reads the selected rows into a sink. */
  private interface Rows<R> {
    void read(Consumer<R> sink) throws IOException;
  }

  /** Series keys ordered by their values, dimension by dimension. */
  private static final Comparator<Map<String, String>> SERIES_ORDER = (a, b) -> {
    var ia = a.values().iterator();
    var ib = b.values().iterator();
    while (ia.hasNext() && ib.hasNext()) {
      int c = ia.next().compareTo(ib.next());
      if (c != 0) {
        return c;
      }
    }
    return Boolean.compare(ia.hasNext(), ib.hasNext());
  };

  private <R> QueryResult answer(QosRequest request, Rows<R> rows,
      ToLongFunction<R> minuteOf, Function<R, Map<String, String>> seriesOf,
      Function<List<R>, Function<QosMetric, Object>> rollUp) throws IOException {
    boolean timeseries = request.endpoint() == Endpoint.TIMESERIES;
    boolean gridKnown = request.range().explicitFrom().isPresent();
    if (timeseries && gridKnown) {
      // Refuse a grid too fine before reading anything.
      QueryEngine.bucketWidthMs(request.bucketing(), request.range().fromMinute(), request.range().toMinute(),
          maxPointsPerSeries);
    }
    Map<Map<String, String>, TreeMap<Long, List<R>>> byMinute = new TreeMap<>(SERIES_ORDER);
    rows.read(row -> byMinute.computeIfAbsent(seriesOf.apply(row), k -> new TreeMap<>())
        .computeIfAbsent(minuteOf.applyAsLong(row), k -> new ArrayList<>()).add(row));
    List<QosMetric> metrics = request.metrics();

    if (!timeseries) {
      List<QosEventsResult.Totals> totals = new ArrayList<>();
      for (Map.Entry<Map<String, String>, TreeMap<Long, List<R>>> e : byMinute.entrySet()) {
        List<R> all = new ArrayList<>();
        e.getValue().values().forEach(all::addAll);
        Function<QosMetric, Object> values = rollUp.apply(all);
        Map<QosMetric, Object> byMetric = new LinkedHashMap<>();
        metrics.forEach(m -> byMetric.put(m, values.apply(m)));
        totals.add(new QosEventsResult.Totals(e.getKey(), byMetric));
      }
      return new QosEventsResult(metrics, totals);
    }

    Map<QosMetric, List<QosTimeseriesResult.Series>> data = new LinkedHashMap<>();
    metrics.forEach(m -> data.put(m, new ArrayList<>()));
    if (byMinute.isEmpty()) {
      return new QosTimeseriesResult(metrics, data);
    }
    long start = gridKnown ? request.range().fromMinute()
        : byMinute.values().stream().mapToLong(TreeMap::firstKey).min().getAsLong();
    long widthMs = QueryEngine.bucketWidthMs(request.bucketing(), start, request.range().toMinute(),
        maxPointsPerSeries);
    for (Map.Entry<Map<String, String>, TreeMap<Long, List<R>>> e : byMinute.entrySet()) {
      TreeMap<Long, List<R>> buckets = new TreeMap<>();
      e.getValue().forEach((minute, minuteRows) -> buckets
          .computeIfAbsent((minute - start) / widthMs, i -> new ArrayList<>()).addAll(minuteRows));
      Map<QosMetric, List<QosTimeseriesResult.Point>> points = new LinkedHashMap<>();
      metrics.forEach(m -> points.put(m, new ArrayList<>()));
      for (long index = buckets.firstKey(); index <= buckets.lastKey(); index++) {
        Function<QosMetric, Object> values = rollUp.apply(buckets.getOrDefault(index, List.of()));
        long timestamp = start + index * widthMs;
        metrics.forEach(m -> points.get(m).add(
            new QosTimeseriesResult.Point(timestamp, values.apply(m))));
      }
      metrics.forEach(m -> data.get(m).add(new QosTimeseriesResult.Series(e.getKey(),
          points.get(m))));
    }
    return new QosTimeseriesResult(metrics, data);
  }

  // ---------------------------------------------------------------------------------------------
  // Streams

  /** Orders a listing: by start (without one, by end, else as_of), channel, stream id. */
  private static final Comparator<StreamSession> STREAM_ORDER = Comparator
      .comparingLong((StreamSession s) -> s.startTime() != null ? s.startTime()
          : s.endTime() != null ? s.endTime() : s.asOf())
      .thenComparing(StreamSession::channelArn)
      .thenComparing(StreamSession::streamId);

  static StreamsResult streams(AggregateStore store, StreamsRequest request,
      ChannelScope visible) throws IOException {
    StreamSelection selection = request.selection(visible);
    List<StreamSession> streams = new ArrayList<>();
    if (visible.isEmpty()) {
      return new StreamsResult(streams);
    }
    store.readStreams(selection, s -> {
      if (selection.matches(s) && request.matchesOutcome(s)) {
        streams.add(s);
      }
    });
    streams.sort(STREAM_ORDER);
    return new StreamsResult(streams);
  }
}
