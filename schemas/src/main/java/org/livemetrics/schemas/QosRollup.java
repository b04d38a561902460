package org.livemetrics.schemas;

import java.util.Collections;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Combines {@link QosMinute} rows over any range of minutes and any set of platforms or videos into
 * the API's values, following each {@link QosMetric}'s {@link QosMetric.Rollup}: what the query
 * layer uses for a timeseries bucket or an events total.
 *
 * <ul>
 *   <li>{@code concurrent_sessions}: the rows of each minute are summed (a session has one video
 *       and one platform, so rows of one dimension set never share a session), then the range
 *       reports the highest minute.
 *   <li>Counts and times are summed; {@code buffer_ratio} is Σ buffering / Σ (playing + buffering)
 *       over all rows, not a mean of ratios, and the session percentages likewise (Σ sessions with
 *       the outcome / Σ sessions it is a share of; a session counts once, in the minute it ended).
 *   <li>Means are Σ sum / Σ count; percentiles come from the union of the rows' KLL sketches, so
 *       they are as accurate as one sketch of all the values ({@link LatencySketch#RANK_ERROR}).
 * </ul>
 *
 * Feed it rows of one {@link QosDimensionSet} only: a {client_platform} row already contains its
 * videos' {video, client_platform} rows. Not thread-safe.
 */
public final class QosRollup {
  private final Map<Long, Long> sessionsPerMinute = new TreeMap<>();
  private long rows;
  private long errorCount;
  private long playingTimeMs;
  private long bufferingTimeMs;
  private long rebufferCount;
  private long startupCount;
  private long startupSumMs;
  private final LatencySketch.Merger startup = LatencySketch.merger();
  private long liveLatencyCount;
  private long liveLatencySumMs;
  private final LatencySketch.Merger liveLatency = LatencySketch.merger();
  private final SortedMap<String, Long> renditionPlayingMs = new TreeMap<>();
  private long qualityUp;
  private long qualityDown;
  private long sessionsLoaded;
  private long exitsBeforeVideoStart;
  private long playbackAttempts;
  private long playbackFailures;
  private long sessionsPlayed;
  private long sessionsRebuffered;

  public static QosRollup of(Iterable<QosMinute> rows) {
    QosRollup r = new QosRollup();
    for (QosMinute row : rows) {
      r.add(row);
    }
    return r;
  }

  public QosRollup add(QosMinute row) {
    rows++;
    sessionsPerMinute.merge(row.minute, row.concurrentSessions, Long::sum);
    errorCount += row.errorCount;
    playingTimeMs += row.playingTimeMs;
    bufferingTimeMs += row.bufferingTimeMs;
    rebufferCount += row.rebufferCount;
    startupCount += row.startupCount;
    startupSumMs += row.startupSumMs;
    startup.add(row.startupSketch);
    liveLatencyCount += row.liveLatencyCount;
    liveLatencySumMs += row.liveLatencySumMs;
    liveLatency.add(row.liveLatencySketch);
    row.renditionPlayingMs.forEach((k, v) -> renditionPlayingMs.merge(k, v, Long::sum));
    qualityUp += row.qualityUp;
    qualityDown += row.qualityDown;
    sessionsLoaded += row.sessionsLoaded;
    exitsBeforeVideoStart += row.exitsBeforeVideoStart;
    playbackAttempts += row.playbackAttempts;
    playbackFailures += row.playbackFailures;
    sessionsPlayed += row.sessionsPlayed;
    sessionsRebuffered += row.sessionsRebuffered;
    return this;
  }

  /** How many rows were combined. */
  public long rows() {
    return rows;
  }

  /** The highest per-minute total of concurrent sessions; 0 without rows. */
  public long peakConcurrentSessions() {
    return sessionsPerMinute.values().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  /** Concurrent sessions per minute (the rows of each minute summed), by minute start. */
  public SortedMap<Long, Long> concurrentSessionsPerMinute() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(sessionsPerMinute));
  }

  public long errorCount() {
    return errorCount;
  }

  public long playingTimeMs() {
    return playingTimeMs;
  }

  public long bufferingTimeMs() {
    return bufferingTimeMs;
  }

  /** Σ buffering / Σ (playing + buffering); empty when nothing was played or buffered. */
  public OptionalDouble bufferRatio() {
    long total = playingTimeMs + bufferingTimeMs;
    return total == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) bufferingTimeMs / total);
  }

  public long rebufferCount() {
    return rebufferCount;
  }

  public long startupCount() {
    return startupCount;
  }

  public OptionalDouble startupMeanMs() {
    return mean(startupSumMs, startupCount);
  }

  /** A quantile of all startup latencies (0.5, 0.95); empty when there were none. */
  public OptionalDouble startupQuantileMs(double rank) {
    return quantile(startup, rank);
  }

  public long liveLatencyCount() {
    return liveLatencyCount;
  }

  public OptionalDouble liveLatencyMeanMs() {
    return mean(liveLatencySumMs, liveLatencyCount);
  }

  public OptionalDouble liveLatencyQuantileMs(double rank) {
    return quantile(liveLatency, rank);
  }

  /** The merged sketches, serialized: what a coarser stored row would carry. */
  public byte[] startupSketch() {
    return startup.toByteArray();
  }

  public byte[] liveLatencySketch() {
    return liveLatency.toByteArray();
  }

  /** Milliseconds played per rendition name. */
  public SortedMap<String, Long> renditionPlayingMs() {
    return Collections.unmodifiableSortedMap(renditionPlayingMs);
  }

  /** Seconds played per rendition name, as the API reports {@code rendition_seconds_played}. */
  public SortedMap<String, Double> renditionSecondsPlayed() {
    SortedMap<String, Double> s = new TreeMap<>();
    renditionPlayingMs.forEach((k, v) -> s.put(k, v / 1000.0));
    return s;
  }

  public long qualityUp() {
    return qualityUp;
  }

  public long qualityDown() {
    return qualityDown;
  }

  /** Sessions that ended in the rows' minutes with an IMPRESSION. */
  public long sessionsLoaded() {
    return sessionsLoaded;
  }

  /** Of {@link #sessionsLoaded()}, those without a PLAY. */
  public long exitsBeforeVideoStart() {
    return exitsBeforeVideoStart;
  }

  public long playbackAttempts() {
    return playbackAttempts;
  }

  public long playbackFailures() {
    return playbackFailures;
  }

  public long sessionsPlayed() {
    return sessionsPlayed;
  }

  public long sessionsRebuffered() {
    return sessionsRebuffered;
  }

  /**
   * A viewer metric's value over the rows, in its API unit; empty when the rows hold no data for it
   * (no summaries for a ratio, no PLAY with a latency for startup time). {@code
   * rendition_seconds_played} is a map: use {@link #renditionSecondsPlayed()}.
   */
  public OptionalDouble value(QosMetric m) {
    switch (m) {
      case CONCURRENT_SESSIONS:
        return OptionalDouble.of(peakConcurrentSessions());
      case ERROR_COUNT:
        return OptionalDouble.of(errorCount);
      case BUFFER_RATIO:
        return bufferRatio();
      case REBUFFER_COUNT:
        return OptionalDouble.of(rebufferCount);
      case STARTUP_TIME_MS_MEAN:
        return startupMeanMs();
      case STARTUP_TIME_MS_P50:
      case STARTUP_TIME_MS_P95:
        return startupQuantileMs(m.rank());
      case LIVE_LATENCY_MS_MEAN:
        return liveLatencyMeanMs();
      case LIVE_LATENCY_MS_P50:
      case LIVE_LATENCY_MS_P95:
        return liveLatencyQuantileMs(m.rank());
      case QUALITY_CHANGES_UP:
        return OptionalDouble.of(qualityUp);
      case QUALITY_CHANGES_DOWN:
        return OptionalDouble.of(qualityDown);
      case EXITS_BEFORE_VIDEO_START:
        return OptionalDouble.of(exitsBeforeVideoStart);
      case EXITS_BEFORE_VIDEO_START_PERCENTAGE:
        return share(exitsBeforeVideoStart, sessionsLoaded);
      case PLAYBACK_FAILURE_PERCENTAGE:
        return share(playbackFailures, playbackAttempts);
      case REBUFFER_PERCENTAGE:
        return share(sessionsRebuffered, sessionsPlayed);
      default:
        throw new IllegalArgumentException(m.apiName() + " is not a single number of QoS rows"
            + (m == QosMetric.RENDITION_SECONDS_PLAYED ? "; use renditionSecondsPlayed()" : ""));
    }
  }

  /** Σ part / Σ whole over all rows, not a mean of per-row shares; empty without a whole. */
  private static OptionalDouble share(long part, long whole) {
    return whole == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) part / whole);
  }

  private static OptionalDouble mean(long sum, long count) {
    return count == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) sum / count);
  }

  private static OptionalDouble quantile(LatencySketch.Merger merger, double rank) {
    Double q = merger.quantile(rank);
    return q == null ? OptionalDouble.empty() : OptionalDouble.of(q);
  }
}
