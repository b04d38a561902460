package org.livemetrics.transforms.qos;

import it.unimi.dsi.fastutil.longs.LongIterator;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
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
 * Running state of one QoS row, each part as its family declares it and in the order of {@link
 * ViewerQosFamily#COUNTED}: an exact set of keys for each distinct count (the viewing sessions of
 * {@code concurrent_sessions}), the counts, the sketches of values (each created at its first
 * value), and a sorted map for each sum by key (the playing time per rendition).
 */
public final class QosAccumulator {
  static final int COUNTS = DeclaredCounts.VIEWER_QOS.size();
  static final int SKETCHES = DeclaredCounts.VIEWER_QOS.sketches();
  static final int DISTINCT = DeclaredCounts.VIEWER_QOS.distinct();
  static final int KEYED = DeclaredCounts.VIEWER_QOS.keyed();

  final LongOpenHashSet[] distinct;
  final long[] counts = new long[COUNTS];
  final @Nullable KllDoublesSketch[] sketches = new KllDoublesSketch[SKETCHES];
  final List<Map<String, Long>> keyed = new ArrayList<>(KEYED);

  QosAccumulator() {
    this(new LongOpenHashSet[DISTINCT]);
    for (int i = 0; i < DISTINCT; i++) {
      distinct[i] = new LongOpenHashSet();
    }
  }

  private QosAccumulator(LongOpenHashSet[] distinct) {
    this.distinct = distinct;
    for (int i = 0; i < KEYED; i++) {
      keyed.add(new TreeMap<>());
    }
  }

  /**
   * Entries held (the row, its distinct keys, its sketch values, its keyed sums' keys): what
   * pre-aggregation bounds.
   */
  int size() {
    long values = DeclaredCounts.VIEWER_QOS.sketchedValues(counts);
    int keys = 0;
    for (LongOpenHashSet set : distinct) {
      keys += set.size();
    }
    for (Map<String, Long> sums : keyed) {
      keys += sums.size();
    }
    return 1 + keys + (int) Math.min(values, LatencySketch.K * 2L);
  }

  /**
   * Adds a viewing event's key for each declared distinct count ({@link DeclaredCounts#keys});
   * returns how many were new to the row.
   */
  int addKeys(long[] keys) {
    int grown = 0;
    for (int i = 0; i < DISTINCT; i++) {
      grown += distinct[i].add(keys[i]) ? 1 : 0;
    }
    return grown;
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

  void merge(QosAccumulator o) {
    for (int i = 0; i < DISTINCT; i++) {
      distinct[i].addAll(o.distinct[i]);
    }
    for (int i = 0; i < COUNTS; i++) {
      counts[i] += o.counts[i];
    }
    for (int i = 0; i < SKETCHES; i++) {
      sketches[i] = mergeSketch(sketches[i], o.sketches[i]);
    }
    DeclaredCounts.VIEWER_QOS.mergeKeyed(keyed, o.keyed);
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
    for (int i = 0; i < DISTINCT; i++) {
      b.distinctAt(i, distinct[i].size());
    }
    for (int i = 0; i < KEYED; i++) {
      b.keyedAt(i, keyed.get(i));
    }
    for (int i = 0; i < COUNTS; i++) {
      b.countAt(i, counts[i]);
    }
    for (int i = 0; i < SKETCHES; i++) {
      b.sketchAt(i, sketches[i] == null ? LatencySketch.empty() : sketches[i].toByteArray());
    }
    return b;
  }

  /**
   * Coder for partial rows crossing the shuffle (combiner lifting) and accumulators. A flags byte
   * says which groups of fields are not all zero, and only those are written: most partial rows
   * hold one group (a session's outcome, or a minute's sessions and sums without sketches), and
   * their bytes were three quarters zeros.
   *
   * <p>The declared counts and sketches fall into groups by their positions in {@link
   * ViewerQosFamily#COUNTS} and {@link ViewerQosFamily#SKETCHES}: the groups they had before they
   * were declared (so accumulators in savepoints taken before read the same), and every one
   * declared after them in one more group.
   */
  public static final class Coder extends AtomicCoder<QosAccumulator> {
    private static final Coder INSTANCE = new Coder();
    private static final int SUMS = 1;
    private static final int STARTUP = 1 << 1;
    private static final int LIVE_LATENCY = 1 << 2;
    private static final int RENDITIONS = 1 << 3;
    private static final int QUALITY = 1 << 4;
    private static final int OUTCOMES = 1 << 5;
    private static final int LATER = 1 << 6;

    /**
     * A group: its flag, its counts' positions {@code [from, to)} and its sketches' {@code
     * [from, to)}, in the order they are written.
     */
    private record Group(int flag, int countsFrom, int countsTo, int sketchesFrom,
        int sketchesTo) {}

    private static final Group[] GROUPS = {
      new Group(SUMS, 0, 4, 0, 0),
      new Group(STARTUP, 4, 6, 0, 1),
      new Group(LIVE_LATENCY, 6, 8, 1, 2),
      new Group(RENDITIONS, 0, 0, 0, 0),
      new Group(QUALITY, 8, 10, 2, 2),
      new Group(OUTCOMES, 10, 16, 2, 2),
      new Group(LATER, 16, COUNTS, 2, SKETCHES)};

    public static Coder of() {
      return INSTANCE;
    }

    private static int flags(QosAccumulator a) {
      int flags = 0;
      for (Map<String, Long> sums : a.keyed) {
        flags |= sums.isEmpty() ? 0 : RENDITIONS;
      }
      for (Group g : GROUPS) {
        for (int i = g.countsFrom; i < g.countsTo; i++) {
          if (a.counts[i] != 0) {
            flags |= g.flag;
          }
        }
        for (int i = g.sketchesFrom; i < g.sketchesTo; i++) {
          if (a.sketches[i] != null) {
            flags |= g.flag;
          }
        }
      }
      return flags;
    }

    @Override
    public void encode(QosAccumulator a, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      for (LongOpenHashSet keys : a.distinct) {
        out.writeInt(keys.size());
        for (LongIterator it = keys.iterator(); it.hasNext(); ) {
          out.writeLong(it.nextLong());
        }
      }
      int flags = flags(a);
      out.writeByte(flags);
      for (Group g : GROUPS) {
        if ((flags & g.flag) == 0) {
          continue;
        }
        if (g.flag == RENDITIONS) {
          for (Map<String, Long> sums : a.keyed) {
            out.writeInt(sums.size());
            for (Map.Entry<String, Long> e : sums.entrySet()) {
              out.writeUTF(e.getKey());
              out.writeLong(e.getValue());
            }
          }
        }
        for (int i = g.countsFrom; i < g.countsTo; i++) {
          out.writeLong(a.counts[i]);
        }
        for (int i = g.sketchesFrom; i < g.sketchesTo; i++) {
          byte[] b = a.sketches[i] == null ? new byte[0] : a.sketches[i].toByteArray();
          out.writeInt(b.length);
          out.write(b);
        }
      }
    }

    @Override
    public QosAccumulator decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      LongOpenHashSet[] distinct = new LongOpenHashSet[DISTINCT];
      for (int k = 0; k < DISTINCT; k++) {
        int n = in.readInt();
        distinct[k] = new LongOpenHashSet(n);
        for (int i = 0; i < n; i++) {
          distinct[k].add(in.readLong());
        }
      }
      QosAccumulator a = new QosAccumulator(distinct);
      int flags = in.readUnsignedByte();
      for (Group g : GROUPS) {
        if ((flags & g.flag) == 0) {
          continue;
        }
        if (g.flag == RENDITIONS) {
          for (Map<String, Long> sums : a.keyed) {
            int keys = in.readInt();
            for (int i = 0; i < keys; i++) {
              sums.put(in.readUTF(), in.readLong());
            }
          }
        }
        for (int i = g.countsFrom; i < g.countsTo; i++) {
          a.counts[i] = in.readLong();
        }
        for (int i = g.sketchesFrom; i < g.sketchesTo; i++) {
          byte[] b = new byte[in.readInt()];
          in.readFully(b);
          a.sketches[i] = b.length == 0 ? null : LatencySketch.heapify(b);
        }
      }
      return a;
    }
  }
}
