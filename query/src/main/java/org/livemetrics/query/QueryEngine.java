package org.livemetrics.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.livemetrics.schemas.DistinctSketch;
import org.livemetrics.schemas.Metric;
import org.livemetrics.schemas.Metric.Aggregation;
import org.livemetrics.schemas.MinuteAggregate;

/**
 * Answers {@link QueryRequest}s from an {@link AggregateStore}: the Brightcove semantics live here.
 *
 * <ul>
 *   <li>Timeseries: buckets start at {@code from} floored to the minute, or, without {@code from},
 *       at the first minute with data among the selected rows, so all series share one grid. In a
 *       bucket, {@code ccu} and {@code fingerprint_count} are the maximum of the per-minute values
 *       ("the maximum concurrency during the bucket"), the other metrics are sums. Each series runs
 *       from its first to its last bucket with data; empty buckets between are 0.
 *   <li>Events: {@code ccu} and {@code fingerprint_count} are distinct over the whole range, from
 *       the union of the rows' sketches; the other metrics are sums.
 * </ul>
 *
 * A timeseries whose range would hold more than {@code maxPointsPerSeries} buckets is refused
 * before anything is read, so a 1m query over years cannot exhaust memory.
 *
 * <p>Every row is read for the path's account: audience and QoS rows by their account, broadcast
 * minutes and streams by the channels that account owns ({@link ChannelOwners}, applied here at
 * query time). The path account {@code *} reads every channel, and only channels.
 */
public final class QueryEngine {
  public static final int DEFAULT_MAX_POINTS_PER_SERIES = 100_000;

  private static final long MINUTE_MS = QueryRequest.MINUTE_MS;

  private final AggregateStore store;
  private final int maxPointsPerSeries;
  private final ChannelOwners channelOwners;

  /** An engine where no channel has an owner: broadcast rows are read at {@code accounts/*}. */
  public QueryEngine(AggregateStore store) {
    this(store, DEFAULT_MAX_POINTS_PER_SERIES);
  }

  public QueryEngine(AggregateStore store, int maxPointsPerSeries) {
    this(store, maxPointsPerSeries, ChannelOwners.NONE);
  }

  public QueryEngine(AggregateStore store, int maxPointsPerSeries, ChannelOwners channelOwners) {
    if (maxPointsPerSeries < 1) {
      throw new IllegalArgumentException("maxPointsPerSeries must be >= 1: " + maxPointsPerSeries);
    }
    this.store = store;
    this.maxPointsPerSeries = maxPointsPerSeries;
    this.channelOwners = java.util.Objects.requireNonNull(channelOwners);
  }

  public int maxPointsPerSeries() {
    return maxPointsPerSeries;
  }

  /** Answers any request: audience, viewer QoS and broadcast metrics, and stream listings. */
  public QueryResult execute(ApiRequest request) throws IOException {
    ChannelScope visible = channelOwners.scopeOf(request.account());
    if (request instanceof QosRequest q && q.family() == MetricFamily.BROADCAST) {
      return new QosQueries(store, maxPointsPerSeries).execute(q, visible);
    }
    if (request instanceof StreamsRequest s) {
      return QosQueries.streams(store, s, visible);
    }
    if (request instanceof QosRequest q) {
      requireOneAccount(q.account());
      return new QosQueries(store, maxPointsPerSeries).execute(q, visible);
    }
    QueryRequest audience = (QueryRequest) request;
    return switch (audience.endpoint()) {
      case TIMESERIES -> timeseries(audience);
      case EVENTS -> events(audience);
    };
  }

  /** Audience and viewer QoS rows are read per account: {@code *} is the view of channels. */
  private static void requireOneAccount(String account) {
    if (account.equals(ChannelOwners.ALL_ACCOUNTS)) {
      throw new QueryException("path", "accounts/" + ChannelOwners.ALL_ACCOUNTS + " is the view"
          + " of every IVS channel, for broadcast metrics and /v1/streams; audience and viewer QoS"
          + " metrics are read per account");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Timeseries

  public TimeseriesResult timeseries(QueryRequest request) throws IOException {
    requireOneAccount(request.account());
    List<Metric> metrics = request.metrics();
    AggregateSelection selection = request.selection();

    // With from, the grid is known up front and rows go straight into their buckets. Without it
    // the grid starts at the first minute with data, so collect per minute and regroup after;
    // max and sum are associative, so minute values combine into any coarser bucket exactly.
    boolean gridKnown = request.explicitFrom().isPresent();
    long anchor = request.fromMinute();
    long widthMs = gridKnown ? checkedWidthMs(request, anchor) : MINUTE_MS;

    Map<DimensionValues, TreeMap<Long, long[]>> buckets = new TreeMap<>();
    long[] firstMinute = {Long.MAX_VALUE};
    store.read(selection, row -> {
      if (!selection.matches(row)) {
        return;
      }
      firstMinute[0] = Math.min(firstMinute[0], row.minute);
      long index = (row.minute - anchor) / widthMs;
      long[] values = buckets.computeIfAbsent(DimensionValues.of(row), k -> new TreeMap<>())
          .computeIfAbsent(index, i -> new long[metrics.size()]);
      combine(metrics, values, row);
    });

    if (!gridKnown && !buckets.isEmpty()) {
      long start = firstMinute[0];
      long coarseWidthMs = checkedWidthMs(request, start);
      long shift = (start - anchor) / MINUTE_MS;
      for (Map.Entry<DimensionValues, TreeMap<Long, long[]>> e : buckets.entrySet()) {
        TreeMap<Long, long[]> coarse = new TreeMap<>();
        for (Map.Entry<Long, long[]> minute : e.getValue().entrySet()) {
          long index = (minute.getKey() - shift) * MINUTE_MS / coarseWidthMs;
          long[] into = coarse.computeIfAbsent(index, i -> new long[metrics.size()]);
          combine(metrics, into, minute.getValue());
        }
        e.setValue(coarse);
      }
      return toTimeseries(metrics, buckets, start, coarseWidthMs);
    }
    return toTimeseries(metrics, buckets, anchor, widthMs);
  }

  /** The bucket width in ms for a grid starting at {@code start}, refusing too many buckets. */
  private long checkedWidthMs(QueryRequest request, long start) {
    return bucketWidthMs(request.bucketing(), start, request.toMinute(), maxPointsPerSeries);
  }

  /**
   * The bucket width in ms for a grid from {@code start} to {@code toMinute}: refuses, naming the
   * bucketing parameter, a grid of more than {@code maxPoints} buckets.
   */
  static long bucketWidthMs(Bucketing bucketing, long start, long toMinute, int maxPoints) {
    long minutesInRange = (toMinute - start) / MINUTE_MS + 1;
    long widthMinutes = bucketing.widthMinutes(minutesInRange);
    long bucketsInRange = (minutesInRange + widthMinutes - 1) / widthMinutes;
    if (bucketsInRange > maxPoints) {
      String advice = bucketing.isLimit()
          ? "ask for fewer buckets"
          : "use a wider bucket_duration or a later from";
      throw new QueryException(bucketing.parameter(), "the range of " + minutesInRange
          + " minutes in " + widthMinutes + "-minute buckets would give " + bucketsInRange
          + " points per series, more than the limit of " + maxPoints + "; " + advice);
    }
    return widthMinutes * MINUTE_MS;
  }

  private static void combine(List<Metric> metrics, long[] into, MinuteAggregate row) {
    for (int i = 0; i < metrics.size(); i++) {
      Metric m = metrics.get(i);
      into[i] = combine(m, into[i], row.value(m));
    }
  }

  private static void combine(List<Metric> metrics, long[] into, long[] values) {
    for (int i = 0; i < metrics.size(); i++) {
      into[i] = combine(metrics.get(i), into[i], values[i]);
    }
  }

  /** Unique metrics take the bucket's per-minute maximum; additive metrics sum. */
  private static long combine(Metric m, long acc, long value) {
    return m.aggregation() == Aggregation.DISTINCT ? Math.max(acc, value) : acc + value;
  }

  private static TimeseriesResult toTimeseries(List<Metric> metrics,
      Map<DimensionValues, TreeMap<Long, long[]>> buckets, long start, long widthMs) {
    Map<Metric, List<TimeseriesResult.Series>> data = new LinkedHashMap<>();
    for (int i = 0; i < metrics.size(); i++) {
      Metric metric = metrics.get(i);
      List<TimeseriesResult.Series> series = new ArrayList<>();
      for (Map.Entry<DimensionValues, TreeMap<Long, long[]>> e : buckets.entrySet()) {
        TreeMap<Long, long[]> byIndex = e.getValue();
        List<TimeseriesResult.Point> points = new ArrayList<>();
        for (long index = byIndex.firstKey(); index <= byIndex.lastKey(); index++) {
          long[] values = byIndex.get(index);
          points.add(new TimeseriesResult.Point(start + index * widthMs,
              MetricValues.toApi(metric, values == null ? 0 : values[i])));
        }
        series.add(new TimeseriesResult.Series(e.getKey(), points));
      }
      data.put(metric, series);
    }
    return new TimeseriesResult(metrics, data);
  }

  // ---------------------------------------------------------------------------------------------
  // Events

  public EventsResult events(QueryRequest request) throws IOException {
    requireOneAccount(request.account());
    List<Metric> metrics = request.metrics();
    AggregateSelection selection = request.selection();
    Map<DimensionValues, Totals> totals = new TreeMap<>();
    store.read(selection, row -> {
      if (selection.matches(row)) {
        totals.computeIfAbsent(DimensionValues.of(row), k -> new Totals(metrics)).add(row);
      }
    });
    List<EventsResult.Totals> data = new ArrayList<>();
    for (Map.Entry<DimensionValues, Totals> e : totals.entrySet()) {
      data.add(new EventsResult.Totals(e.getKey(), e.getValue().toApi()));
    }
    return new EventsResult(metrics, data);
  }

  /** One combination's running totals: sums, and sketch unions for the unique metrics. */
  private static final class Totals {
    private final List<Metric> metrics;
    private final long[] sums;
    private final Map<Metric, DistinctSketch.Merger> unions = new EnumMap<>(Metric.class);

    Totals(List<Metric> metrics) {
      this.metrics = metrics;
      this.sums = new long[metrics.size()];
      for (Metric m : metrics) {
        if (m.aggregation() == Aggregation.DISTINCT) {
          unions.put(m, DistinctSketch.merger());
        }
      }
    }

    void add(MinuteAggregate row) {
      for (int i = 0; i < metrics.size(); i++) {
        Metric m = metrics.get(i);
        DistinctSketch.Merger union = unions.get(m);
        if (union != null) {
          // Sessions and devices span minutes: only the union counts each one once.
          union.add(row.sketch(m));
        } else {
          sums[i] += row.value(m);
        }
      }
    }

    Map<Metric, Number> toApi() {
      Map<Metric, Number> out = new LinkedHashMap<>();
      for (int i = 0; i < metrics.size(); i++) {
        Metric m = metrics.get(i);
        DistinctSketch.Merger union = unions.get(m);
        out.put(m, MetricValues.toApi(m, union != null ? union.estimate() : sums[i]));
      }
      return out;
    }
  }
}
