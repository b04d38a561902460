package org.livemetrics.transforms.metrics;

import org.livemetrics.schemas.MetricType;
import org.livemetrics.schemas.PlayerEvent;

/**
 * Which minutes an event marks its session as viewing in: the one place this rule is written.
 *
 * <ul>
 *   <li>Every event except IMPRESSION marks the minute of its {@code event_time} (an unknown
 *       {@code metric_type} too: it still comes from a player that is playing).
 *   <li>A PLAYBACK_SUMMARY also covers {@code [event_time - (playing_time_ms + buffering_time_ms),
 *       event_time)} and marks every minute that interval touches. Summaries arrive about every 61
 *       s, so counting only the event's own minute would drop a continuously watching viewer from
 *       some minutes.
 *   <li>The covered span is clamped at {@code --maxSummarySpan}, so one bad summary cannot mark
 *       hours of viewing.
 * </ul>
 */
public final class ViewingRule implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final long maxSpanMs;

  public ViewingRule(long maxSpanMs) {
    this.maxSpanMs = maxSpanMs;
  }

  public static boolean marksViewing(PlayerEvent e) {
    return e.metricType != MetricType.IMPRESSION;
  }

  /** The span a summary reports, before clamping (0 for other events). */
  public static long reportedSpanMs(PlayerEvent e) {
    if (e.metricType != MetricType.PLAYBACK_SUMMARY) {
      return 0;
    }
    long playing = e.playingTimeMs == null ? 0 : e.playingTimeMs;
    long buffering = e.bufferingTimeMs == null ? 0 : e.bufferingTimeMs;
    return playing + buffering;
  }

  public boolean isClamped(PlayerEvent e) {
    return reportedSpanMs(e) > maxSpanMs;
  }

  /** First epoch minute the event marks as viewing (its own minute unless a summary reaches back). */
  public long firstViewingMinute(PlayerEvent e) {
    long own = e.eventMinute();
    long span = Math.min(reportedSpanMs(e), maxSpanMs);
    if (span <= 0) {
      return own;
    }
    return Math.min(own, Math.floorDiv(e.eventTime - span, 60_000L));
  }
}
