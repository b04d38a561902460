package org.livemetrics.schemas;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A validated player event with its dimensions resolved: what the shared transforms compute from.
 *
 * <p>It carries the viewer's fingerprint (a keyed hash) instead of the raw IP address, user agent
 * and player id, so nothing downstream of parsing can leak them. Optional fields are null when the
 * player did not send them.
 */
@DefaultCoder(PlayerEventCoder.class)
public final class PlayerEvent implements Serializable {
  private static final long serialVersionUID = 1L;

  public final MetricType metricType;
  public final long eventTime;
  public final String account;
  public final String video;
  public final String sessionId;
  public final @Nullable String userId;
  public final @Nullable String clientPlatform;
  public final @Nullable Boolean isLive;
  /** ISO 3166-1 alpha-2 code, or {@code unknown}. */
  public final String country;

  public final DeviceType deviceType;
  /** First 64 bits of HMAC-SHA256(secret, ip | user agent | player). */
  public final long fingerprint;

  public final @Nullable Long startupLatencyMs;
  public final @Nullable Double startPlaybackPositionSec;
  public final @Nullable Long playingTimeMs;
  public final @Nullable Long bufferingTimeMs;
  public final @Nullable Long bufferingCount;
  public final @Nullable Long errorCount;
  public final @Nullable String renditionName;
  public final @Nullable Long renditionHeight;
  public final @Nullable Long liveLatencyMs;
  public final @Nullable String fromRenditionName;
  public final @Nullable String toRenditionName;
  public final @Nullable Long fromBitrate;
  public final @Nullable Long toBitrate;
  public final @Nullable String stepDirection;
  public final @Nullable Double endPlaybackPositionSec;

  private PlayerEvent(Builder b) {
    this.metricType = Objects.requireNonNull(b.metricType, "metricType");
    this.eventTime = b.eventTime;
    this.account = Objects.requireNonNull(b.account, "account");
    this.video = Objects.requireNonNull(b.video, "video");
    this.sessionId = Objects.requireNonNull(b.sessionId, "sessionId");
    this.userId = b.userId;
    this.clientPlatform = b.clientPlatform;
    this.isLive = b.isLive;
    this.country = Objects.requireNonNull(b.country, "country");
    this.deviceType = Objects.requireNonNull(b.deviceType, "deviceType");
    this.fingerprint = b.fingerprint;
    this.startupLatencyMs = b.startupLatencyMs;
    this.startPlaybackPositionSec = b.startPlaybackPositionSec;
    this.playingTimeMs = b.playingTimeMs;
    this.bufferingTimeMs = b.bufferingTimeMs;
    this.bufferingCount = b.bufferingCount;
    this.errorCount = b.errorCount;
    this.renditionName = b.renditionName;
    this.renditionHeight = b.renditionHeight;
    this.liveLatencyMs = b.liveLatencyMs;
    this.fromRenditionName = b.fromRenditionName;
    this.toRenditionName = b.toRenditionName;
    this.fromBitrate = b.fromBitrate;
    this.toBitrate = b.toBitrate;
    this.stepDirection = b.stepDirection;
    this.endPlaybackPositionSec = b.endPlaybackPositionSec;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The key of its viewing session, the (fingerprint, session) pair {@code ccu} counts. */
  public long sessionKey() {
    return sessionKey(fingerprint, sessionId);
  }

  /** A 64-bit key for the (fingerprint, session) pair that {@code ccu} counts. */
  public static long sessionKey(long fingerprint, String sessionId) {
    // 64-bit FNV-1a over the session id, seeded with the fingerprint, then mixed (SplitMix64's
    // finalizer): fast, stable across JVMs, and collisions are negligible at per-minute scale.
    long h = 0xcbf29ce484222325L ^ fingerprint;
    for (int i = 0; i < sessionId.length(); i++) {
      h ^= sessionId.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= (h >>> 30);
    h *= 0xbf58476d1ce4e5b9L;
    h ^= (h >>> 27);
    h *= 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }

  /** The epoch minute ({@code eventTime / 60000}) the event belongs to. */
  public long eventMinute() {
    return Math.floorDiv(eventTime, 60_000L);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof PlayerEvent)) {
      return false;
    }
    PlayerEvent e = (PlayerEvent) o;
    return metricType == e.metricType
        && eventTime == e.eventTime
        && fingerprint == e.fingerprint
        && account.equals(e.account)
        && video.equals(e.video)
        && sessionId.equals(e.sessionId)
        && Objects.equals(userId, e.userId)
        && Objects.equals(clientPlatform, e.clientPlatform)
        && Objects.equals(isLive, e.isLive)
        && country.equals(e.country)
        && deviceType == e.deviceType
        && Objects.equals(startupLatencyMs, e.startupLatencyMs)
        && Objects.equals(startPlaybackPositionSec, e.startPlaybackPositionSec)
        && Objects.equals(playingTimeMs, e.playingTimeMs)
        && Objects.equals(bufferingTimeMs, e.bufferingTimeMs)
        && Objects.equals(bufferingCount, e.bufferingCount)
        && Objects.equals(errorCount, e.errorCount)
        && Objects.equals(renditionName, e.renditionName)
        && Objects.equals(renditionHeight, e.renditionHeight)
        && Objects.equals(liveLatencyMs, e.liveLatencyMs)
        && Objects.equals(fromRenditionName, e.fromRenditionName)
        && Objects.equals(toRenditionName, e.toRenditionName)
        && Objects.equals(fromBitrate, e.fromBitrate)
        && Objects.equals(toBitrate, e.toBitrate)
        && Objects.equals(stepDirection, e.stepDirection)
        && Objects.equals(endPlaybackPositionSec, e.endPlaybackPositionSec);
  }

  @Override
  public int hashCode() {
    return Objects.hash(metricType, eventTime, video, sessionId, fingerprint);
  }

  @Override
  public String toString() {
    return "PlayerEvent{" + metricType + " t=" + eventTime + " account=" + account + " video="
        + video + " session=" + sessionId + " country=" + country + " device=" + deviceType
        + " fp=" + Long.toHexString(fingerprint) + " playing_ms=" + playingTimeMs
        + " buffering_ms=" + bufferingTimeMs + "}";
  }

  /** Mutable builder; the parser reuses one per record. */
  public static final class Builder {
    public @Nullable MetricType metricType;
    public long eventTime;
    public @Nullable String account;
    public @Nullable String video;
    public @Nullable String sessionId;
    public @Nullable String userId;
    public @Nullable String clientPlatform;
    public @Nullable Boolean isLive;
    public @Nullable String country = "unknown";
    public @Nullable DeviceType deviceType = DeviceType.UNKNOWN;
    public long fingerprint;
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

    public Builder metricType(MetricType v) { metricType = v; return this; }
    public Builder eventTime(long v) { eventTime = v; return this; }
    public Builder account(String v) { account = v; return this; }
    public Builder video(String v) { video = v; return this; }
    public Builder sessionId(String v) { sessionId = v; return this; }
    public Builder userId(@Nullable String v) { userId = v; return this; }
    public Builder clientPlatform(@Nullable String v) { clientPlatform = v; return this; }
    public Builder isLive(@Nullable Boolean v) { isLive = v; return this; }
    public Builder country(String v) { country = v; return this; }
    public Builder deviceType(DeviceType v) { deviceType = v; return this; }
    public Builder fingerprint(long v) { fingerprint = v; return this; }
    public Builder playingTimeMs(@Nullable Long v) { playingTimeMs = v; return this; }
    public Builder bufferingTimeMs(@Nullable Long v) { bufferingTimeMs = v; return this; }

    public PlayerEvent build() {
      return new PlayerEvent(this);
    }
  }
}
