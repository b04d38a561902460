package org.livemetrics.transforms.qos;

import it.unimi.dsi.fastutil.longs.LongIterator;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.LatencySketch;
import org.livemetrics.schemas.QosMinute;

/**
 * Running state of one QoS row: the exact set of viewing session keys (for an exact
 * concurrent_sessions), sums and counts, the two latency sketches (created at their first value)
 * and the playing time per rendition.
 */
public final class QosAccumulator {
  final LongOpenHashSet sessions;
  long errorCount;
  long playingTimeMs;
  long bufferingTimeMs;
  long rebufferCount;
  long startupCount;
  long startupSumMs;
  @Nullable KllDoublesSketch startup;
  long liveLatencyCount;
  long liveLatencySumMs;
  @Nullable KllDoublesSketch liveLatency;
  final Map<String, Long> renditionPlayingMs;
  long qualityUp;
  long qualityDown;
  // Session outcomes, counted in the minute each session ended (ComputeSessionOutcomes).
  long sessionsLoaded;
  long exitsBeforeVideoStart;
  long playbackAttempts;
  long playbackFailures;
  long sessionsPlayed;
  long sessionsRebuffered;

  QosAccumulator() {
    this(new LongOpenHashSet(), new TreeMap<>());
  }

  private QosAccumulator(LongOpenHashSet sessions, Map<String, Long> renditionPlayingMs) {
    this.sessions = sessions;
    this.renditionPlayingMs = renditionPlayingMs;
  }

  /** Entries held (the row, its sessions, its sketch values): what pre-aggregation bounds. */
  int size() {
    return 1 + sessions.size() + (int) Math.min(startupCount + liveLatencyCount, LatencySketch.K * 2L);
  }

  /** Adds a viewing session; returns 1 if it is new to the row. */
  int addSession(long sessionKey) {
    return sessions.add(sessionKey) ? 1 : 0;
  }

  void addStartup(long ms) {
    if (startup == null) {
      startup = LatencySketch.newSketch();
    }
    startup.update(ms);
    startupCount++;
    startupSumMs += ms;
  }

  void addLiveLatency(long ms) {
    if (liveLatency == null) {
      liveLatency = LatencySketch.newSketch();
    }
    liveLatency.update(ms);
    liveLatencyCount++;
    liveLatencySumMs += ms;
  }

  /** A partial row holding one ended session's outcome and nothing else. */
  public static QosAccumulator ofSessionOutcome(boolean loaded, boolean exitedBeforeVideoStart,
      boolean attemptedPlayback, boolean failedPlayback, boolean played, boolean rebuffered) {
    QosAccumulator a = new QosAccumulator();
    a.sessionsLoaded = loaded ? 1 : 0;
    a.exitsBeforeVideoStart = exitedBeforeVideoStart ? 1 : 0;
    a.playbackAttempts = attemptedPlayback ? 1 : 0;
    a.playbackFailures = failedPlayback ? 1 : 0;
    a.sessionsPlayed = played ? 1 : 0;
    a.sessionsRebuffered = rebuffered ? 1 : 0;
    return a;
  }

  void addRendition(String rendition, long playingMs) {
    renditionPlayingMs.merge(rendition, playingMs, Long::sum);
  }

  void merge(QosAccumulator o) {
    sessions.addAll(o.sessions);
    errorCount += o.errorCount;
    playingTimeMs += o.playingTimeMs;
    bufferingTimeMs += o.bufferingTimeMs;
    rebufferCount += o.rebufferCount;
    startupCount += o.startupCount;
    startupSumMs += o.startupSumMs;
    startup = mergeSketch(startup, o.startup);
    liveLatencyCount += o.liveLatencyCount;
    liveLatencySumMs += o.liveLatencySumMs;
    liveLatency = mergeSketch(liveLatency, o.liveLatency);
    o.renditionPlayingMs.forEach(this::addRendition);
    qualityUp += o.qualityUp;
    qualityDown += o.qualityDown;
    sessionsLoaded += o.sessionsLoaded;
    exitsBeforeVideoStart += o.exitsBeforeVideoStart;
    playbackAttempts += o.playbackAttempts;
    playbackFailures += o.playbackFailures;
    sessionsPlayed += o.sessionsPlayed;
    sessionsRebuffered += o.sessionsRebuffered;
  }

  private static @Nullable KllDoublesSketch mergeSketch(
      @Nullable KllDoublesSketch mine, @Nullable KllDoublesSketch theirs) {
    if (theirs == null) {
      return mine;
    }
    KllDoublesSketch into = mine == null ? LatencySketch.newSketch() : mine;
    into.merge(theirs); // reads theirs only: inputs are never mutated
    return into;
  }

  /** The finished row's metrics, on a builder that already carries the key's dimensions. */
  QosMinute.Builder fill(QosMinute.Builder b) {
    return b.concurrentSessions(sessions.size())
        .errorCount(errorCount)
        .playingTimeMs(playingTimeMs)
        .bufferingTimeMs(bufferingTimeMs)
        .rebufferCount(rebufferCount)
        .startup(startupCount, startupSumMs, serialized(startup))
        .liveLatency(liveLatencyCount, liveLatencySumMs, serialized(liveLatency))
        .renditionPlayingMs(renditionPlayingMs)
        .qualityUp(qualityUp)
        .qualityDown(qualityDown)
        .sessionOutcomes(sessionsLoaded, exitsBeforeVideoStart, playbackAttempts,
            playbackFailures, sessionsPlayed, sessionsRebuffered);
  }

  private static byte[] serialized(@Nullable KllDoublesSketch s) {
    return s == null ? LatencySketch.empty() : s.toByteArray();
  }

  /**
   * Coder for partial rows crossing the shuffle (combiner lifting) and accumulators. A flags byte
   * says which groups of fields are not all zero, and only those are written: most partial rows
   * hold one group (a session's outcome, or a minute's sessions and sums without sketches), and
   * their bytes were three quarters zeros.
   */
  public static final class Coder extends AtomicCoder<QosAccumulator> {
    private static final Coder INSTANCE = new Coder();
    private static final int SUMS = 1;
    private static final int STARTUP = 1 << 1;
    private static final int LIVE_LATENCY = 1 << 2;
    private static final int RENDITIONS = 1 << 3;
    private static final int QUALITY = 1 << 4;
    private static final int OUTCOMES = 1 << 5;

    public static Coder of() {
      return INSTANCE;
    }

    private static int flags(QosAccumulator a) {
      int flags = 0;
      if ((a.errorCount | a.playingTimeMs | a.bufferingTimeMs | a.rebufferCount) != 0) {
        flags |= SUMS;
      }
      if ((a.startupCount | a.startupSumMs) != 0 || a.startup != null) {
        flags |= STARTUP;
      }
      if ((a.liveLatencyCount | a.liveLatencySumMs) != 0 || a.liveLatency != null) {
        flags |= LIVE_LATENCY;
      }
      if (!a.renditionPlayingMs.isEmpty()) {
        flags |= RENDITIONS;
      }
      if ((a.qualityUp | a.qualityDown) != 0) {
        flags |= QUALITY;
      }
      if ((a.sessionsLoaded | a.exitsBeforeVideoStart | a.playbackAttempts | a.playbackFailures
          | a.sessionsPlayed | a.sessionsRebuffered) != 0) {
        flags |= OUTCOMES;
      }
      return flags;
    }

    @Override
    public void encode(QosAccumulator a, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      out.writeInt(a.sessions.size());
      for (LongIterator it = a.sessions.iterator(); it.hasNext(); ) {
        out.writeLong(it.nextLong());
      }
      int flags = flags(a);
      out.writeByte(flags);
      if ((flags & SUMS) != 0) {
        out.writeLong(a.errorCount);
        out.writeLong(a.playingTimeMs);
        out.writeLong(a.bufferingTimeMs);
        out.writeLong(a.rebufferCount);
      }
      if ((flags & STARTUP) != 0) {
        out.writeLong(a.startupCount);
        out.writeLong(a.startupSumMs);
        writeSketch(out, a.startup);
      }
      if ((flags & LIVE_LATENCY) != 0) {
        out.writeLong(a.liveLatencyCount);
        out.writeLong(a.liveLatencySumMs);
        writeSketch(out, a.liveLatency);
      }
      if ((flags & RENDITIONS) != 0) {
        out.writeInt(a.renditionPlayingMs.size());
        for (Map.Entry<String, Long> e : a.renditionPlayingMs.entrySet()) {
          out.writeUTF(e.getKey());
          out.writeLong(e.getValue());
        }
      }
      if ((flags & QUALITY) != 0) {
        out.writeLong(a.qualityUp);
        out.writeLong(a.qualityDown);
      }
      if ((flags & OUTCOMES) != 0) {
        out.writeLong(a.sessionsLoaded);
        out.writeLong(a.exitsBeforeVideoStart);
        out.writeLong(a.playbackAttempts);
        out.writeLong(a.playbackFailures);
        out.writeLong(a.sessionsPlayed);
        out.writeLong(a.sessionsRebuffered);
      }
    }

    @Override
    public QosAccumulator decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      int n = in.readInt();
      LongOpenHashSet sessions = new LongOpenHashSet(n);
      for (int i = 0; i < n; i++) {
        sessions.add(in.readLong());
      }
      QosAccumulator a = new QosAccumulator(sessions, new TreeMap<>());
      int flags = in.readUnsignedByte();
      if ((flags & SUMS) != 0) {
        a.errorCount = in.readLong();
        a.playingTimeMs = in.readLong();
        a.bufferingTimeMs = in.readLong();
        a.rebufferCount = in.readLong();
      }
      if ((flags & STARTUP) != 0) {
        a.startupCount = in.readLong();
        a.startupSumMs = in.readLong();
        a.startup = readSketch(in);
      }
      if ((flags & LIVE_LATENCY) != 0) {
        a.liveLatencyCount = in.readLong();
        a.liveLatencySumMs = in.readLong();
        a.liveLatency = readSketch(in);
      }
      if ((flags & RENDITIONS) != 0) {
        int renditions = in.readInt();
        for (int i = 0; i < renditions; i++) {
          a.renditionPlayingMs.put(in.readUTF(), in.readLong());
        }
      }
      if ((flags & QUALITY) != 0) {
        a.qualityUp = in.readLong();
        a.qualityDown = in.readLong();
      }
      if ((flags & OUTCOMES) != 0) {
        a.sessionsLoaded = in.readLong();
        a.exitsBeforeVideoStart = in.readLong();
        a.playbackAttempts = in.readLong();
        a.playbackFailures = in.readLong();
        a.sessionsPlayed = in.readLong();
        a.sessionsRebuffered = in.readLong();
      }
      return a;
    }

    private static void writeSketch(DataOutputStream out, @Nullable KllDoublesSketch s)
        throws IOException {
      byte[] b = s == null ? new byte[0] : s.toByteArray();
      out.writeInt(b.length);
      out.write(b);
    }

    private static @Nullable KllDoublesSketch readSketch(DataInputStream in) throws IOException {
      byte[] b = new byte[in.readInt()];
      in.readFully(b);
      return b.length == 0 ? null : LatencySketch.heapify(b);
    }
  }
}
