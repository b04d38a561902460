package org.livemetrics.schemas;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.family.CountedFields;
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

  /**
   * The declared distinct counts and sums by key ({@link ViewerQosFamily#COUNTED}), in that
   * order; {@link #distinct} and {@link #keyed} read one by its stored name.
   */
  private final long[] distinct;
  private final List<SortedMap<String, Long>> keyed;
  /** Distinct (fingerprint, session) viewing in the minute (the audience metrics' viewing rule). */
  public final long concurrentSessions;
  /**
   * Σ PLAYBACK_SUMMARY playing_time_ms by rendition_name (sorted by name; "unknown" if absent; at
   * most {@link ViewerQosFamily#MAX_RENDITIONS} names and "(other)").
   */
  public final SortedMap<String, Long> renditionPlayingMs;
  /**
   * The declared counts ({@link ViewerQosFamily#COUNTS}: sums over events of one type, sessions
   * counted in the minute they ended, and how many values a sketch holds and their sum), in that
   * order; {@link #count} reads one by its stored name.
   */
  private final long[] counts;
  /**
   * The declared sketches ({@link ViewerQosFamily#SKETCHES}: serialized {@link LatencySketch}es of
   * an event type's values), in that order; {@link #sketch} reads one by its stored name.
   */
  private final byte[][] sketches;

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
    this.distinct = b.distinct.clone();
    List<SortedMap<String, Long>> sums = new ArrayList<>();
    for (Map<String, Long> m : b.keyed) {
      sums.add(Collections.unmodifiableSortedMap(new TreeMap<>(m)));
    }
    this.keyed = List.copyOf(sums);
    this.concurrentSessions = distinct(ViewerQosFamily.CONCURRENT_SESSIONS_FIELD);
    this.renditionPlayingMs = keyed(ViewerQosFamily.RENDITION_PLAYING_MS_FIELD);
    this.counts = b.counts.clone();
    this.sketches = new byte[b.sketches.length][];
    for (int i = 0; i < sketches.length; i++) {
      sketches[i] = b.sketches[i] == null ? LatencySketch.empty() : b.sketches[i];
    }
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

  /** The count stored as {@code field} (one of {@link ViewerQosFamily#COUNTS}). */
  public long count(String field) {
    return counts[countIndex(field)];
  }

  /** The count at {@code i} in {@link ViewerQosFamily#COUNTS}. */
  public long countAt(int i) {
    return counts[i];
  }

  /** The sketch stored as {@code field} (one of {@link ViewerQosFamily#SKETCHES}). */
  public byte[] sketch(String field) {
    return sketches[sketchIndex(field)];
  }

  private static int sketchIndex(String field) {
    return COUNTED.sketchPosition(field);
  }

  /** The sketch at {@code i} in {@link ViewerQosFamily#SKETCHES}. */
  public byte[] sketchAt(int i) {
    return sketches[i];
  }

  private static final CountedFields COUNTED = ViewerQosFamily.COUNTED;

  private static int countIndex(String field) {
    return COUNTED.position(field);
  }

  /** The distinct count stored as {@code field} (a {@code DistinctViewing} of the family). */
  public long distinct(String field) {
    return distinct[COUNTED.distinctPosition(field)];
  }

  /** The distinct count at {@code i} among the family's distinct fields. */
  public long distinctAt(int i) {
    return distinct[i];
  }

  /** The sums by key stored as {@code field} (a {@code SumByKey} of the family), by key. */
  public SortedMap<String, Long> keyed(String field) {
    return keyed.get(COUNTED.keyedPosition(field));
  }

  /** The sums by key at {@code i} among the family's keyed fields. */
  public SortedMap<String, Long> keyedAt(int i) {
    return keyed.get(i);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The row's buffer ratio, or NaN when nothing was played or buffered. */
  public double bufferRatio() {
    long playing = count(ViewerQosFamily.PLAYING_TIME_MS_FIELD);
    long buffering = count(ViewerQosFamily.BUFFERING_TIME_MS_FIELD);
    long total = playing + buffering;
    return total == 0 ? Double.NaN : (double) buffering / total;
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
   * Dimensions and exact values, without the sketch bytes: what tests compare, and what the
   * independent {@code ReferenceMetrics} rows print the same way. The session outcomes are shown
   * only on rows that have some; a count declared after them is shown by its stored name.
   */
  @Override
  public String toString() {
    StringBuilder dims = new StringBuilder();
    for (Dimension d : dimensionSet.dimensions()) {
      dims.append('/').append(value(d));
    }
    StringBuilder text = new StringBuilder(dimensionSet.id() + "[" + account + dims + " @"
        + minute + "] sessions=" + concurrentSessions);
    appendCounts(text, SUMS);
    text.append(" startup=").append(count(ViewerQosFamily.STARTUP_COUNT_FIELD)).append('/')
        .append(count(ViewerQosFamily.STARTUP_SUM_MS_FIELD))
        .append(" live_latency=").append(count(ViewerQosFamily.LIVE_LATENCY_COUNT_FIELD))
        .append('/').append(count(ViewerQosFamily.LIVE_LATENCY_SUM_MS_FIELD))
        .append(" renditions=").append(renditionPlayingMs);
    appendCounts(text, QUALITY);
    if (count(ViewerQosFamily.SESSIONS_LOADED_FIELD)
        + count(ViewerQosFamily.PLAYBACK_ATTEMPTS_FIELD)
        + count(ViewerQosFamily.SESSIONS_PLAYED_FIELD) != 0) {
      appendCounts(text, OUTCOMES);
    }
    for (int i = 0; i < counts.length; i++) {
      String name = ViewerQosFamily.COUNTS.get(i);
      if (!LABELS.containsKey(name) && !LATENCIES.contains(name)) {
        text.append(' ').append(name).append('=').append(counts[i]);
      }
    }
    return text.toString();
  }

  private static final List<String> SUMS = List.of(ViewerQosFamily.ERROR_COUNT_FIELD,
      ViewerQosFamily.PLAYING_TIME_MS_FIELD, ViewerQosFamily.BUFFERING_TIME_MS_FIELD,
      ViewerQosFamily.REBUFFER_COUNT_FIELD);
  private static final List<String> QUALITY = List.of(ViewerQosFamily.QUALITY_CHANGES_UP_FIELD,
      ViewerQosFamily.QUALITY_CHANGES_DOWN_FIELD);
  private static final List<String> OUTCOMES = List.of(ViewerQosFamily.SESSIONS_LOADED_FIELD,
      ViewerQosFamily.EXITS_BEFORE_VIDEO_START_FIELD, ViewerQosFamily.PLAYBACK_ATTEMPTS_FIELD,
      ViewerQosFamily.PLAYBACK_FAILURES_FIELD, ViewerQosFamily.SESSIONS_PLAYED_FIELD,
      ViewerQosFamily.SESSIONS_REBUFFERED_FIELD);
  private static final List<String> LATENCIES = List.of(ViewerQosFamily.STARTUP_COUNT_FIELD,
      ViewerQosFamily.STARTUP_SUM_MS_FIELD, ViewerQosFamily.LIVE_LATENCY_COUNT_FIELD,
      ViewerQosFamily.LIVE_LATENCY_SUM_MS_FIELD);
  /** The short labels the rows printed before counts were declared (test strings use them). */
  private static final Map<String, String> LABELS = Map.ofEntries(
      Map.entry(ViewerQosFamily.ERROR_COUNT_FIELD, "errors"),
      Map.entry(ViewerQosFamily.PLAYING_TIME_MS_FIELD, "playing_ms"),
      Map.entry(ViewerQosFamily.BUFFERING_TIME_MS_FIELD, "buffering_ms"),
      Map.entry(ViewerQosFamily.REBUFFER_COUNT_FIELD, "rebuffers"),
      Map.entry(ViewerQosFamily.QUALITY_CHANGES_UP_FIELD, "up"),
      Map.entry(ViewerQosFamily.QUALITY_CHANGES_DOWN_FIELD, "down"),
      Map.entry(ViewerQosFamily.SESSIONS_LOADED_FIELD, "loaded"),
      Map.entry(ViewerQosFamily.EXITS_BEFORE_VIDEO_START_FIELD, "exits_before_start"),
      Map.entry(ViewerQosFamily.PLAYBACK_ATTEMPTS_FIELD, "attempts"),
      Map.entry(ViewerQosFamily.PLAYBACK_FAILURES_FIELD, "failures"),
      Map.entry(ViewerQosFamily.SESSIONS_PLAYED_FIELD, "played"),
      Map.entry(ViewerQosFamily.SESSIONS_REBUFFERED_FIELD, "rebuffered"));

  private void appendCounts(StringBuilder text, List<String> fields) {
    for (String f : fields) {
      text.append(' ').append(LABELS.get(f)).append('=').append(count(f));
    }
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
    private final long[] distinct = new long[COUNTED.distinctFields().size()];
    private final List<Map<String, Long>> keyed = new ArrayList<>();

    private Builder() {
      for (int i = 0; i < COUNTED.keyedFields().size(); i++) {
        keyed.add(new TreeMap<>());
      }
    }

    private final long[] counts = new long[ViewerQosFamily.COUNTS.size()];
    private final byte[][] sketches = new byte[ViewerQosFamily.SKETCHES.size()][];

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
    public Builder concurrentSessions(long v) {
      return distinctAt(COUNTED.distinctPosition(ViewerQosFamily.CONCURRENT_SESSIONS_FIELD), v);
    }
    public Builder renditionPlayingMs(Map<String, Long> v) {
      return keyedAt(COUNTED.keyedPosition(ViewerQosFamily.RENDITION_PLAYING_MS_FIELD), v);
    }
    /** Sets the distinct count at {@code i} among the family's distinct fields. */
    public Builder distinctAt(int i, long v) { distinct[i] = v; return this; }
    /** Sets the sums by key at {@code i} among the family's keyed fields. */
    public Builder keyedAt(int i, Map<String, Long> v) {
      keyed.get(i).clear(); keyed.get(i).putAll(v); return this;
    }
    /** Sets the count stored as {@code field} (one of {@link ViewerQosFamily#COUNTS}). */
    public Builder count(String field, long v) { counts[countIndex(field)] = v; return this; }
    /** Sets the count at {@code i} in {@link ViewerQosFamily#COUNTS}. */
    public Builder countAt(int i, long v) { counts[i] = v; return this; }
    /** Sets the sketch stored as {@code field} (one of {@link ViewerQosFamily#SKETCHES}). */
    public Builder sketch(String field, byte[] v) {
      return sketchAt(sketchIndex(field), v);
    }
    /** Sets the sketch at {@code i} in {@link ViewerQosFamily#SKETCHES}. */
    public Builder sketchAt(int i, byte[] v) { sketches[i] = v; return this; }

    public QosMinute build() {
      return new QosMinute(this);
    }
  }
}
