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
import java.util.ArrayList;
import java.util.List;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.livemetrics.query.InMemoryAggregateStore;
import org.livemetrics.schemas.LatencySketch;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMinute;

/**
 * A small stream whose report the tests work out by hand: video 5555 of account 1234 on
 * 2020-02-15, minutes 10:00, 10:01 and 10:03 (nothing at 10:02), by video, device type and country,
 * plus rows of another video and another account that the report must leave out.
 *
 * <pre>
 * minute  sessions  devices   views  impressions  seconds viewed  ad starts
 * 10:00   1-10      1-6       10     12           300.000         1
 * 10:01   5-20      4-12       5      6           600.500         0
 * 10:03   18-25     11-15      2      3           420.250         2
 *
 * device type  minute  devices  views  seconds       country  minute  devices  views  seconds
 * desktop      10:00   1-4      6      200.000       US       10:00   1-3      5      150.000
 * mobile       10:00   5-6      4      100.000       BR       10:00   4-6      5      150.000
 * desktop      10:01   4-8      3      400.500       US       10:01   2-7      3      300.000
 * smart_tv     10:01   9-12     2      200.000       DE       10:01   8-12     2      300.500
 * mobile       10:03   11-15    2      420.250       unknown  10:03   11-15    2      420.250
 * </pre>
 *
 * <p>Viewer QoS rows of the video ({video, client_platform} rows, all of account 1234), and rows
 * the report must leave out: the account-wide {client_platform} set, another video, and the same
 * video id in account 9999 (in {@link #OTHER_ACCOUNT_QOS}).
 *
 * <pre>
 * platform minute playing buffering rebuffers errors startups (ms)     live latencies (ms)
 * web      10:00  90,000   6,000    2         1      1000, 3000       4000, 6000
 * android  10:01  50,000       0    0         0      2000             8000
 * ios      10:03  50,000   4,000    1         2      500, 1500, 2500  3000
 *
 * platform minute loaded exits attempts failures played rebuffered (sessions)
 * web      10:00  4      1     5        0        3      1
 * android  10:01  2      0     3        1        3      0
 * ios      10:03  4      3     2        1        2      1
 * </pre>
 */
final class SampleStream {
  private SampleStream() {}

  static final List<MinuteAggregate> ROWS = List.of(
      Rows.video("5555", "2020-02-15T10:00").sessions(1, 10).fingerprints(1, 6)
          .views(10).impressions(12).secondsViewedMs(300_000).ads(1).build(),
      Rows.video("5555", "2020-02-15T10:01").sessions(5, 20).fingerprints(4, 12)
          .views(5).impressions(6).secondsViewedMs(600_500).ads(0).build(),
      Rows.video("5555", "2020-02-15T10:03").sessions(18, 25).fingerprints(11, 15)
          .views(2).impressions(3).secondsViewedMs(420_250).ads(2).build(),

      Rows.device("5555", "desktop", "2020-02-15T10:00").fingerprints(1, 4).views(6)
          .secondsViewedMs(200_000).build(),
      Rows.device("5555", "mobile", "2020-02-15T10:00").fingerprints(5, 6).views(4)
          .secondsViewedMs(100_000).build(),
      Rows.device("5555", "desktop", "2020-02-15T10:01").fingerprints(4, 8).views(3)
          .secondsViewedMs(400_500).build(),
      Rows.device("5555", "smart_tv", "2020-02-15T10:01").fingerprints(9, 12).views(2)
          .secondsViewedMs(200_000).build(),
      Rows.device("5555", "mobile", "2020-02-15T10:03").fingerprints(11, 15).views(2)
          .secondsViewedMs(420_250).build(),

      Rows.country("5555", "US", "2020-02-15T10:00").fingerprints(1, 3).views(5)
          .secondsViewedMs(150_000).build(),
      Rows.country("5555", "BR", "2020-02-15T10:00").fingerprints(4, 6).views(5)
          .secondsViewedMs(150_000).build(),
      Rows.country("5555", "US", "2020-02-15T10:01").fingerprints(2, 7).views(3)
          .secondsViewedMs(300_000).build(),
      Rows.country("5555", "DE", "2020-02-15T10:01").fingerprints(8, 12).views(2)
          .secondsViewedMs(300_500).build(),
      Rows.country("5555", "unknown", "2020-02-15T10:03").fingerprints(11, 15).views(2)
          .secondsViewedMs(420_250).build(),

      // Not in the report: another video, and the same video id in another account.
      Rows.video("5556", "2020-02-15T10:02").sessions(1, 500).fingerprints(1, 400)
          .views(900).impressions(900).secondsViewedMs(9_000_000).ads(9).build(),
      Rows.device("5556", "tablet", "2020-02-15T10:02").fingerprints(1, 400).views(900).build(),
      Rows.country("5556", "FR", "2020-02-15T10:02").fingerprints(1, 400).views(900).build(),
      Rows.video("5555", "2020-02-15T09:59").account("9999").sessions(1, 99).views(99).build(),
      Rows.country("5555", "JP", "2020-02-15T10:04").account("9999").fingerprints(1, 9)
          .views(99).build());

  static final List<QosMinute> QOS = List.of(
      qos("1234", "5555", "web", "2020-02-15T10:00").count(PLAYING_TIME_MS_FIELD, 90_000)
          .count(BUFFERING_TIME_MS_FIELD, 6_000).count(REBUFFER_COUNT_FIELD, 2)
          .count(ERROR_COUNT_FIELD, 1)
          .count(STARTUP_COUNT_FIELD, 2).count(STARTUP_SUM_MS_FIELD, 4_000)
          .sketch(STARTUP_SKETCH_FIELD, sketch(1000, 3000)).count(LIVE_LATENCY_COUNT_FIELD, 2)
          .count(LIVE_LATENCY_SUM_MS_FIELD, 10_000)
          .sketch(LIVE_LATENCY_SKETCH_FIELD, sketch(4000, 6000))
          .count(SESSIONS_LOADED_FIELD, 4).count(EXITS_BEFORE_VIDEO_START_FIELD, 1)
          .count(PLAYBACK_ATTEMPTS_FIELD, 5).count(PLAYBACK_FAILURES_FIELD, 0)
          .count(SESSIONS_PLAYED_FIELD, 3).count(SESSIONS_REBUFFERED_FIELD, 1).build(),
      qos("1234", "5555", "android", "2020-02-15T10:01").count(PLAYING_TIME_MS_FIELD, 50_000)
          .count(STARTUP_COUNT_FIELD, 1).count(STARTUP_SUM_MS_FIELD, 2_000)
          .sketch(STARTUP_SKETCH_FIELD, sketch(2000)).count(LIVE_LATENCY_COUNT_FIELD, 1)
          .count(LIVE_LATENCY_SUM_MS_FIELD, 8_000)
          .sketch(LIVE_LATENCY_SKETCH_FIELD, sketch(8000))
          .count(SESSIONS_LOADED_FIELD, 2).count(EXITS_BEFORE_VIDEO_START_FIELD, 0)
          .count(PLAYBACK_ATTEMPTS_FIELD, 3).count(PLAYBACK_FAILURES_FIELD, 1)
          .count(SESSIONS_PLAYED_FIELD, 3).count(SESSIONS_REBUFFERED_FIELD, 0).build(),
      qos("1234", "5555", "ios", "2020-02-15T10:03").count(PLAYING_TIME_MS_FIELD, 50_000)
          .count(BUFFERING_TIME_MS_FIELD, 4_000).count(REBUFFER_COUNT_FIELD, 1)
          .count(ERROR_COUNT_FIELD, 2)
          .count(STARTUP_COUNT_FIELD, 3).count(STARTUP_SUM_MS_FIELD, 4_500)
          .sketch(STARTUP_SKETCH_FIELD, sketch(500, 1500, 2500)).count(LIVE_LATENCY_COUNT_FIELD, 1)
          .count(LIVE_LATENCY_SUM_MS_FIELD, 3_000)
          .sketch(LIVE_LATENCY_SKETCH_FIELD, sketch(3000))
          .count(SESSIONS_LOADED_FIELD, 4).count(EXITS_BEFORE_VIDEO_START_FIELD, 3)
          .count(PLAYBACK_ATTEMPTS_FIELD, 2).count(PLAYBACK_FAILURES_FIELD, 1)
          .count(SESSIONS_PLAYED_FIELD, 2).count(SESSIONS_REBUFFERED_FIELD, 1).build(),

      // Not in the report: another video, and the account-wide rows of every video.
      qos("1234", "5556", "web", "2020-02-15T10:01").count(PLAYING_TIME_MS_FIELD, 1_000)
          .count(BUFFERING_TIME_MS_FIELD, 9_000)
          .count(ERROR_COUNT_FIELD, 50).count(STARTUP_COUNT_FIELD, 1)
          .count(STARTUP_SUM_MS_FIELD, 60_000)
          .sketch(STARTUP_SKETCH_FIELD, sketch(60_000))
          .count(SESSIONS_LOADED_FIELD, 9).count(EXITS_BEFORE_VIDEO_START_FIELD, 9)
          .count(PLAYBACK_ATTEMPTS_FIELD, 9).count(PLAYBACK_FAILURES_FIELD, 9)
          .count(SESSIONS_PLAYED_FIELD, 9).count(SESSIONS_REBUFFERED_FIELD, 9).build(),
      QosMinute.builder().account("1234").dimensionSet(QosDimensionSet.CLIENT_PLATFORM)
          .clientPlatform("web").minute(Rows.t("2020-02-15T10:00"))
          .count(PLAYING_TIME_MS_FIELD, 1_000)
          .count(BUFFERING_TIME_MS_FIELD, 9_000)
          .count(ERROR_COUNT_FIELD, 70).count(STARTUP_COUNT_FIELD, 1)
          .count(STARTUP_SUM_MS_FIELD, 70_000)
          .sketch(STARTUP_SKETCH_FIELD, sketch(70_000))
          .count(SESSIONS_LOADED_FIELD, 8).count(EXITS_BEFORE_VIDEO_START_FIELD, 8)
          .count(PLAYBACK_ATTEMPTS_FIELD, 8).count(PLAYBACK_FAILURES_FIELD, 8)
          .count(SESSIONS_PLAYED_FIELD, 8).count(SESSIONS_REBUFFERED_FIELD, 8).build());

  /**
   * Video 5555 of account 9999, 10:01 on web: one session that started in 9 s and failed, no
   * playback, no live latency.
   */
  static final List<QosMinute> OTHER_ACCOUNT_QOS = List.of(
      qos("9999", "5555", "web", "2020-02-15T10:01").count(ERROR_COUNT_FIELD, 100)
          .count(STARTUP_COUNT_FIELD, 1).count(STARTUP_SUM_MS_FIELD, 9_000)
          .sketch(STARTUP_SKETCH_FIELD, sketch(9000)).count(SESSIONS_LOADED_FIELD, 7)
          .count(EXITS_BEFORE_VIDEO_START_FIELD, 7).count(PLAYBACK_ATTEMPTS_FIELD, 7)
          .count(PLAYBACK_FAILURES_FIELD, 7).count(SESSIONS_PLAYED_FIELD, 0)
          .count(SESSIONS_REBUFFERED_FIELD, 0).build());

  /** The audience and QoS rows above. */
  static InMemoryAggregateStore store() {
    List<QosMinute> qos = new ArrayList<>(QOS);
    qos.addAll(OTHER_ACCOUNT_QOS);
    return new InMemoryAggregateStore(ROWS, qos, List.of(), List.of());
  }

  /** The audience rows alone: a store without viewer QoS. */
  static InMemoryAggregateStore audienceOnly() {
    return new InMemoryAggregateStore(ROWS);
  }

  static QosMinute.Builder qos(String account, String video, String platform, String minute) {
    return QosMinute.builder().account(account)
        .dimensionSet(QosDimensionSet.VIDEO_CLIENT_PLATFORM).video(video)
        .clientPlatform(platform).minute(Rows.t(minute));
  }

  /** A KLL sketch of raw latencies, as the pipeline builds one per row. */
  static byte[] sketch(double... values) {
    KllDoublesSketch s = LatencySketch.newSketch();
    for (double v : values) {
      s.update(v);
    }
    return s.toByteArray();
  }
}
