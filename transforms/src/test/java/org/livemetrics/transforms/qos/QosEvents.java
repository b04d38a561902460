package org.livemetrics.transforms.qos;

import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.DeviceType;
import org.livemetrics.schemas.MetricType;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.transforms.metrics.TestEvents;

/** Hand-made player events for the QoS tests, around {@link TestEvents#T0} (2026-11-22T10:00Z). */
final class QosEvents {
  private QosEvents() {}

  static long at(int minute, int second) {
    return TestEvents.at(minute, second);
  }

  static long minute(int m) {
    return TestEvents.T0 + m * 60_000L;
  }

  static PlayerEvent.Builder event(MetricType type, long time, String video, long fp,
      String session, @Nullable String platform) {
    return PlayerEvent.builder()
        .metricType(type)
        .eventTime(time)
        .account("1234")
        .video(video)
        .sessionId(session)
        .clientPlatform(platform)
        // Session c watches from Brazil on a phone; everyone else from the US on a desktop.
        .country(session.equals("c") ? "BR" : "US")
        .deviceType(session.equals("c") ? DeviceType.MOBILE : DeviceType.DESKTOP)
        .fingerprint(fp);
  }

  static PlayerEvent play(long time, String video, long fp, String session,
      @Nullable String platform, @Nullable Long startupMs) {
    PlayerEvent.Builder b = event(MetricType.PLAY, time, video, fp, session, platform);
    b.startupLatencyMs = startupMs;
    return b.build();
  }

  static PlayerEvent summary(long time, String video, long fp, String session,
      @Nullable String platform, long playingMs, long bufferingMs, long bufferingCount,
      long errorCount, @Nullable Long liveLatencyMs, @Nullable String rendition) {
    PlayerEvent.Builder b = event(MetricType.PLAYBACK_SUMMARY, time, video, fp, session, platform)
        .playingTimeMs(playingMs)
        .bufferingTimeMs(bufferingMs);
    b.bufferingCount = bufferingCount;
    b.errorCount = errorCount;
    b.liveLatencyMs = liveLatencyMs;
    b.renditionName = rendition;
    return b.build();
  }

  static PlayerEvent qualityChange(long time, String video, long fp, String session,
      @Nullable String platform, @Nullable String direction, @Nullable Long from,
      @Nullable Long to) {
    PlayerEvent.Builder b = event(MetricType.QUALITY_CHANGED, time, video, fp, session, platform);
    b.stepDirection = direction;
    b.fromBitrate = from;
    b.toBitrate = to;
    return b.build();
  }
}
