package org.livemetrics.transforms.metrics;

import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.livemetrics.schemas.DeviceType;
import org.livemetrics.schemas.MetricType;
import org.livemetrics.schemas.PlayerEvent;

/** Hand-made events of one video around 2026-11-22T10:00Z, for the streaming tests. */
public final class TestEvents {
  public static final long T0 = java.time.Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();

  private TestEvents() {}

  public static long at(int minute, int second) {
    return T0 + minute * 60_000L + second * 1000L;
  }

  public static Instant instant(int minute, int second) {
    return new Instant(at(minute, second));
  }

  public static IntervalWindow minute(int minute) {
    return new IntervalWindow(instant(minute, 0), Duration.standardMinutes(1));
  }

  public static PlayerEvent event(MetricType type, long time, long fp, String session) {
    return builder(type, time, fp, session).build();
  }

  public static PlayerEvent summary(long time, long fp, String session, long playingMs) {
    return builder(MetricType.PLAYBACK_SUMMARY, time, fp, session)
        .playingTimeMs(playingMs)
        .bufferingTimeMs(0L)
        .build();
  }

  private static PlayerEvent.Builder builder(MetricType type, long time, long fp, String session) {
    return PlayerEvent.builder()
        .metricType(type)
        .eventTime(time)
        .account("1234")
        .video("5555")
        .sessionId(session)
        .country("US")
        .deviceType(DeviceType.DESKTOP)
        .fingerprint(fp);
  }

  /** As the streaming pipeline does after parsing: the element's timestamp is its event_time. */
  public static TimestampedValue<PlayerEvent> ts(PlayerEvent e) {
    return TimestampedValue.of(e, new Instant(e.eventTime));
  }

  /** The {video} row's {@code toString} for a minute. */
  public static String row(int minute, long imp, long views, long ms, long ccu, long fps) {
    return "video[1234/5555 @" + (T0 + minute * 60_000L) + "] impressions=" + imp + " views=" + views
        + " ads=0 viewed_ms=" + ms + " ccu=" + ccu + " fingerprints=" + fps;
  }
}
