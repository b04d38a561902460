package org.livemetrics.export;

import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_SKETCH_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_SUM_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_SKETCH_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_SUM_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.BUFFERING_TIME_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.ERROR_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.EXITS_BEFORE_VIDEO_START_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYBACK_ATTEMPTS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYBACK_FAILURES_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYING_TIME_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.REBUFFER_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.SESSIONS_LOADED_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.SESSIONS_PLAYED_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.SESSIONS_REBUFFERED_FIELD;

import org.livemetrics.query.Rows;
import static org.junit.Assert.assertEquals;
import static org.livemetrics.query.Rows.t;
import static org.livemetrics.export.Workbooks.number;
import static org.livemetrics.export.Workbooks.summaryValue;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.Test;
import org.livemetrics.query.ApiRequest;
import org.livemetrics.query.EventsResult;
import org.livemetrics.query.InMemoryAggregateStore;
import org.livemetrics.query.QosEventsResult;
import org.livemetrics.query.QueryEngine;
import org.livemetrics.query.QueryRequest;
import org.livemetrics.query.TimeseriesResult;
import org.livemetrics.schemas.Metric;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.QosMetric;
import org.livemetrics.schemas.QosMinute;

/**
 * Every number in the workbook equals the query layer's answer to the request a user of the API
 * would send for the same range: the requests here are parsed from API URIs, not built the way the
 * report builds them, and the stream is random (seeded) with gaps and overlapping viewers.
 */
public class QueryLayerAgreementTest {
  private static final String[] COUNTRIES = {"US", "BR", "DE", "FR", "IN", "unknown"};
  private static final String[] DEVICE_TYPES = {"desktop", "mobile", "tablet", "smart_tv",
      "unknown"};

  private static final String[] PLATFORMS = {"web", "android", "ios", "other"};

  private final InMemoryAggregateStore store =
      new InMemoryAggregateStore(randomStream(), randomQos(), List.of(), List.of());
  private final QueryEngine engine = new QueryEngine(store);

  /** Two hours of video 5555 with one minute in ten missing, plus another video. */
  private static List<MinuteAggregate> randomStream() {
    Random random = new Random(20200215);
    List<MinuteAggregate> rows = new ArrayList<>();
    long start = t("2020-02-15T10:00");
    for (int m = 0; m < 120; m++) {
      if (m > 0 && m < 119 && random.nextInt(10) == 0) {
        continue;
      }
      long minute = start + m * 60_000L;
      for (String video : List.of("5555", "5556")) {
        rows.add(keys(Rows.video(video, minute), random).views(random.nextInt(50))
            .impressions(random.nextInt(60)).ads(random.nextInt(3))
            .secondsViewedMs(random.nextInt(5_000_000)).build());
        for (String country : COUNTRIES) {
          if (random.nextInt(4) > 0) {
            rows.add(keys(Rows.country(video, country, minute), random)
                .views(random.nextInt(20)).secondsViewedMs(random.nextInt(1_000_000)).build());
          }
        }
        for (String device : DEVICE_TYPES) {
          if (random.nextInt(4) > 0) {
            rows.add(keys(Rows.device(video, device, minute), random)
                .views(random.nextInt(20)).secondsViewedMs(random.nextInt(1_000_000)).build());
          }
        }
      }
    }
    return rows;
  }

  /**
   * Viewer QoS of both videos on four platforms, a row missing now and then, with random latencies
   * (most rows without any) and session outcomes.
   */
  private static List<QosMinute> randomQos() {
    Random random = new Random(20200216);
    List<QosMinute> rows = new ArrayList<>();
    long start = t("2020-02-15T10:00");
    for (int m = 0; m < 120; m++) {
      for (String video : List.of("5555", "5556")) {
        for (String platform : PLATFORMS) {
          if (random.nextInt(5) == 0) {
            continue;
          }
          // Latencies in one row in four: a video's range holds fewer than the sketches' k = 300
          // values, so percentiles are exact. Past k a KLL union compacts at random, and two
          // requests for the same percentile may differ within the sketch's rank error.
          double[] startups = latencies(random, random.nextInt(4) == 0 ? 1 + random.nextInt(2)
              : 0, 300, 6_000);
          double[] live = latencies(random, random.nextInt(4) == 0 ? 1 + random.nextInt(2)
              : 0, 1_500, 30_000);
          int loaded = random.nextInt(10);
          int attempts = loaded + random.nextInt(3);
          int played = random.nextInt(attempts + 1);
          rows.add(SampleStream.qos("1234", video, platform, "2020-02-15T10:00")
              .minute(start + m * 60_000L)
              .count(PLAYING_TIME_MS_FIELD, random.nextInt(600_000))
              .count(BUFFERING_TIME_MS_FIELD, random.nextInt(20_000))
              .count(REBUFFER_COUNT_FIELD, random.nextInt(4))
              .count(ERROR_COUNT_FIELD, random.nextInt(2))
              .count(STARTUP_COUNT_FIELD, startups.length)
              .count(STARTUP_SUM_MS_FIELD, sum(startups))
              .sketch(STARTUP_SKETCH_FIELD, SampleStream.sketch(startups))
              .count(LIVE_LATENCY_COUNT_FIELD, live.length)
              .count(LIVE_LATENCY_SUM_MS_FIELD, sum(live))
              .sketch(LIVE_LATENCY_SKETCH_FIELD, SampleStream.sketch(live))
              .count(SESSIONS_LOADED_FIELD, loaded)
              .count(EXITS_BEFORE_VIDEO_START_FIELD, random.nextInt(loaded + 1))
              .count(PLAYBACK_ATTEMPTS_FIELD, attempts)
              .count(PLAYBACK_FAILURES_FIELD, random.nextInt(attempts + 1))
              .count(SESSIONS_PLAYED_FIELD, played)
              .count(SESSIONS_REBUFFERED_FIELD, random.nextInt(played + 1))
              .build());
        }
      }
    }
    return rows;
  }

  private static double[] latencies(Random random, int n, int low, int high) {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = low + random.nextInt(high - low);
    }
    return values;
  }

  private static long sum(double[] values) {
    long sum = 0;
    for (double v : values) {
      sum += (long) v;
    }
    return sum;
  }

  /** Viewers drawn from a pool of 3,000, so minutes and rows overlap. */
  private static Rows keys(Rows r, Random random) {
    int from = random.nextInt(2_900);
    int fingerprints = 1 + random.nextInt(100);
    return r.fingerprints(from, from + fingerprints - 1)
        .sessions(from, from + fingerprints + random.nextInt(20));
  }

  @Test
  public void theWholeStream() throws IOException {
    XSSFWorkbook wb = Workbooks.report(store, "5555", null, null);
    // The timeseries without from starts at the first minute with data.
    TimeseriesResult perMinute = timeseries("&metrics=ccu,fingerprint_count");
    List<TimeseriesResult.Point> ccu = perMinute.series(Metric.CCU).get(0).points();
    long first = ccu.get(0).timestamp();
    long last = ccu.get(ccu.size() - 1).timestamp();
    assertEquals(t("2020-02-15T10:00"), first);
    assertEquals(t("2020-02-15T11:59"), last);
    assertAgrees(wb, first, last + 59_999);
  }

  @Test
  public void anExplicitRange() throws IOException {
    long from = t("2020-02-15T10:17") + 12_345;
    long to = t("2020-02-15T11:03") + 59_000;
    assertAgrees(Workbooks.report(store, "5555", from, to), from, to);
  }

  private void assertAgrees(XSSFWorkbook wb, long from, long to) throws IOException {
    String range = "&from=" + from + "&to=" + to;

    // Concurrent users: the 1-minute timeseries, point by point.
    TimeseriesResult perMinute = timeseries("&metrics=ccu,fingerprint_count" + range);
    List<TimeseriesResult.Point> ccu = perMinute.series(Metric.CCU).get(0).points();
    List<TimeseriesResult.Point> devices =
        perMinute.series(Metric.FINGERPRINT_COUNT).get(0).points();
    XSSFSheet sheet = wb.getSheet("Concurrent users");
    assertEquals(ccu.size(), sheet.getLastRowNum());
    for (int i = 0; i < ccu.size(); i++) {
      Row row = sheet.getRow(i + 1);
      assertEquals(utc(ccu.get(i).timestamp()), row.getCell(0).getLocalDateTimeCellValue());
      assertEquals(ccu.get(i).value().doubleValue(), number(row.getCell(1)), 0);
      assertEquals(devices.get(i).value().doubleValue(), number(row.getCell(2)), 0);
    }

    // Peak: the maximum CCU at any time, as the Brightcove document asks for it.
    TimeseriesResult peak = timeseries("&metrics=ccu&bucket_limit=1" + range);
    assertEquals(peak.series(Metric.CCU).get(0).points().get(0).value().doubleValue(),
        number(summaryValue(wb, "Peak concurrent viewers (ccu)")), 0);

    // Summary totals.
    Map<Metric, Number> totals = events("video", "fingerprint_count,video_view,"
        + "video_impression,video_seconds_viewed,alive_ss_ad_start" + range).data().get(0)
        .totals();
    assertEquals(totals.get(Metric.FINGERPRINT_COUNT).doubleValue(),
        number(summaryValue(wb, "Unique devices")), 0);
    assertEquals(totals.get(Metric.VIDEO_VIEW).doubleValue(),
        number(summaryValue(wb, "Views")), 0);
    assertEquals(totals.get(Metric.VIDEO_IMPRESSION).doubleValue(),
        number(summaryValue(wb, "Impressions")), 0);
    assertEquals(((BigDecimal) totals.get(Metric.VIDEO_SECONDS_VIEWED)).doubleValue(),
        number(summaryValue(wb, "Seconds viewed")), 0);
    assertEquals(totals.get(Metric.ALIVE_SS_AD_START).doubleValue(),
        number(summaryValue(wb, "Ad starts")), 0);

    // Quality of service: the QoS answer for the video, every platform rolled up.
    QosEventsResult qos = (QosEventsResult) engine.execute(ApiRequest.parse(
        "/v1/events/accounts/1234?dimensions=video&where=video==5555&metrics="
            + ReportData.SUMMARY_QOS.stream().map(QosMetric::apiName)
                .collect(Collectors.joining(",")) + range, Workbooks.NOON));
    assertEquals(1, qos.data().size());
    for (QosMetric m : ReportData.SUMMARY_QOS) {
      Object value = qos.data().get(0).totals().get(m);
      String label = m.described().reportLabel();
      if (value == null) {
        assertEquals(label, "no data", summaryValue(wb, label).getStringCellValue());
      } else {
        assertEquals(label, ((Number) value).doubleValue(), number(summaryValue(wb, label)), 0);
      }
    }

    assertBreakdown(wb.getSheet("Views by Device Type"), 1,
        events("video,device_type", "video_view,fingerprint_count,video_seconds_viewed" + range));
    assertBreakdown(wb.getSheet("Views by Geography"), 2,
        events("video,country", "video_view,fingerprint_count,video_seconds_viewed" + range));
  }

  /** Each entry of the events answer is one row, its key in column 0, its values from {@code c}. */
  private static void assertBreakdown(XSSFSheet sheet, int c, EventsResult answer) {
    Map<String, Row> rows = new HashMap<>();
    for (int r = 1; r <= sheet.getLastRowNum(); r++) {
      rows.put(sheet.getRow(r).getCell(0).getStringCellValue(), sheet.getRow(r));
    }
    assertEquals(answer.data().size(), rows.size());
    for (EventsResult.Totals entry : answer.data()) {
      Row row = rows.get(entry.dimensions().secondary());
      Map<Metric, Number> v = entry.totals();
      String where = sheet.getSheetName() + " " + entry.dimensions().secondary();
      assertEquals(where, v.get(Metric.VIDEO_VIEW).doubleValue(), number(row.getCell(c)), 0);
      assertEquals(where, v.get(Metric.FINGERPRINT_COUNT).doubleValue(),
          number(row.getCell(c + 1)), 0);
      assertEquals(where, ((BigDecimal) v.get(Metric.VIDEO_SECONDS_VIEWED)).doubleValue(),
          number(row.getCell(c + 2)), 0);
    }
  }

  private TimeseriesResult timeseries(String parameters) throws IOException {
    return engine.timeseries(QueryRequest.parse("/v1/timeseries/accounts/1234"
        + "?dimensions=video&where=video==5555" + parameters, Workbooks.NOON));
  }

  private EventsResult events(String dimensions, String metricsAndRange) throws IOException {
    return engine.events(QueryRequest.parse("/v1/events/accounts/1234?dimensions=" + dimensions
        + "&where=video==5555&metrics=" + metricsAndRange, Workbooks.NOON));
  }

  private static LocalDateTime utc(long epochMs) {
    return LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMs), ZoneOffset.UTC);
  }
}
