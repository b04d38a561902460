package org.livemetrics.transforms.parse;

import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.MetricType;

/**
 * The fields of one player event record as sent, after lenient type coercion but before the
 * dimensions are resolved. Mutable and reused by the parser, one record at a time: it never leaves
 * the parsing step (it holds the raw IP address and user agent).
 */
public final class PlayerRecord {
  public @Nullable String metricTypeName;
  public MetricType metricType = MetricType.UNKNOWN;
  public long eventTime;
  public @Nullable String channelWatched;
  public @Nullable String sessionId;
  public @Nullable String userId;
  public @Nullable String clientPlatform;
  public @Nullable Boolean isLive;
  public @Nullable String accountId;

  public @Nullable String countryCode;
  public @Nullable String countryName;
  public @Nullable Boolean desktopViewer;
  public @Nullable Boolean mobileViewer;
  public @Nullable Boolean tabletViewer;
  public @Nullable Boolean smartTvViewer;
  public @Nullable String ip;
  public @Nullable String userAgent;
  public @Nullable String player;

  public @Nullable Long startupLatencyMs;
  public @Nullable Double startPlaybackPositionSec;
  public @Nullable Long playingTimeMs;
  public @Nullable Long bufferingTimeMs;
  public @Nullable Long bufferingCount;
  public @Nullable Long errorCount;
  public @Nullable String renditionName;
  public @Nullable Long renditionHeight;
  public @Nullable Long liveLatencyMs;
  public @Nullable String fromRenditionName;
  public @Nullable String toRenditionName;
  public @Nullable Long fromBitrate;
  public @Nullable Long toBitrate;
  public @Nullable String stepDirection;
  public @Nullable Double endPlaybackPositionSec;

  boolean hasEventTime;
  /** The first problem found while reading the record; it is read to its end regardless. */
  @Nullable RecordRejectedException rejection;

  void reset() {
    metricTypeName = null;
    metricType = MetricType.UNKNOWN;
    eventTime = 0;
    hasEventTime = false;
    rejection = null;
    channelWatched = sessionId = userId = clientPlatform = accountId = null;
    isLive = null;
    countryCode = countryName = ip = userAgent = player = null;
    desktopViewer = mobileViewer = tabletViewer = smartTvViewer = null;
    startupLatencyMs = playingTimeMs = bufferingTimeMs = bufferingCount = errorCount = null;
    renditionHeight = liveLatencyMs = fromBitrate = toBitrate = null;
    startPlaybackPositionSec = endPlaybackPositionSec = null;
    renditionName = fromRenditionName = toRenditionName = stepDirection = null;
  }
}
