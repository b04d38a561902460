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
import java.util.function.Consumer;
import org.livemetrics.query.AggregateSelection;
import org.livemetrics.query.AggregateStore;
import org.livemetrics.query.QosSelection;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.DistinctSketch;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMinute;

/**
 * A 24-hour stream of video 5555 on 2020-02-14 (the day before the tests' "now"), made up as it
 * is read: 1,440 minutes, each with a video row, ten country rows and five device-type rows. Like
 * the Parquet store it streams rows rather than holding them, so what a report run measures is the
 * report's own memory.
 *
 * <p>Viewer QoS rows come with it: three platforms a minute ({@link #readQos}). Audience follows a
 * smooth day curve; sketches (only built when a query asks for them) hold
 * the minute's session and device keys, so distinct counts are real unions.
 */
final class DayLongStream implements AggregateStore {
  static final long START = Rows.t("2020-02-14T00:00");
  static final int MINUTES = 1_440;
  static final String[] COUNTRIES = {"US", "BR", "DE", "FR", "GB", "IN", "JP", "MX", "ES",
      "unknown"};
  static final String[] DEVICE_TYPES = {"desktop", "mobile", "tablet", "smart_tv", "unknown"};

  /** Concurrent sessions in minute {@code m}: 200 at midnight, 1,000 at noon. */
  static int ccu(int m) {
    return 600 - (int) Math.round(400 * Math.cos(2 * Math.PI * m / MINUTES));
  }

  /** Stream starts in minute {@code m}. */
  static int views(int m) {
    return 20 + m % 7;
  }

  @Override
  public void read(AggregateSelection s, Consumer<MinuteAggregate> sink) {
    if (!s.account().equals("1234") || !s.videos().contains("5555")) {
      return;
    }
    int first = (int) Math.max(0, (s.fromMinute() - START) / 60_000);
    int last = (int) Math.min(MINUTES - 1, Math.floorDiv(s.toMinuteInclusive() - START, 60_000));
    for (int m = first; m <= last; m++) {
      switch (s.dimensionSet()) {
        case VIDEO -> sink.accept(row(s, m, null, null, 0, 1));
        case VIDEO_COUNTRY -> {
          for (int i = 0; i < COUNTRIES.length; i++) {
            sink.accept(row(s, m, COUNTRIES[i], null, i, COUNTRIES.length));
          }
        }
        case VIDEO_DEVICE_TYPE -> {
          for (int i = 0; i < DEVICE_TYPES.length; i++) {
            sink.accept(row(s, m, null, DEVICE_TYPES[i], i, DEVICE_TYPES.length));
          }
        }
      }
    }
  }

  static final String[] PLATFORMS = {"web", "android", "ios"};

  /**
   * The viewer QoS of the same day, one {video, client_platform} row per platform and minute,
   * each with a few startup and live latencies (sketched only when percentiles are asked for).
   */
  @Override
  public void readQos(QosSelection s, Consumer<QosMinute> sink) {
    if (!s.account().equals("1234") || s.dimensionSet() != QosDimensionSet.VIDEO_CLIENT_PLATFORM
        || !s.videos().isEmpty() && !s.videos().contains("5555")) {
      return;
    }
    int first = (int) Math.max(0, (s.fromMinute() - START) / 60_000);
    int last = (int) Math.min(MINUTES - 1, Math.floorDiv(s.toMinuteInclusive() - START, 60_000));
    for (int m = first; m <= last; m++) {
      for (int p = 0; p < PLATFORMS.length; p++) {
        int sessions = ccu(m) / PLATFORMS.length;
        double[] startups = {800 + p * 100, 1_200 + m % 500, 2_500};
        double[] latencies = {3_000 + p * 500, 4_000 + m % 1_000};
        sink.accept(QosMinute.builder().account("1234")
            .dimensionSet(QosDimensionSet.VIDEO_CLIENT_PLATFORM).video("5555")
            .clientPlatform(PLATFORMS[p]).minute(START + m * 60_000L)
            .concurrentSessions(sessions).count(PLAYING_TIME_MS_FIELD, sessions * 55_000L)
            .count(BUFFERING_TIME_MS_FIELD, sessions * 500L)
            .count(REBUFFER_COUNT_FIELD, sessions / 50).count(ERROR_COUNT_FIELD, m % 3)
            .count(STARTUP_COUNT_FIELD, startups.length)
            .count(STARTUP_SUM_MS_FIELD, (long) (startups[0] + startups[1] + startups[2]))
            .sketch(STARTUP_SKETCH_FIELD, s.needsSketches()
                ? SampleStream.sketch(startups) : new byte[0])
            .count(LIVE_LATENCY_COUNT_FIELD, latencies.length)
            .count(LIVE_LATENCY_SUM_MS_FIELD, (long) (latencies[0] + latencies[1]))
            .sketch(LIVE_LATENCY_SKETCH_FIELD, s.needsSketches()
                ? SampleStream.sketch(latencies) : new byte[0])
            .count(SESSIONS_LOADED_FIELD, 5).count(EXITS_BEFORE_VIDEO_START_FIELD, 1)
            .count(PLAYBACK_ATTEMPTS_FIELD, 6).count(PLAYBACK_FAILURES_FIELD, m % 2)
            .count(SESSIONS_PLAYED_FIELD, 5).count(SESSIONS_REBUFFERED_FIELD, 1).build());
      }
    }
  }

  /** Part {@code part} of {@code parts} of minute {@code m}'s audience. */
  private static MinuteAggregate row(AggregateSelection s, int m, String country,
      String deviceType, int part, int parts) {
    int sessions = ccu(m) / parts;
    int devices = sessions * 4 / 5;
    // Viewers stay about ten minutes: minute m's keys overlap the previous minutes'.
    long base = m * 100L + part * 1_000_000L;
    byte[] sessionSketch = new byte[0];
    byte[] deviceSketch = new byte[0];
    if (s.needsSketches()) {
      sessionSketch = DistinctSketch.of(Rows.keys(base, base + sessions - 1), sessions);
      deviceSketch = DistinctSketch.of(Rows.keys(base, base + devices - 1), devices);
    }
    int views = views(m) / parts;
    return new MinuteAggregate("1234", "5555", s.dimensionSet(), country, deviceType,
        START + m * 60_000L, new long[] {views + 3, views, m % 60 == 0 ? 2 : 0, sessions * 55_000L},
        new long[] {sessions, devices}, new byte[][] {sessionSketch, deviceSketch});
  }
}
