package org.livemetrics.export;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.SpreadsheetVersion;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.query.Bucketing;
import org.livemetrics.query.DimensionValues;
import org.livemetrics.query.Endpoint;
import org.livemetrics.query.EventsResult;
import org.livemetrics.query.QosEventsResult;
import org.livemetrics.query.QosRequest;
import org.livemetrics.query.QueryEngine;
import org.livemetrics.query.QueryException;
import org.livemetrics.query.QueryRequest;
import org.livemetrics.query.TimeseriesResult;
import org.livemetrics.schemas.Dimension;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.Metric;
import org.livemetrics.schemas.QosMetric;

/**
 * Every number of the report, each one the query layer's answer for the report's range: nothing
 * here re-derives a metric from stored rows, so the workbook always agrees with {@code /v1/events}
 * and {@code /v1/timeseries}.
 *
 * <ul>
 *   <li>Concurrent users: {@code /v1/timeseries}, {@code dimensions=video}, {@code
 *       metrics=ccu,fingerprint_count}, 1-minute buckets.
 *   <li>Peak ccu: the same timeseries with {@code bucket_limit=1}, "the maximum CCU at any time
 *       during a Live stream" in the Brightcove document; its minute is the first 1-minute point
 *       with that value.
 *   <li>Totals: {@code /v1/events} with {@code dimensions=video}; by device type and by country
 *       with {@code dimensions=video,device_type} and {@code video,country}.
 *   <li>Quality of service: {@code /v1/events} of the viewer QoS metrics {@link #SUMMARY_QOS}
 *       with {@code dimensions=video}: the video on every client platform.
 * </ul>
 *
 * <p>The default range, "the whole stream", runs from the first to the last minute with data, found
 * by the 1-minute timeseries itself: without {@code from} its points start at the first minute with
 * data (within the API's default look-back of 32 days before {@code to}) and every series ends at
 * its last minute with data. That timeseries then is already the Concurrent users sheet.
 *
 * @param firstMinute start of the first minute of the range, epoch ms
 * @param lastMinute start of the last minute of the range (inclusive), epoch ms
 * @param fromDefaulted whether no {@code from} was given: the range starts at the first minute
 *     with data (without data, where the API's default range starts)
 * @param toDefaulted whether no {@code to} was given: the range ends at the last minute with data
 *     (without data, now)
 */
record ReportData(
    String account,
    String video,
    long firstMinute,
    long lastMinute,
    boolean fromDefaulted,
    boolean toDefaulted,
    Instant generatedAt,
    List<MinuteRow> minutes,
    @Nullable Peak peak,
    Totals totals,
    List<BreakdownRow> deviceTypes,
    List<BreakdownRow> countries,
    QosTotals qos) {

  /**
   * The viewer QoS metrics the Summary shows, in its order: what an analyst looks at first (start
   * up, buffering, latency, errors) and how sessions ended. Their labels, units and roll-ups are
   * their family's description ({@code ViewerQosFamily}).
   */
  static final List<QosMetric> SUMMARY_QOS = List.of(
      QosMetric.STARTUP_TIME_MS_MEAN, QosMetric.STARTUP_TIME_MS_P50,
      QosMetric.STARTUP_TIME_MS_P95,
      QosMetric.BUFFER_RATIO, QosMetric.REBUFFER_COUNT,
      QosMetric.LIVE_LATENCY_MS_MEAN, QosMetric.LIVE_LATENCY_MS_P50,
      QosMetric.LIVE_LATENCY_MS_P95,
      QosMetric.ERROR_COUNT,
      QosMetric.EXITS_BEFORE_VIDEO_START, QosMetric.EXITS_BEFORE_VIDEO_START_PERCENTAGE,
      QosMetric.PLAYBACK_FAILURE_PERCENTAGE, QosMetric.REBUFFER_PERCENTAGE);

  /**
   * {@code /v1/events} viewer QoS values of the video over the range, every client platform
   * rolled up.
   *
   * @param hasRows whether any QoS row of the video is in the range
   * @param values by metric of {@link #SUMMARY_QOS}; a value is null where the rows hold nothing
   *     to compute it from (no startups, no playback), as the API answers
   */
  record QosTotals(boolean hasRows, Map<QosMetric, @Nullable Number> values) {
    static final QosTotals NONE = new QosTotals(false, Map.of());

    @Nullable Number value(QosMetric metric) {
      return values.get(metric);
    }
  }

  /** One point of the 1-minute timeseries. */
  record MinuteRow(long minute, long ccu, long uniqueDevices) {}

  /** The highest per-minute ccu and the first minute it was reached. */
  record Peak(long ccu, long minute) {}

  /** {@code /v1/events} totals for the video; seconds viewed as the API's exact seconds. */
  record Totals(long uniqueDevices, long views, long impressions, BigDecimal secondsViewed,
      long adStarts) {
    static final Totals NONE = new Totals(0, 0, 0, BigDecimal.ZERO, 0);
  }

  /** {@code /v1/events} totals for one device type or country. */
  record BreakdownRow(String key, long views, long uniqueDevices, BigDecimal secondsViewed) {}

  /** Whether the video has any stored minute in the range. */
  boolean hasData() {
    return !minutes.isEmpty();
  }

  /**
   * Asks the query layer for everything the report shows. Reads all of it before the workbook is
   * started, so a store failure leaves the caller's output untouched.
   */
  static ReportData load(QueryEngine engine, String account, String video, @Nullable Long fromMs,
      @Nullable Long toMs, Clock clock) throws IOException {
    Instant generatedAt = clock.instant();

    QueryRequest.Builder perMinute = request(Endpoint.TIMESERIES, account, video,
        DimensionSet.VIDEO, Metric.CCU, Metric.FINGERPRINT_COUNT);
    if (fromMs != null) {
      perMinute.from(fromMs);
    }
    if (toMs != null) {
      perMinute.to(toMs);
    }
    QueryRequest perMinuteRequest = perMinute.build(clock);
    List<MinuteRow> minutes = minuteRows(engine, perMinuteRequest);

    if (minutes.isEmpty()) {
      return new ReportData(account, video, perMinuteRequest.fromMinute(),
          perMinuteRequest.toMinute(), fromMs == null, toMs == null, generatedAt, List.of(), null,
          Totals.NONE, List.of(), List.of(),
          qos(engine, account, video, perMinuteRequest.fromMinute(),
              perMinuteRequest.toMinute() + QueryRequest.MINUTE_MS - 1, clock));
    }
    // A missing end is where the data starts or ends: the whole stream, or the part of it from
    // `from` or up to `to`. Every other query then covers the same whole minutes.
    long firstMinute = fromMs == null ? minutes.get(0).minute() : perMinuteRequest.fromMinute();
    long lastMinute = toMs == null
        ? minutes.get(minutes.size() - 1).minute()
        : perMinuteRequest.toMinute();
    long from = firstMinute;
    long to = lastMinute + QueryRequest.MINUTE_MS - 1;

    TimeseriesResult highest = engine.timeseries(request(Endpoint.TIMESERIES, account, video,
        DimensionSet.VIDEO, Metric.CCU).from(from).to(to).bucketing(Bucketing.limit(1))
        .build(clock));
    long peakCcu = onlySeries(highest, Metric.CCU).points().get(0).value().longValue();
    long peakMinute = minutes.stream().filter(m -> m.ccu() == peakCcu).findFirst()
        .map(MinuteRow::minute).orElseThrow(() -> new IllegalStateException("the peak ccu "
            + peakCcu + " of the bucket_limit=1 timeseries is in no 1-minute point"));

    EventsResult overall = engine.events(request(Endpoint.EVENTS, account, video,
        DimensionSet.VIDEO, Metric.FINGERPRINT_COUNT, Metric.VIDEO_VIEW, Metric.VIDEO_IMPRESSION,
        Metric.VIDEO_SECONDS_VIEWED, Metric.ALIVE_SS_AD_START).from(from).to(to).build(clock));
    Totals totals = overall.data().isEmpty() ? Totals.NONE : totals(overall.data().get(0));

    return new ReportData(account, video, firstMinute, lastMinute, fromMs == null, toMs == null,
        generatedAt, minutes, new Peak(peakCcu, peakMinute), totals,
        breakdown(engine, account, video, DimensionSet.VIDEO_DEVICE_TYPE, from, to, clock),
        breakdown(engine, account, video, DimensionSet.VIDEO_COUNTRY, from, to, clock),
        qos(engine, account, video, from, to, clock));
  }

  /**
   * The video's viewer QoS over the range: {@code /v1/events}, {@code dimensions=video}, {@code
   * where=video==<video>}, so every client platform is rolled up by each metric's own roll-up
   * (ratios of sums, percentiles of merged sketches), never an average of per-platform values.
   */
  private static QosTotals qos(QueryEngine engine, String account, String video, long from,
      long to, Clock clock) throws IOException {
    QosRequest request = QosRequest.builder(Endpoint.EVENTS, account).metrics(SUMMARY_QOS)
        .dimensions(List.of(Dimension.VIDEO)).where(Dimension.VIDEO, video).from(from).to(to)
        .build(clock);
    QosEventsResult result = (QosEventsResult) engine.execute(request);
    if (result.data().isEmpty()) {
      return QosTotals.NONE;
    }
    if (result.data().size() != 1) {
      throw new IllegalStateException("expected one QoS series for one video, got "
          + result.data().size());
    }
    Map<QosMetric, @Nullable Number> values = new LinkedHashMap<>();
    result.data().get(0).totals().forEach((metric, value) -> values.put(metric, (Number) value));
    return new QosTotals(true, values);
  }

  private static QueryRequest.Builder request(Endpoint endpoint, String account, String video,
      DimensionSet dimensions, Metric... metrics) {
    return QueryRequest.builder(endpoint, account).dimensions(dimensions).metrics(metrics)
        .where(Dimension.VIDEO, video);
  }

  private static List<MinuteRow> minuteRows(QueryEngine engine, QueryRequest request)
      throws IOException {
    TimeseriesResult result;
    try {
      result = engine.timeseries(request);
    } catch (QueryException e) {
      if (!e.parameter().equals(Bucketing.DURATION_PARAMETER)) {
        throw e;
      }
      // The engine speaks of bucket_duration, which a report caller cannot choose.
      throw new QueryException("from", "the range holds more than "
          + engine.maxPointsPerSeries() + " minutes, the most the report's one-row-per-minute "
          + "sheet takes; choose a later from or an earlier to");
    }
    List<TimeseriesResult.Series> ccu = result.series(Metric.CCU);
    if (ccu.isEmpty()) {
      return List.of();
    }
    List<TimeseriesResult.Point> ccuPoints = onlySeries(result, Metric.CCU).points();
    List<TimeseriesResult.Point> devicePoints =
        onlySeries(result, Metric.FINGERPRINT_COUNT).points();
    int maxRows = SpreadsheetVersion.EXCEL2007.getLastRowIndex(); // one row is the header
    if (ccuPoints.size() > maxRows) {
      throw new QueryException("from", "the range holds " + ccuPoints.size()
          + " minutes with data, more than the " + maxRows + " rows a sheet takes; choose a "
          + "later from or an earlier to");
    }
    List<MinuteRow> rows = new ArrayList<>(ccuPoints.size());
    for (int i = 0; i < ccuPoints.size(); i++) {
      TimeseriesResult.Point c = ccuPoints.get(i);
      TimeseriesResult.Point d = devicePoints.get(i);
      if (c.timestamp() != d.timestamp()) {
        throw new IllegalStateException("ccu and fingerprint_count points differ at " + i);
      }
      rows.add(new MinuteRow(c.timestamp(), c.value().longValue(), d.value().longValue()));
    }
    return rows;
  }

  /** The one series of a single-video, video-dimension timeseries. */
  private static TimeseriesResult.Series onlySeries(TimeseriesResult result, Metric metric) {
    List<TimeseriesResult.Series> series = result.series(metric);
    if (series.size() != 1) {
      throw new IllegalStateException("expected one " + metric.apiName()
          + " series for one video, got " + series.size());
    }
    return series.get(0);
  }

  private static Totals totals(EventsResult.Totals t) {
    Map<Metric, Number> v = t.totals();
    return new Totals(v.get(Metric.FINGERPRINT_COUNT).longValue(),
        v.get(Metric.VIDEO_VIEW).longValue(), v.get(Metric.VIDEO_IMPRESSION).longValue(),
        (BigDecimal) v.get(Metric.VIDEO_SECONDS_VIEWED),
        v.get(Metric.ALIVE_SS_AD_START).longValue());
  }

  /** Per device type or country, most views first (then by key, for a stable order). */
  private static List<BreakdownRow> breakdown(QueryEngine engine, String account, String video,
      DimensionSet dimensions, long from, long to, Clock clock) throws IOException {
    EventsResult result = engine.events(request(Endpoint.EVENTS, account, video, dimensions,
        Metric.VIDEO_VIEW, Metric.FINGERPRINT_COUNT, Metric.VIDEO_SECONDS_VIEWED)
        .from(from).to(to).build(clock));
    List<BreakdownRow> rows = new ArrayList<>();
    for (EventsResult.Totals t : result.data()) {
      DimensionValues d = t.dimensions();
      Map<Metric, Number> v = t.totals();
      rows.add(new BreakdownRow(d.secondary() == null ? "" : d.secondary(),
          v.get(Metric.VIDEO_VIEW).longValue(), v.get(Metric.FINGERPRINT_COUNT).longValue(),
          (BigDecimal) v.get(Metric.VIDEO_SECONDS_VIEWED)));
    }
    rows.sort(Comparator.comparingLong(BreakdownRow::views).reversed()
        .thenComparing(BreakdownRow::key));
    return rows;
  }
}
