package org.livemetrics.schemas;

import java.io.Serializable;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.family.ViewerQosFamily;

/**
 * One stored QoS row: the viewer quality metrics of one (account, dimension set, dimension values)
 * in one UTC minute, kept in a form that merges exactly over minutes, platforms and videos
 * ({@link org.livemetrics.schemas.family.FamilyRollup}): sums and counts instead of ratios and means, and KLL sketches instead of
 * percentiles.
 *
 * <p>A dimension field ({@code video}, {@code clientPlatform}, {@code country}, {@code
 * deviceType}) is set exactly on the rows of the dimension sets that have it ({@link
 * #value(Dimension)}), null on the others. Which events feed which field, and in which minute, is
 * defined in the transforms' {@code ComputeQosMetrics}.
 */
@DefaultCoder(QosMinuteCoder.class)
public final class QosMinute implements Serializable {
  private static final long serialVersionUID = 1L;

  public final String account;
  public final QosDimensionSet dimensionSet;
  public final @Nullable String video;
  /** A {@link ClientPlatform} API name. */
  public final @Nullable String clientPlatform;
  /** ISO 3166-1 alpha-2 or {@code unknown}, as the audience metrics normalize it. */
  public final @Nullable String country;
  /** A {@link DeviceType} API name. */
  public final @Nullable String deviceType;
  /** Start of the minute, epoch milliseconds (UTC). */
  public final long minute;

  /** Distinct (fingerprint, session) viewing in the minute (the audience metrics' viewing rule). */
  public final long concurrentSessions;
  /** Σ PLAYBACK_SUMMARY error_count. */
  public final long errorCount;
  /** Σ PLAYBACK_SUMMARY playing_time_ms. */
  public final long playingTimeMs;
  /** Σ PLAYBACK_SUMMARY buffering_time_ms. */
  public final long bufferingTimeMs;
  /** Σ PLAYBACK_SUMMARY buffering_count. */
  public final long rebufferCount;
  /** PLAY events with a startup_latency_ms, and the sum of those latencies. */
  public final long startupCount;
  public final long startupSumMs;
  /** Serialized {@link LatencySketch} of the startup latencies. */
  public final byte[] startupSketch;
  /** PLAYBACK_SUMMARY events with a live latency, and the sum of those latencies. */
  public final long liveLatencyCount;
  public final long liveLatencySumMs;
  /** Serialized {@link LatencySketch} of the live latencies. */
  public final byte[] liveLatencySketch;
  /** Σ PLAYBACK_SUMMARY playing_time_ms by rendition_name (sorted by name; "unknown" if absent). */
  public final SortedMap<String, Long> renditionPlayingMs;
  /** QUALITY_CHANGED events stepping up and down. */
  public final long qualityUp;
  public final long qualityDown;
  /**
   * Session outcomes, each session counted once, in the minute of its last event (see the
   * transforms' {@code ComputeSessionOutcomes}): sessions with an IMPRESSION, and of those the
   * ones without a PLAY; sessions that attempted playback, and of those the ones a fatal error
   * ended; sessions that played, and of those the ones that rebuffered.
   */
  public final long sessionsLoaded;
  public final long exitsBeforeVideoStart;
  public final long playbackAttempts;
  public final long playbackFailures;
  public final long sessionsPlayed;
  public final long sessionsRebuffered;

  private QosMinute(Builder b) {
    this.account = Objects.requireNonNull(b.account, "account");
    this.dimensionSet = Objects.requireNonNull(b.dimensionSet, "dimensionSet");
    this.video = b.video;
    this.clientPlatform = b.clientPlatform;
    this.country = b.country;
    this.deviceType = b.deviceType;
    for (Dimension d : DIMENSIONS) {
      if (dimensionSet.contains(d) != (value(d) != null)) {
        throw new IllegalArgumentException(d.apiName() + " must be set exactly on the rows of "
            + "the QoS dimension sets that have it; this is a " + dimensionSet.id() + " row");
      }
    }
    this.minute = b.minute;
    this.concurrentSessions = b.concurrentSessions;
    this.errorCount = b.errorCount;
    this.playingTimeMs = b.playingTimeMs;
    this.bufferingTimeMs = b.bufferingTimeMs;
    this.rebufferCount = b.rebufferCount;
    this.startupCount = b.startupCount;
    this.startupSumMs = b.startupSumMs;
    this.startupSketch = b.startupSketch == null ? LatencySketch.empty() : b.startupSketch;
    this.liveLatencyCount = b.liveLatencyCount;
    this.liveLatencySumMs = b.liveLatencySumMs;
    this.liveLatencySketch =
        b.liveLatencySketch == null ? LatencySketch.empty() : b.liveLatencySketch;
    this.renditionPlayingMs = Collections.unmodifiableSortedMap(new TreeMap<>(b.renditionPlayingMs));
    this.qualityUp = b.qualityUp;
    this.qualityDown = b.qualityDown;
    this.sessionsLoaded = b.sessionsLoaded;
    this.exitsBeforeVideoStart = b.exitsBeforeVideoStart;
    this.playbackAttempts = b.playbackAttempts;
    this.playbackFailures = b.playbackFailures;
    this.sessionsPlayed = b.sessionsPlayed;
    this.sessionsRebuffered = b.sessionsRebuffered;
  }

  /** The dimensions a QoS row has a field for. */
  public static final List<Dimension> DIMENSIONS = List.of(
      Dimension.VIDEO, Dimension.CLIENT_PLATFORM, Dimension.COUNTRY, Dimension.DEVICE_TYPE);

  /** The row's value of a dimension; null when its dimension set does not have it. */
  public @Nullable String value(Dimension d) {
    switch (d) {
      case VIDEO:
        return video;
      case CLIENT_PLATFORM:
        return clientPlatform;
      case COUNTRY:
        return country;
      case DEVICE_TYPE:
        return deviceType;
      default:
        throw new IllegalArgumentException("QoS rows have no " + d.apiName());
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The row's buffer ratio, or NaN when nothing was played or buffered. */
  public double bufferRatio() {
    long total = playingTimeMs + bufferingTimeMs;
    return total == 0 ? Double.NaN : (double) bufferingTimeMs / total;
  }

  /** Same dimensions, minute and stored values (sketches compared byte for byte). */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof QosMinute r && ViewerQosFamily.DESCRIPTION.sameStoredValues(this, r);
  }

  @Override
  public int hashCode() {
    return Objects.hash(account, dimensionSet, video, clientPlatform, country, deviceType, minute);
  }

  /**
   * Dimensions and exact values, without the sketch bytes: what tests compare. The session
   * outcomes are shown only on rows that have some.
   */
  @Override
  public String toString() {
    StringBuilder dims = new StringBuilder();
    for (Dimension d : dimensionSet.dimensions()) {
      dims.append('/').append(value(d));
    }
    return dimensionSet.id() + "[" + account + dims + " @" + minute + "] sessions=" + concurrentSessions
        + " errors=" + errorCount + " playing_ms=" + playingTimeMs
        + " buffering_ms=" + bufferingTimeMs + " rebuffers=" + rebufferCount
        + " startup=" + startupCount + "/" + startupSumMs
        + " live_latency=" + liveLatencyCount + "/" + liveLatencySumMs
        + " renditions=" + renditionPlayingMs + " up=" + qualityUp + " down=" + qualityDown
        + (sessionsLoaded + playbackAttempts + sessionsPlayed == 0 ? ""
            : " loaded=" + sessionsLoaded + " exits_before_start=" + exitsBeforeVideoStart
                + " attempts=" + playbackAttempts + " failures=" + playbackFailures
                + " played=" + sessionsPlayed + " rebuffered=" + sessionsRebuffered);
  }

  /** Mutable builder. */
  public static final class Builder {
    private @Nullable String account;
    private @Nullable QosDimensionSet dimensionSet;
    private @Nullable String video;
    private @Nullable String clientPlatform;
    private @Nullable String country;
    private @Nullable String deviceType;
    private long minute;
    private long concurrentSessions;
    private long errorCount;
    private long playingTimeMs;
    private long bufferingTimeMs;
    private long rebufferCount;
    private long startupCount;
    private long startupSumMs;
    private byte @Nullable [] startupSketch;
    private long liveLatencyCount;
    private long liveLatencySumMs;
    private byte @Nullable [] liveLatencySketch;
    private final Map<String, Long> renditionPlayingMs = new TreeMap<>();
    private long qualityUp;
    private long qualityDown;
    private long sessionsLoaded;
    private long exitsBeforeVideoStart;
    private long playbackAttempts;
    private long playbackFailures;
    private long sessionsPlayed;
    private long sessionsRebuffered;

    public Builder account(String v) { account = v; return this; }
    public Builder dimensionSet(QosDimensionSet v) { dimensionSet = v; return this; }
    public Builder video(@Nullable String v) { video = v; return this; }
    public Builder clientPlatform(@Nullable String v) { clientPlatform = v; return this; }
    public Builder country(@Nullable String v) { country = v; return this; }
    public Builder deviceType(@Nullable String v) { deviceType = v; return this; }
    /** Sets the field of {@code d} ({@link QosMinute#DIMENSIONS}). */
    public Builder dimension(Dimension d, @Nullable String v) {
      switch (d) {
        case VIDEO: return video(v);
        case CLIENT_PLATFORM: return clientPlatform(v);
        case COUNTRY: return country(v);
        case DEVICE_TYPE: return deviceType(v);
        default: throw new IllegalArgumentException("QoS rows have no " + d.apiName());
      }
    }
    public Builder minute(long v) { minute = v; return this; }
    public Builder concurrentSessions(long v) { concurrentSessions = v; return this; }
    public Builder errorCount(long v) { errorCount = v; return this; }
    public Builder playingTimeMs(long v) { playingTimeMs = v; return this; }
    public Builder bufferingTimeMs(long v) { bufferingTimeMs = v; return this; }
    public Builder rebufferCount(long v) { rebufferCount = v; return this; }
    public Builder startup(long count, long sumMs, byte[] sketch) {
      startupCount = count; startupSumMs = sumMs; startupSketch = sketch; return this;
    }
    public Builder liveLatency(long count, long sumMs, byte[] sketch) {
      liveLatencyCount = count; liveLatencySumMs = sumMs; liveLatencySketch = sketch; return this;
    }
    public Builder renditionPlayingMs(Map<String, Long> v) {
      renditionPlayingMs.clear(); renditionPlayingMs.putAll(v); return this;
    }
    public Builder qualityUp(long v) { qualityUp = v; return this; }
    public Builder qualityDown(long v) { qualityDown = v; return this; }
    public Builder sessionsLoaded(long v) { sessionsLoaded = v; return this; }
    public Builder exitsBeforeVideoStart(long v) { exitsBeforeVideoStart = v; return this; }
    public Builder playbackAttempts(long v) { playbackAttempts = v; return this; }
    public Builder playbackFailures(long v) { playbackFailures = v; return this; }
    public Builder sessionsPlayed(long v) { sessionsPlayed = v; return this; }
    public Builder sessionsRebuffered(long v) { sessionsRebuffered = v; return this; }
    /** The six session-outcome counts, in the order of the fields. */
    public Builder sessionOutcomes(long loaded, long exits, long attempts, long failures,
        long played, long rebuffered) {
      return sessionsLoaded(loaded).exitsBeforeVideoStart(exits).playbackAttempts(attempts)
          .playbackFailures(failures).sessionsPlayed(played).sessionsRebuffered(rebuffered);
    }

    public QosMinute build() {
      return new QosMinute(this);
    }
  }
}
