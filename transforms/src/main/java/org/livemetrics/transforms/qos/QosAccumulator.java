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
import org.livemetrics.schemas.SessionFacts;
import org.livemetrics.schemas.family.ViewerQosFamily;
import org.livemetrics.transforms.metrics.DeclaredCounts;

/**
 * Running state of one QoS row: the exact set of viewing session keys (for an exact
 * concurrent_sessions), the declared counts ({@link ViewerQosFamily#COUNTS}, one array in that
 * order), the latencies' counts, sums and sketches (created at their first value) and the playing
 * time per rendition.
 */
public final class QosAccumulator {
  static final int COUNTS = DeclaredCounts.VIEWER_QOS.size();

  final LongOpenHashSet sessions;
  final long[] counts = new long[COUNTS];
  long startupCount;
  long startupSumMs;
  @Nullable KllDoublesSketch startup;
  long liveLatencyCount;
  long liveLatencySumMs;
  @Nullable KllDoublesSketch liveLatency;
  final Map<String, Long> renditionPlayingMs;

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

  /**
   * A partial row holding one ended session's outcome and nothing else: 1 in each per-session
   * count whose test the session passes.
   */
  public static QosAccumulator ofSessionOutcome(SessionFacts session) {
    QosAccumulator a = new QosAccumulator();
    DeclaredCounts.VIEWER_QOS.addSession(a.counts, session);
    return a;
  }

  void addRendition(String rendition, long playingMs) {
    renditionPlayingMs.merge(rendition, playingMs, Long::sum);
  }

  void merge(QosAccumulator o) {
    sessions.addAll(o.sessions);
    for (int i = 0; i < COUNTS; i++) {
      counts[i] += o.counts[i];
    }
    startupCount += o.startupCount;
    startupSumMs += o.startupSumMs;
    startup = mergeSketch(startup, o.startup);
    liveLatencyCount += o.liveLatencyCount;
    liveLatencySumMs += o.liveLatencySumMs;
    liveLatency = mergeSketch(liveLatency, o.liveLatency);
    o.renditionPlayingMs.forEach(this::addRendition);
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
    b.concurrentSessions(sessions.size())
        .startup(startupCount, startupSumMs, serialized(startup))
        .liveLatency(liveLatencyCount, liveLatencySumMs, serialized(liveLatency))
        .renditionPlayingMs(renditionPlayingMs);
    for (int i = 0; i < COUNTS; i++) {
      b.countAt(i, counts[i]);
    }
    return b;
  }

  private static byte[] serialized(@Nullable KllDoublesSketch s) {
    return s == null ? LatencySketch.empty() : s.toByteArray();
  }

  /**
   * Coder for partial rows crossing the shuffle (combiner lifting) and accumulators. A flags byte
   * says which groups of fields are not all zero, and only those are written: most partial rows
   * hold one group (a session's outcome, or a minute's sessions and sums without sketches), and
   * their bytes were three quarters zeros.
   *
   * <p>The declared counts fall into groups by their position in {@link ViewerQosFamily#COUNTS}:
   * the groups the first twelve had before counts were declared (so accumulators in savepoints
   * taken before read the same), and every count declared after them in one more group.
   */
  public static final class Coder extends AtomicCoder<QosAccumulator> {
    private static final Coder INSTANCE = new Coder();
    private static final int SUMS = 1;
    private static final int STARTUP = 1 << 1;
    private static final int LIVE_LATENCY = 1 << 2;
    private static final int RENDITIONS = 1 << 3;
    private static final int QUALITY = 1 << 4;
    private static final int OUTCOMES = 1 << 5;
    private static final int LATER_COUNTS = 1 << 6;
    /** Where each group of counts starts and ends in the counts, by flag. */
    private static final int[][] COUNT_GROUPS = {
      {SUMS, 0, 4}, {QUALITY, 4, 6}, {OUTCOMES, 6, 12}, {LATER_COUNTS, 12, COUNTS}};

    public static Coder of() {
      return INSTANCE;
    }

    private static int flags(QosAccumulator a) {
      int flags = 0;
      for (int[] group : COUNT_GROUPS) {
        for (int i = group[1]; i < group[2]; i++) {
          if (a.counts[i] != 0) {
            flags |= group[0];
            break;
          }
        }
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
      writeCounts(out, a, flags, SUMS);
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
      writeCounts(out, a, flags, QUALITY);
      writeCounts(out, a, flags, OUTCOMES);
      writeCounts(out, a, flags, LATER_COUNTS);
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
      readCounts(in, a, flags, SUMS);
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
      readCounts(in, a, flags, QUALITY);
      readCounts(in, a, flags, OUTCOMES);
      readCounts(in, a, flags, LATER_COUNTS);
      return a;
    }

    private static int[] group(int flag) {
      for (int[] group : COUNT_GROUPS) {
        if (group[0] == flag) {
          return group;
        }
      }
      throw new IllegalArgumentException("no group " + flag);
    }

    private static void writeCounts(DataOutputStream out, QosAccumulator a, int flags, int flag)
        throws IOException {
      if ((flags & flag) != 0) {
        int[] group = group(flag);
        for (int i = group[1]; i < group[2]; i++) {
          out.writeLong(a.counts[i]);
        }
      }
    }

    private static void readCounts(DataInputStream in, QosAccumulator a, int flags, int flag)
        throws IOException {
      if ((flags & flag) != 0) {
        int[] group = group(flag);
        for (int i = group[1]; i < group[2]; i++) {
          a.counts[i] = in.readLong();
        }
      }
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
