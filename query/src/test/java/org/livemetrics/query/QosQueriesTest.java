package org.livemetrics.query;

import static org.livemetrics.schemas.family.ViewerQosFamily.BUFFERING_TIME_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.ERROR_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYING_TIME_MS_FIELD;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertEquals;
import static org.livemetrics.query.QosRows.arn;
import static org.livemetrics.query.Rows.t;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.Test;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.LatencySketch;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMetric;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.schemas.StreamSession;

/**
 * The QoS, broadcast and stream answers of the engine over rows in memory; every expected value is
 * worked out by hand in the comments, or computed exactly from the raw values the rows' sketches
 * were built from.
 */
public class QosQueriesTest {
  private static final Clock NOON =
      Clock.fixed(Instant.parse("2020-02-15T12:00:00Z"), ZoneOffset.UTC);
  private static final long M0 = t("2020-02-15T10:00");
  private static final long M1 = t("2020-02-15T10:01");
  private static final long M3 = t("2020-02-15T10:03");

  /** Account 1234 owns the channels of the test rows' AWS account. */
  private static final ChannelOwners OWNERS =
      ChannelOwners.parse(List.of(QosRows.AWS + " " + QosRows.ACCOUNT), "test");

  private static QueryResult ask(AggregateStore store, String uri) throws IOException {
    return new QueryEngine(store, QueryEngine.DEFAULT_MAX_POINTS_PER_SERIES, OWNERS)
        .execute(ApiRequest.parse(uri, NOON));
  }

  private static String json(AggregateStore store, String uri) throws IOException {
    return BrightcoveJson.toJson(ask(store, uri));
  }

  private static InMemoryAggregateStore qos(List<QosMinute> rows) {
    return new InMemoryAggregateStore(List.of(), rows, List.of(), List.of());
  }

  // ---------------------------------------------------------------------------------------------
  // Viewer QoS, small rows worked by hand

  /**
   * web 10:00: 3 sessions, 9000 ms played, 1000 buffering, latencies 2000, 4000; 720p 30 s and
   * 1080p 15.5 s. web 10:01: 5 sessions, 1000 played, latency 3000. web 10:03: 2 sessions, no
   * summaries. ios 10:00: 4 sessions, 2000 played, 3000 buffering, latency 6000; 720p 1 s. ios
   * 10:01: 1 session, no summaries.
   */
  private static final List<QosMinute> SMALL = List.of(
      QosRows.renditions(QosRows.liveLatencies(QosRows.platform("web", M0)
          .concurrentSessions(3).count(PLAYING_TIME_MS_FIELD, 9000)
          .count(BUFFERING_TIME_MS_FIELD, 1000), 2000, 4000),
          Map.of("720p", 30_000L, "1080p", 15_500L)).build(),
      QosRows.liveLatencies(QosRows.platform("web", M1).concurrentSessions(5)
          .count(PLAYING_TIME_MS_FIELD, 1000), 3000).build(),
      QosRows.platform("web", M3).concurrentSessions(2).build(),
      QosRows.renditions(QosRows.liveLatencies(QosRows.platform("ios", M0)
          .concurrentSessions(4).count(PLAYING_TIME_MS_FIELD, 2000)
          .count(BUFFERING_TIME_MS_FIELD, 3000), 6000),
          Map.of("720p", 1_000L)).build(),
      QosRows.platform("ios", M1).concurrentSessions(1).build());

  private static String point(long ts, Object value) {
    return "{\"timestamp\":" + ts + ",\"value\":" + value + "}";
  }

  @Test
  public void perPlatformMinutesWithGapsAndNoData() throws IOException {
    String body = json(qos(SMALL), "/v1/timeseries/accounts/1234?dimensions=client_platform"
        + "&metrics=concurrent_sessions,buffer_ratio,live_latency_ms_p50&from=" + M0 + "&to="
        + (M3 + 59_999));
    String ios = "{\"dimensions\":{\"account\":\"1234\",\"client_platform\":\"ios\"},\"points\":[";
    String web = "{\"dimensions\":{\"account\":\"1234\",\"client_platform\":\"web\"},\"points\":[";
    long m2 = M1 + 60_000;
    assertEquals("{\"concurrent_sessions\":{\"data\":["
        + ios + point(M0, 4) + "," + point(M1, 1) + "]},"
        + web + point(M0, 3) + "," + point(M1, 5) + "," + point(m2, 0) + "," + point(M3, 2)
        + "]}]},"
        // 3000 / (2000 + 3000) = 0.6; ios 10:01 and web 10:02, 10:03 have no summaries: null.
        + "\"buffer_ratio\":{\"data\":["
        + ios + point(M0, 0.6) + "," + point(M1, null) + "]},"
        + web + point(M0, 0.1) + "," + point(M1, 0) + "," + point(m2, null) + ","
        + point(M3, null) + "]}]},"
        // Lower medians: web 10:00 of {2000, 4000} is 2000.
        + "\"live_latency_ms_p50\":{\"data\":["
        + ios + point(M0, 6000) + "," + point(M1, null) + "]},"
        + web + point(M0, 2000) + "," + point(M1, 3000) + "," + point(m2, null) + ","
        + point(M3, null) + "]}]}}", body);
  }

  @Test
  public void allPlatformsRolledUpArePeaksOfSumsRatiosOfSumsAndMergedPercentiles()
      throws IOException {
    String body = json(qos(SMALL), "/v1/timeseries/accounts/1234?metrics=concurrent_sessions,"
        + "buffer_ratio,live_latency_ms_p95,live_latency_ms_mean,error_count&from=" + M0
        + "&to=" + (M0 + 3_599_999) + "&bucket_duration=1h");
    String all = "{\"dimensions\":{\"account\":\"1234\"},\"points\":[";
    // Sessions per minute: 3+4 = 7, 5+1 = 6, 2: the peak is 7 (not 5, the busiest platform's).
    // Buffer: (1000 + 3000) / (9000 + 1000 + 1000 + 2000 + 3000) = 0.25; the mean of the
    // per-row ratios (0.1, 0, 0.6) would be 0.233333.
    // Latencies {2000, 4000, 3000, 6000}: p95 = sorted[ceil(0.95 * 4) - 1] = 6000, where the
    // average of the platforms' p95s would be (4000 + 6000) / 2 = 5000; mean 15000 / 4 = 3750.
    assertEquals("{\"concurrent_sessions\":{\"data\":[" + all + point(M0, 7) + "]}]},"
        + "\"buffer_ratio\":{\"data\":[" + all + point(M0, 0.25) + "]}]},"
        + "\"live_latency_ms_p95\":{\"data\":[" + all + point(M0, 6000) + "]}]},"
        + "\"live_latency_ms_mean\":{\"data\":[" + all + point(M0, 3750) + "]}]},"
        + "\"error_count\":{\"data\":[" + all + point(M0, 0) + "]}]}}", body);
  }

  /**
   * Account-wide rows by country and by device type, beside platform rows of the same minutes
   * (which a country query must not read). BR 10:00: 2 sessions, 4000 played, 1000 buffering;
   * BR 10:01: 3 sessions, 1000 played, 0 buffering; US 10:00: 5 sessions, 3000 played, 3000
   * buffering. mobile 10:00: 6 sessions, errors 2; desktop 10:00: 1 session, errors 0.
   */
  private static final List<QosMinute> BY_PLACE = List.of(
      QosMinute.builder().account("1234").dimensionSet(QosDimensionSet.COUNTRY).country("BR")
          .minute(M0).concurrentSessions(2).count(PLAYING_TIME_MS_FIELD, 4000)
          .count(BUFFERING_TIME_MS_FIELD, 1000).build(),
      QosMinute.builder().account("1234").dimensionSet(QosDimensionSet.COUNTRY).country("BR")
          .minute(M1).concurrentSessions(3).count(PLAYING_TIME_MS_FIELD, 1000).build(),
      QosMinute.builder().account("1234").dimensionSet(QosDimensionSet.COUNTRY).country("US")
          .minute(M0).concurrentSessions(5).count(PLAYING_TIME_MS_FIELD, 3000)
          .count(BUFFERING_TIME_MS_FIELD, 3000).build(),
      QosMinute.builder().account("1234").dimensionSet(QosDimensionSet.DEVICE_TYPE)
          .deviceType("mobile").minute(M0).concurrentSessions(6)
          .count(ERROR_COUNT_FIELD, 2).build(),
      QosMinute.builder().account("1234").dimensionSet(QosDimensionSet.DEVICE_TYPE)
          .deviceType("desktop").minute(M0).concurrentSessions(1).build(),
      QosRows.platform("web", M0).concurrentSessions(7).count(PLAYING_TIME_MS_FIELD, 7000)
          .count(BUFFERING_TIME_MS_FIELD, 4000).build());

  @Test
  public void byCountryAndByDeviceTypeWithWhere() throws IOException {
    // BR over both minutes: peak sessions max(2, 3) = 3; buffer 1000 / (5000 + 1000) = 0.166667.
    assertEquals("{\"data\":[{\"dimensions\":{\"account\":\"1234\",\"country\":\"BR\"},"
        + "\"totals\":{\"concurrent_sessions\":3,\"buffer_ratio\":0.166667}}]}",
        json(qos(BY_PLACE), "/v1/events/accounts/1234?dimensions=country"
            + "&metrics=concurrent_sessions,buffer_ratio&where=country==BR&from=" + M0 + "&to="
            + (M1 + 59_999)));
    // Per minute and country: 10:00 BR 2, US 5; 10:01 BR 3 (US has no row then).
    String br = "{\"dimensions\":{\"account\":\"1234\",\"country\":\"BR\"},\"points\":[";
    String us = "{\"dimensions\":{\"account\":\"1234\",\"country\":\"US\"},\"points\":[";
    assertEquals("{\"concurrent_sessions\":{\"data\":[" + br + point(M0, 2) + ","
        + point(M1, 3) + "]}," + us + point(M0, 5) + "]}]}}",
        json(qos(BY_PLACE), "/v1/timeseries/accounts/1234?dimensions=country"
            + "&metrics=concurrent_sessions&from=" + M0 + "&to=" + (M1 + 59_999)));
    // By device type: the device rows only, not the country or platform rows of the minute.
    assertEquals("{\"data\":["
        + "{\"dimensions\":{\"account\":\"1234\",\"device_type\":\"desktop\"},"
        + "\"totals\":{\"concurrent_sessions\":1,\"error_count\":0}},"
        + "{\"dimensions\":{\"account\":\"1234\",\"device_type\":\"mobile\"},"
        + "\"totals\":{\"concurrent_sessions\":6,\"error_count\":2}}]}",
        json(qos(BY_PLACE), "/v1/events/accounts/1234?dimensions=device_type"
            + "&metrics=concurrent_sessions,error_count&from=" + M0 + "&to=" + (M1 + 59_999)));
    // No dimension still rolls the platform rows up: 7 sessions, 4000 / 11000.
    assertEquals("{\"data\":[{\"dimensions\":{\"account\":\"1234\"},"
        + "\"totals\":{\"concurrent_sessions\":7,\"buffer_ratio\":0.363636}}]}",
        json(qos(BY_PLACE), "/v1/events/accounts/1234?metrics=concurrent_sessions,buffer_ratio"
            + "&from=" + M0 + "&to=" + (M1 + 59_999)));
  }

  @Test
  public void secondsPlayedPerRenditionAreAnObjectByRendition() throws IOException {
    String body = json(qos(SMALL), "/v1/events/accounts/1234?dimensions=client_platform"
        + "&metrics=rendition_seconds_played&where=client_platform==web,ios&from=" + M0 + "&to="
        + (M3 + 59_999));
    assertEquals("{\"data\":["
        + "{\"dimensions\":{\"account\":\"1234\",\"client_platform\":\"ios\"},"
        + "\"totals\":{\"rendition_seconds_played\":{\"720p\":1}}},"
        + "{\"dimensions\":{\"account\":\"1234\",\"client_platform\":\"web\"},"
        + "\"totals\":{\"rendition_seconds_played\":{\"1080p\":15.5,\"720p\":30}}}]}", body);
    // All platforms: 720p 30 + 1 = 31 s.
    assertEquals("{\"data\":[{\"dimensions\":{\"account\":\"1234\"},"
        + "\"totals\":{\"rendition_seconds_played\":{\"1080p\":15.5,\"720p\":31}}}]}",
        json(qos(SMALL), "/v1/events/accounts/1234?metrics=rendition_seconds_played&from=" + M0
            + "&to=" + (M3 + 59_999)));
  }

  @Test
  public void videoDimensionsReadTheVideoRowsAndRollTheirPlatformsUp() throws IOException {
    List<QosMinute> rows = List.of(
        QosRows.video("5555", "web", M0).concurrentSessions(2).count(PLAYING_TIME_MS_FIELD, 1000)
            .count(BUFFERING_TIME_MS_FIELD, 1000).build(),
        QosRows.video("5555", "ios", M0).concurrentSessions(1)
            .count(PLAYING_TIME_MS_FIELD, 3000).build(),
        QosRows.video("6666", "web", M0).concurrentSessions(9).build(),
        // A {client_platform} row: never mixed into video answers.
        QosRows.platform("web", M0).concurrentSessions(100).build());
    String range = "&from=" + M0 + "&to=" + (M0 + 59_999);
    // 5555 over both platforms: 2 + 1 sessions; 1000 / (1000 + 1000 + 3000) = 0.2.
    assertEquals("{\"data\":[{\"dimensions\":{\"account\":\"1234\",\"video\":\"5555\"},"
        + "\"totals\":{\"concurrent_sessions\":3,\"buffer_ratio\":0.2}}]}",
        json(qos(rows), "/v1/events/accounts/1234?dimensions=video"
            + "&metrics=concurrent_sessions,buffer_ratio&where=video==5555" + range));
    assertEquals("{\"data\":[{\"dimensions\":{\"account\":\"1234\",\"video\":\"5555\","
        + "\"client_platform\":\"web\"},\"totals\":{\"concurrent_sessions\":2,"
        + "\"buffer_ratio\":0.5}}]}",
        json(qos(rows), "/v1/events/accounts/1234?dimensions=video,client_platform"
            + "&metrics=concurrent_sessions,buffer_ratio"
            + "&where=video==5555;client_platform==web" + range));
  }

  // ---------------------------------------------------------------------------------------------
  // Percentiles over many values: against the exact percentiles of the raw values

  /** Rank of {@code q} among {@code sorted}: the share of values at most {@code q}. */
  private static double rank(double[] sorted, double q) {
    int n = 0;
    while (n < sorted.length && sorted[n] <= q) {
      n++;
    }
    return (double) n / sorted.length;
  }

  private static double exactQuantile(double[] sorted, double rank) {
    return sorted[(int) Math.ceil(rank * sorted.length) - 1];
  }

  @Test
  public void percentilesOverPlatformsAndMinutesAreWithinKllRankErrorNotAveragesOfPercentiles()
      throws IOException {
    Random random = new Random(11);
    List<QosMinute> rows = new ArrayList<>();
    List<Double> all = new ArrayList<>();
    List<Double> web = new ArrayList<>();
    List<Double> ios = new ArrayList<>();
    for (long minute : new long[] {M0, M1, M3}) {
      double[] w = new double[250];
      double[] i = new double[250];
      for (int k = 0; k < 250; k++) {
        w[k] = 1000 + random.nextInt(2000); // web: 1 to 3 s
        i[k] = 5000 + random.nextInt(4000); // ios: 5 to 9 s
        web.add(w[k]);
        ios.add(i[k]);
      }
      rows.add(QosRows.liveLatencies(QosRows.platform("web", minute), w).build());
      rows.add(QosRows.liveLatencies(QosRows.platform("ios", minute), i).build());
    }
    all.addAll(web);
    all.addAll(ios);
    double[] sorted = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();

    QosEventsResult result = (QosEventsResult) ask(qos(rows), "/v1/events/accounts/1234"
        + "?metrics=live_latency_ms_p50,live_latency_ms_p95,live_latency_ms_mean&from=" + M0
        + "&to=" + (M3 + 59_999));
    Map<QosMetric, Object> totals = result.data().get(0).totals();
    double p50 = ((BigDecimal) totals.get(QosMetric.LIVE_LATENCY_MS_P50)).doubleValue();
    double p95 = ((BigDecimal) totals.get(QosMetric.LIVE_LATENCY_MS_P95)).doubleValue();
    assertThat(Math.abs(rank(sorted, p50) - 0.5), lessThanOrEqualTo(LatencySketch.RANK_ERROR));
    assertThat(Math.abs(rank(sorted, p95) - 0.95), lessThanOrEqualTo(LatencySketch.RANK_ERROR));
    double mean = Arrays.stream(sorted).sum() / sorted.length;
    assertEquals(mean,
        ((BigDecimal) totals.get(QosMetric.LIVE_LATENCY_MS_MEAN)).doubleValue(), 0.0005);

    // The average of the two platforms' exact p95s (about 2900 and 8800) lies near the median of
    // all values: nowhere near the 95th percentile the answer must be.
    double averaged = (exactQuantile(web.stream().mapToDouble(d -> d).sorted().toArray(), 0.95)
        + exactQuantile(ios.stream().mapToDouble(d -> d).sorted().toArray(), 0.95)) / 2;
    assertThat(Math.abs(rank(sorted, averaged) - 0.95), greaterThan(0.3));
    assertThat(Math.abs(p95 - averaged), greaterThan(2000.0));
  }

  // ---------------------------------------------------------------------------------------------
  // Broadcast

  /**
   * Channels a and b in us-west-2, c in eu-west-1. 10:00: a and c live, a starved 1.5 s (one
   * episode began). 10:01: a, b and c live, a's episode goes on 2 s.
   */
  private static final List<BroadcastMinute> BROADCAST = List.of(
      QosRows.all(M0, 2, 1, 1500), QosRows.all(M1, 3, 0, 2000),
      QosRows.region("us-west-2", M0, 1, 1, 1500), QosRows.region("us-west-2", M1, 2, 0, 2000),
      QosRows.region("eu-west-1", M0, 1, 0, 0), QosRows.region("eu-west-1", M1, 1, 0, 0),
      QosRows.channel("us-west-2", "a", M0, 1, 1, 1500),
      QosRows.channel("us-west-2", "a", M1, 1, 0, 2000),
      QosRows.channel("us-west-2", "b", M1, 1, 0, 0),
      QosRows.channel("eu-west-1", "c", M0, 1, 0, 0),
      QosRows.channel("eu-west-1", "c", M1, 1, 0, 0));

  private static InMemoryAggregateStore broadcast() {
    return new InMemoryAggregateStore(List.of(), List.of(), BROADCAST, List.of());
  }

  @Test
  public void broadcastOverallPerRegionAndPerChannel() throws IOException {
    String hour = "&from=" + M0 + "&to=" + (M0 + 3_599_999) + "&bucket_duration=1h";
    assertEquals("{\"channel_concurrency\":{\"data\":[{\"dimensions\":{},\"points\":["
        + point(M0, 3) + "]}]},\"starvation_count\":{\"data\":[{\"dimensions\":{},\"points\":["
        + point(M0, 1) + "]}]},\"starvation_seconds\":{\"data\":[{\"dimensions\":{},"
        + "\"points\":[" + point(M0, 3.5) + "]}]}}",
        json(broadcast(), "/v1/timeseries/accounts/*?metrics=channel_concurrency,"
            + "starvation_count,starvation_seconds" + hour));

    assertEquals("{\"channel_concurrency\":{\"data\":["
        + "{\"dimensions\":{\"region\":\"eu-west-1\"},\"points\":[" + point(M0, 1) + ","
        + point(M1, 1) + "]},"
        + "{\"dimensions\":{\"region\":\"us-west-2\"},\"points\":[" + point(M0, 1) + ","
        + point(M1, 2) + "]}]}}",
        json(broadcast(), "/v1/timeseries/accounts/*?dimensions=region"
            + "&metrics=channel_concurrency&from=" + M0 + "&to=" + (M1 + 59_999)));

    assertEquals("{\"data\":["
        + "{\"dimensions\":{\"region\":\"us-west-2\",\"channel\":\"" + arn("us-west-2", "a")
        + "\"},\"totals\":{\"channel_concurrency\":1,\"starvation_seconds\":3.5}},"
        + "{\"dimensions\":{\"region\":\"us-west-2\",\"channel\":\"" + arn("us-west-2", "b")
        + "\"},\"totals\":{\"channel_concurrency\":1,\"starvation_seconds\":0}}]}",
        json(broadcast(), "/v1/events/accounts/*?dimensions=region,channel"
            + "&metrics=channel_concurrency,starvation_seconds&where=region==us-west-2&from="
            + M0 + "&to=" + (M1 + 59_999)));
  }

  // ---------------------------------------------------------------------------------------------
  // Streams

  @Test
  public void streamsLiveInTheRangeOpenOnesWithTheirRunningDuration() throws IOException {
    long from = t("2020-02-15T10:00");
    long to = t("2020-02-15T11:00");
    List<StreamSession> streams = List.of(
        QosRows.ended("us-west-2", "a", "st-A", t("2020-02-15T08:00"), t("2020-02-15T09:00"), 0),
        QosRows.ended("us-west-2", "a", "st-B", t("2020-02-15T10:10"), t("2020-02-15T10:40"), 2),
        QosRows.open("us-west-2", "c", "st-C", t("2020-02-15T09:30"), t("2020-02-15T10:50"), 7),
        QosRows.open("us-west-2", "c", "st-D", t("2020-02-15T11:30"), t("2020-02-15T11:31"), 0),
        QosRows.failed("eu-west-1", "e", "st-E", t("2020-02-15T09:50"), t("2020-02-15T10:05")),
        // Ends the moment the range begins: live at its first instant.
        QosRows.ended("us-west-2", "f", "st-F", t("2020-02-15T07:00"), from, 0),
        // Another AWS account, which 1234 does not own.
        new StreamSession("999999999999", "us-west-2",
            "arn:aws:ivs:us-west-2:999999999999:channel/g", null, "st-G", from, null,
            StreamSession.Outcome.OPEN, 60_000L, from + 60_000, 0, null, null, 0, 0));
    InMemoryAggregateStore store =
        new InMemoryAggregateStore(List.of(), List.of(), List.of(), streams);
    String path = "/v1/streams/accounts/1234?from=" + from + "&to=" + to;

    StreamsResult all = (StreamsResult) ask(store, path);
    assertEquals(List.of("st-F", "st-C", "st-E", "st-B"),
        all.streams().stream().map(StreamSession::streamId).toList());

    // 09:30 to 10:50 as of the watermark: 80 minutes, 4800 s, still running.
    assertEquals("{\"data\":[{\"account\":\"123456789012\",\"region\":\"us-west-2\","
        + "\"channel\":\"" + arn("us-west-2", "c") + "\",\"channel_name\":\"c\","
        + "\"stream_id\":\"st-C\",\"start\":" + t("2020-02-15T09:30") + ",\"end\":null,"
        + "\"outcome\":\"open\",\"duration_seconds\":4800,\"as_of\":" + t("2020-02-15T10:50")
        + ",\"session_created\":null,\"session_ended\":null,\"starvation_count\":0,"
        + "\"starvation_seconds\":0}]}",
        json(store, path + "&where=outcome==open"));

    StreamsResult failedInEu = (StreamsResult) ask(store,
        path + "&where=region==eu-west-1;outcome==failed,ended");
    assertEquals(List.of("st-E"),
        failedInEu.streams().stream().map(StreamSession::streamId).toList());
    StreamsResult channelA = (StreamsResult) ask(store,
        path + "&where=channel==" + arn("us-west-2", "a"));
    assertEquals(List.of("st-B"),
        channelA.streams().stream().map(StreamSession::streamId).toList());
  }
}
