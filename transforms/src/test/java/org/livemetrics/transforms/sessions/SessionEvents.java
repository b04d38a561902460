package org.livemetrics.transforms.sessions;

import org.livemetrics.schemas.DeviceType;
import org.livemetrics.schemas.MetricType;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.transforms.metrics.TestEvents;

/** Hand-made events of one viewer session each, on account 1234, video v1, platform web. */
final class SessionEvents {
  private SessionEvents() {}

  static long at(int minute, int second) {
    return TestEvents.at(minute, second);
  }

  static PlayerEvent.Builder event(MetricType type, long time, long fp, String session) {
    return PlayerEvent.builder()
        .metricType(type)
        .eventTime(time)
        .account("1234")
        .video("v1")
        .sessionId(session)
        .clientPlatform("web")
        .country("US")
        .deviceType(DeviceType.DESKTOP)
        .fingerprint(fp);
  }

  static PlayerEvent impression(long time, long fp, String session) {
    return event(MetricType.IMPRESSION, time, fp, session).build();
  }

  static PlayerEvent play(long time, long fp, String session) {
    return event(MetricType.PLAY, time, fp, session).build();
  }

  static PlayerEvent stop(long time, long fp, String session) {
    return event(MetricType.STOP, time, fp, session).build();
  }

  static PlayerEvent summary(long time, long fp, String session, long playingMs,
      long bufferingCount, long errorCount) {
    PlayerEvent.Builder b = event(MetricType.PLAYBACK_SUMMARY, time, fp, session)
        .playingTimeMs(playingMs)
        .bufferingTimeMs(bufferingCount * 1_000);
    b.bufferingCount = bufferingCount;
    b.errorCount = errorCount;
    return b.build();
  }
}
