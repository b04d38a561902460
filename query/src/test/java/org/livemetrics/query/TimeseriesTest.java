package org.livemetrics.query;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.livemetrics.query.Rows.t;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.Test;
import org.livemetrics.schemas.MinuteAggregate;

/** {@code /v1/timeseries} semantics over an in-memory store; expected bodies written by hand. */
public class TimeseriesTest {
  private static final Clock NOON = Clock.fixed(Instant.parse("2020-02-15T12:00:00Z"),
      ZoneOffset.UTC);

  static String answer(List<MinuteAggregate> rows, String uri) throws IOException {
    return answer(rows, uri, QueryEngine.DEFAULT_MAX_POINTS_PER_SERIES);
  }

  static String answer(List<MinuteAggregate> rows, String uri, int maxPoints) throws IOException {
    QueryEngine engine = new QueryEngine(new InMemoryAggregateStore(rows), maxPoints);
    return BrightcoveJson.toJson(engine.execute(QueryRequest.parse(uri, NOON)));
  }

  private static String series(String video, String points) {
    return "{\"dimensions\":{\"account\":\"1234\",\"video\":\"" + video + "\"},\"points\":["
        + points + "]}";
  }

  private static String point(String isoMinute, Object value) {
    return "{\"timestamp\":" + t(isoMinute) + ",\"value\":" + value + "}";
  }

  private static final String TS =
      "/v1/timeseries/accounts/1234?dimensions=video&where=video==5555";

  @Test
  public void uniqueMetricsTakeTheBucketMaximumAndTheOthersTheSum() throws IOException {
    List<MinuteAggregate> rows = List.of(
        Rows.video("5555", "2020-02-15T10:00").sessions(1, 4).fingerprints(1, 3)
            .views(2).impressions(3).secondsViewedMs(60_000).ads(1).build(),
        Rows.video("5555", "2020-02-15T10:01").sessions(1, 7).fingerprints(1, 2)
            .views(5).impressions(1).secondsViewedMs(1_500).ads(0).build(),
        Rows.video("5555", "2020-02-15T10:02").sessions(3, 5).fingerprints(1, 6)
            .views(0).impressions(4).secondsViewedMs(1).ads(2).build());

    String body = answer(rows, TS + "&metrics=ccu,fingerprint_count,video_view,video_impression,"
        + "video_seconds_viewed,alive_ss_ad_start&from=" + t("2020-02-15T10:00")
        + "&bucket_duration=5m");

    // ccu: max(4, 7, 3); fingerprint_count: max(3, 2, 6); views: 2+5+0; impressions: 3+1+4;
    // seconds: (60000+1500+1) ms; ads: 1+0+2.
    assertEquals("{"
        + "\"ccu\":{\"data\":[" + series("5555", point("2020-02-15T10:00", 7)) + "]},"
        + "\"fingerprint_count\":{\"data\":[" + series("5555", point("2020-02-15T10:00", 6)) + "]},"
        + "\"video_view\":{\"data\":[" + series("5555", point("2020-02-15T10:00", 7)) + "]},"
        + "\"video_impression\":{\"data\":[" + series("5555", point("2020-02-15T10:00", 8)) + "]},"
        + "\"video_seconds_viewed\":{\"data\":["
        + series("5555", point("2020-02-15T10:00", "61.501")) + "]},"
        + "\"alive_ss_ad_start\":{\"data\":[" + series("5555", point("2020-02-15T10:00", 3)) + "]}"
        + "}", body);
  }

  @Test
  public void metricsComeInRequestOrder() throws IOException {
    List<MinuteAggregate> rows = List.of(
        Rows.video("5555", "2020-02-15T10:00").sessions(1, 2).views(9).build());
    String body = answer(rows, TS + "&metrics=video_view,ccu&from=" + t("2020-02-15T10:00"));
    assertEquals("{\"video_view\":{\"data\":[" + series("5555", point("2020-02-15T10:00", 9))
        + "]},\"ccu\":{\"data\":[" + series("5555", point("2020-02-15T10:00", 2)) + "]}}", body);
  }

  private static final List<MinuteAggregate> AT_3_6_8 = List.of(
      Rows.video("5555", "2020-02-15T10:03").views(1).build(),
      Rows.video("5555", "2020-02-15T10:06").views(2).build(),
      Rows.video("5555", "2020-02-15T10:08").views(4).build());

  @Test
  public void bucketsStartAtFromFlooredToTheMinute() throws IOException {
    // from 10:02:30.5 floors to 10:02: buckets [10:02, 10:07) and [10:07, 10:12).
    long from = t("2020-02-15T10:02") + 30_500;
    String body = answer(AT_3_6_8, TS + "&metrics=video_view&from=" + from
        + "&to=" + t("2020-02-15T10:30") + "&bucket_duration=5m");
    assertEquals("{\"video_view\":{\"data\":[" + series("5555",
        point("2020-02-15T10:02", 1 + 2) + "," + point("2020-02-15T10:07", 4)) + "]}}", body);
  }

  @Test
  public void withoutFromBucketsStartAtTheFirstMinuteWithData() throws IOException {
    // Same rows; the grid now starts at 10:03: [10:03, 10:08) and [10:08, 10:13).
    String body = answer(AT_3_6_8, TS + "&metrics=video_view&to=" + t("2020-02-15T10:30")
        + "&bucket_duration=5m");
    assertEquals("{\"video_view\":{\"data\":[" + series("5555",
        point("2020-02-15T10:03", 1 + 2) + "," + point("2020-02-15T10:08", 4)) + "]}}", body);
  }

  @Test
  public void withoutFromTheGridIsSharedByAllSeries() throws IOException {
    // 5556's first data is at 10:05, but the grid starts at 5555's 10:03.
    List<MinuteAggregate> rows = List.of(
        Rows.video("5555", "2020-02-15T10:03").views(1).build(),
        Rows.video("5556", "2020-02-15T10:05").views(2).build(),
        Rows.video("5556", "2020-02-15T10:09").views(4).build());
    String body = answer(rows, "/v1/timeseries/accounts/1234?dimensions=video"
        + "&where=video==5555,5556&metrics=video_view&bucket_duration=3m&to="
        + t("2020-02-15T11:00"));
    assertEquals("{\"video_view\":{\"data\":["
        + series("5555", point("2020-02-15T10:03", 1)) + ","
        + series("5556", point("2020-02-15T10:03", 2) + "," + point("2020-02-15T10:06", 0) + ","
            + point("2020-02-15T10:09", 4))
        + "]}}", body);
  }

  private static final List<MinuteAggregate> ONE_VIEW_A_MINUTE_10_00_TO_10_09 = oneViewAMinute();

  private static List<MinuteAggregate> oneViewAMinute() {
    List<MinuteAggregate> rows = new java.util.ArrayList<>();
    for (int m = 0; m <= 9; m++) {
      rows.add(Rows.video("5555", "2020-02-15T10:0" + m).views(1).build());
    }
    return rows;
  }

  private static final String TEN_MINUTES = TS + "&metrics=video_view&from="
      + t("2020-02-15T10:00") + "&to=" + (t("2020-02-15T10:09") + 59_999);

  @Test
  public void bucketLimitCutsTheRangeIntoBucketsOfWholeMinutesRoundedUp() throws IOException {
    // 10 minutes in 3 buckets: width ceil(10 / 3) = 4 → 10:00-03, 10:04-07, 10:08-09.
    assertEquals("{\"video_view\":{\"data\":[" + series("5555",
        point("2020-02-15T10:00", 4) + "," + point("2020-02-15T10:04", 4) + ","
            + point("2020-02-15T10:08", 2)) + "]}}",
        answer(ONE_VIEW_A_MINUTE_10_00_TO_10_09, TEN_MINUTES + "&bucket_limit=3"));
    // 10 minutes in 4 buckets: width ceil(10 / 4) = 3 → 10:00, 10:03, 10:06, 10:09.
    assertEquals("{\"video_view\":{\"data\":[" + series("5555",
        point("2020-02-15T10:00", 3) + "," + point("2020-02-15T10:03", 3) + ","
            + point("2020-02-15T10:06", 3) + "," + point("2020-02-15T10:09", 1)) + "]}}",
        answer(ONE_VIEW_A_MINUTE_10_00_TO_10_09, TEN_MINUTES + "&bucket_limit=4"));
    // More buckets than minutes: one-minute buckets, ten points.
    String points = "";
    for (int m = 0; m <= 9; m++) {
      points += (m > 0 ? "," : "") + point("2020-02-15T10:0" + m, 1);
    }
    assertEquals("{\"video_view\":{\"data\":[" + series("5555", points) + "]}}",
        answer(ONE_VIEW_A_MINUTE_10_00_TO_10_09, TEN_MINUTES + "&bucket_limit=25"));
  }

  @Test
  public void bucketLimitWithoutFromSpansFirstDataToTheEndOfTheRange() throws IOException {
    // First data 10:03, to 10:12 → 10 minutes; 2 buckets of 5: [10:03, 10:08), [10:08, 10:13).
    String body = answer(AT_3_6_8, TS + "&metrics=video_view&to=" + t("2020-02-15T10:12")
        + "&bucket_limit=2");
    assertEquals("{\"video_view\":{\"data\":[" + series("5555",
        point("2020-02-15T10:03", 3) + "," + point("2020-02-15T10:08", 4)) + "]}}", body);
  }

  @Test
  public void aDayBucketIs24HoursFromTheStartNotACalendarDay() throws IOException {
    List<MinuteAggregate> rows = List.of(
        Rows.video("5555", "2020-02-13T06:00").sessions(1, 5).build(),
        Rows.video("5555", "2020-02-13T23:00").sessions(1, 8).build(),
        Rows.video("5555", "2020-02-14T05:59").sessions(1, 6).build(),
        Rows.video("5555", "2020-02-14T06:00").sessions(1, 2).build());
    String body = answer(rows, TS + "&metrics=ccu&from=" + t("2020-02-13T06:00")
        + "&bucket_duration=1d");
    // [13th 06:00, 14th 06:00): max(5, 8, 6); [14th 06:00, 15th 06:00): 2.
    assertEquals("{\"ccu\":{\"data\":[" + series("5555",
        point("2020-02-13T06:00", 8) + "," + point("2020-02-14T06:00", 2)) + "]}}", body);
  }

  @Test
  public void pointsRunFromTheFirstToTheLastBucketWithDataWithZerosBetween() throws IOException {
    List<MinuteAggregate> rows = List.of(
        Rows.video("5555", "2020-02-15T10:00").sessions(1, 3).build(),
        Rows.video("5555", "2020-02-15T10:04").sessions(1, 2).build());
    // The range 09:50..10:30 is wider than the data: no points before 10:00 or after 10:04.
    String body = answer(rows, TS + "&metrics=ccu&from=" + t("2020-02-15T09:50") + "&to="
        + t("2020-02-15T10:30"));
    assertEquals("{\"ccu\":{\"data\":[" + series("5555",
        point("2020-02-15T10:00", 3) + "," + point("2020-02-15T10:01", 0) + ","
            + point("2020-02-15T10:02", 0) + "," + point("2020-02-15T10:03", 0) + ","
            + point("2020-02-15T10:04", 2)) + "]}}", body);
  }

  @Test
  public void aRowWithZeroValuesStillCountsAsData() throws IOException {
    List<MinuteAggregate> rows = List.of(
        Rows.video("5555", "2020-02-15T10:00").views(1).build(),
        Rows.video("5555", "2020-02-15T10:02").views(0).build());
    String body = answer(rows, TS + "&metrics=video_view&from=" + t("2020-02-15T10:00"));
    assertEquals("{\"video_view\":{\"data\":[" + series("5555", point("2020-02-15T10:00", 1)
        + "," + point("2020-02-15T10:01", 0) + "," + point("2020-02-15T10:02", 0)) + "]}}", body);
  }

  @Test
  public void eachSeriesHasItsOwnFirstAndLastPoint() throws IOException {
    List<MinuteAggregate> rows = List.of(
        Rows.video("5555", "2020-02-15T10:00").views(1).build(),
        Rows.video("5555", "2020-02-15T10:01").views(2).build(),
        Rows.video("5556", "2020-02-15T10:02").views(3).build());
    String body = answer(rows, "/v1/timeseries/accounts/1234?dimensions=video"
        + "&where=video==5556,5555&metrics=video_view&from=" + t("2020-02-15T10:00"));
    assertEquals("{\"video_view\":{\"data\":["
        + series("5555", point("2020-02-15T10:00", 1) + "," + point("2020-02-15T10:01", 2)) + ","
        + series("5556", point("2020-02-15T10:02", 3)) + "]}}", body);
  }

  @Test
  public void secondsViewedAreSecondsWithMillisecondPrecision() throws IOException {
    List<MinuteAggregate> rows = List.of(
        Rows.video("5555", "2020-02-15T10:00").secondsViewedMs(61_500).build(),
        Rows.video("5555", "2020-02-15T10:01").secondsViewedMs(120_000).build(),
        Rows.video("5555", "2020-02-15T10:02").secondsViewedMs(1).build(),
        Rows.video("5555", "2020-02-15T10:03").secondsViewedMs(0).build(),
        Rows.video("5555", "2020-02-15T10:04").secondsViewedMs(10_000_000_010L).build());
    String body = answer(rows, TS + "&metrics=video_seconds_viewed&from="
        + t("2020-02-15T10:00"));
    assertEquals("{\"video_seconds_viewed\":{\"data\":[" + series("5555",
        point("2020-02-15T10:00", "61.5") + "," + point("2020-02-15T10:01", "120") + ","
            + point("2020-02-15T10:02", "0.001") + "," + point("2020-02-15T10:03", "0") + ","
            + point("2020-02-15T10:04", "10000000.01")) + "]}}", body);
  }

  @Test
  public void seriesAreSortedByVideoThenSecondaryValue() throws IOException {
    List<MinuteAggregate> rows = List.of(
        Rows.device("9", "mobile", "2020-02-15T10:00").views(1).build(),
        Rows.device("10", "smart_tv", "2020-02-15T10:00").views(2).build(),
        Rows.device("9", "desktop", "2020-02-15T10:00").views(3).build(),
        Rows.device("10", "desktop", "2020-02-15T10:00").views(4).build(),
        Rows.video("9", "2020-02-15T10:00").views(100).build(), // another dimension set
        Rows.country("9", "US", "2020-02-15T10:00").views(200).build()); // and another
    String body = answer(rows, "/v1/timeseries/accounts/1234?dimensions=device_type,video"
        + "&where=video==9,10&metrics=video_view&from=" + t("2020-02-15T10:00"));
    String p = "{\"timestamp\":" + t("2020-02-15T10:00") + ",\"value\":";
    assertEquals("{\"video_view\":{\"data\":["
        + "{\"dimensions\":{\"account\":\"1234\",\"video\":\"10\",\"device_type\":\"desktop\"},"
        + "\"points\":[" + p + "4}]},"
        + "{\"dimensions\":{\"account\":\"1234\",\"video\":\"10\",\"device_type\":\"smart_tv\"},"
        + "\"points\":[" + p + "2}]},"
        + "{\"dimensions\":{\"account\":\"1234\",\"video\":\"9\",\"device_type\":\"desktop\"},"
        + "\"points\":[" + p + "3}]},"
        + "{\"dimensions\":{\"account\":\"1234\",\"video\":\"9\",\"device_type\":\"mobile\"},"
        + "\"points\":[" + p + "1}]}"
        + "]}}", body);
  }

  @Test
  public void whereKeepsOnlyTheListedSecondaryValues() throws IOException {
    List<MinuteAggregate> rows = List.of(
        Rows.country("5555", "US", "2020-02-15T10:00").views(1).build(),
        Rows.country("5555", "CA", "2020-02-15T10:00").views(2).build(),
        Rows.country("5555", "FR", "2020-02-15T10:00").views(4).build(),
        Rows.country("5556", "US", "2020-02-15T10:00").views(8).build());
    String body = answer(rows, "/v1/timeseries/accounts/1234?dimensions=video,country"
        + "&where=video==5555;country==US,CA&metrics=video_view&from=" + t("2020-02-15T10:00"));
    String p = "{\"timestamp\":" + t("2020-02-15T10:00") + ",\"value\":";
    assertEquals("{\"video_view\":{\"data\":["
        + "{\"dimensions\":{\"account\":\"1234\",\"video\":\"5555\",\"country\":\"CA\"},"
        + "\"points\":[" + p + "2}]},"
        + "{\"dimensions\":{\"account\":\"1234\",\"video\":\"5555\",\"country\":\"US\"},"
        + "\"points\":[" + p + "1}]}"
        + "]}}", body);
  }

  @Test
  public void otherAccountsAreNotSeen() throws IOException {
    List<MinuteAggregate> rows = List.of(
        Rows.video("5555", "2020-02-15T10:00").account("9999").views(5).build());
    assertEquals("{\"video_view\":{\"data\":[]}}",
        answer(rows, TS + "&metrics=video_view&from=" + t("2020-02-15T10:00")));
  }

  @Test
  public void noDataGivesAnEmptyDataListPerMetric() throws IOException {
    assertEquals("{\"ccu\":{\"data\":[]},\"video_view\":{\"data\":[]}}",
        answer(List.of(), TS + "&metrics=ccu,video_view"));
    assertEquals("{\"ccu\":{\"data\":[]}}", answer(List.of(), TS + "&metrics=ccu&bucket_limit=1"));
  }

  @Test
  public void defaultRangeIsThe32DaysBeforeNow() throws IOException {
    // now is 2020-02-15T12:00; 32 days earlier is 2020-01-14T12:00.
    List<MinuteAggregate> rows = List.of(
        Rows.video("5555", "2020-01-14T11:59").views(1).build(), // before the range
        Rows.video("5555", "2020-01-14T12:00").views(2).build(),
        Rows.video("5555", "2020-02-15T12:00").views(4).build(),
        Rows.video("5555", "2020-02-15T12:01").views(8).build()); // after now
    String body = answer(rows, TS + "&metrics=video_view&bucket_limit=1");
    assertEquals("{\"video_view\":{\"data\":[" + series("5555", point("2020-01-14T12:00", 2 + 4))
        + "]}}", body);
  }

  @Test
  public void tooManyPointsIsRefusedNamingTheBucketParameter() throws IOException {
    // 10:00 to 10:10 is 11 one-minute buckets; the limit here is 10.
    String eleven = TS + "&metrics=ccu&from=" + t("2020-02-15T10:00") + "&to="
        + t("2020-02-15T10:10");
    QueryException e = assertThrows(QueryException.class,
        () -> answer(List.of(), eleven, 10));
    assertEquals("bucket_duration", e.parameter());
    assertThat(e.getMessage(), containsString("limit of 10"));
    assertThat(e.getMessage(), containsString("11 points"));

    e = assertThrows(QueryException.class,
        () -> answer(List.of(), eleven + "&bucket_limit=11", 10));
    assertEquals("bucket_limit", e.parameter());

    // 2-minute buckets: 6 points, allowed.
    assertEquals("{\"ccu\":{\"data\":[]}}", answer(List.of(), eleven + "&bucket_duration=2m", 10));
    assertEquals("{\"ccu\":{\"data\":[]}}", answer(List.of(), eleven + "&bucket_limit=10", 10));
  }

  @Test
  public void theDefaultLimitAllowsTheDefaultRangeAtOneMinute() throws IOException {
    // 32 days = 46,081 minutes including both ends; a year of minutes is refused.
    assertEquals("{\"ccu\":{\"data\":[]}}", answer(List.of(), TS + "&metrics=ccu&from="
        + (t("2020-02-15T12:00") - 32L * 24 * 60 * 60_000)));
    QueryException e = assertThrows(QueryException.class, () -> answer(List.of(),
        TS + "&metrics=ccu&from=" + t("2019-02-15T12:00")));
    assertEquals("bucket_duration", e.parameter());
    assertThat(e.getMessage(), containsString("limit of 100000"));
  }
}
