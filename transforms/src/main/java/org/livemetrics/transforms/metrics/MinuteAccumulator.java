package org.livemetrics.transforms.metrics;

import it.unimi.dsi.fastutil.longs.LongIterator;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * Running state of one minute's row: the declared counts ({@link DeclaredCounts#AUDIENCE}, in the
 * order of {@code AudienceFamily.COUNTS}) and an exact set of keys for each declared distinct count
 * ({@code ccu}: viewing sessions, {@code fingerprint_count}: fingerprints; primitive long sets, no
 * boxing per event). Exact sets give exact per-minute distinct counts; the sketches are built from
 * them once, at the end.
 */
public final class MinuteAccumulator {
  static final int COUNTS = DeclaredCounts.AUDIENCE.size();
  static final int DISTINCT = DeclaredCounts.AUDIENCE.distinct();

  final long[] counts = new long[COUNTS];
  final LongOpenHashSet[] distinct;

  MinuteAccumulator() {
    this(new LongOpenHashSet[DISTINCT]);
    for (int i = 0; i < DISTINCT; i++) {
      distinct[i] = new LongOpenHashSet();
    }
  }

  private MinuteAccumulator(LongOpenHashSet[] distinct) {
    this.distinct = distinct;
  }

  /** Entries held: what pre-aggregation bounds its memory by. */
  int size() {
    int n = 1;
    for (LongOpenHashSet keys : distinct) {
      n += keys.size();
    }
    return n;
  }

  /**
   * Adds one event's contribution: {@code amounts[k]} to the count at {@code counted[k]}, and
   * {@code keys[i]} to each distinct set when it marks viewing. Returns how many entries the sets
   * grew by.
   */
  int add(int[] counted, long[] amounts, boolean viewing, long[] keys) {
    for (int k = 0; k < counted.length; k++) {
      counts[counted[k]] += amounts[k];
    }
    int grown = 0;
    if (viewing) {
      for (int i = 0; i < DISTINCT; i++) {
        grown += distinct[i].add(keys[i]) ? 1 : 0;
      }
    }
    return grown;
  }

  void merge(MinuteAccumulator o) {
    for (int i = 0; i < COUNTS; i++) {
      counts[i] += o.counts[i];
    }
    for (int i = 0; i < DISTINCT; i++) {
      distinct[i].addAll(o.distinct[i]);
    }
  }

  /**
   * Coder for partial accumulators crossing the shuffle (combiner lifting): the counts, then the
   * distinct sets in their declared order (the layout of the four count fields the counts
   * replaced, then the session and fingerprint sets).
   */
  public static final class Coder extends AtomicCoder<MinuteAccumulator> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(MinuteAccumulator a, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      for (long count : a.counts) {
        out.writeLong(count);
      }
      for (LongOpenHashSet keys : a.distinct) {
        writeSet(out, keys);
      }
    }

    @Override
    public MinuteAccumulator decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      long[] counts = new long[COUNTS];
      for (int i = 0; i < COUNTS; i++) {
        counts[i] = in.readLong();
      }
      LongOpenHashSet[] distinct = new LongOpenHashSet[DISTINCT];
      for (int i = 0; i < DISTINCT; i++) {
        distinct[i] = readSet(in);
      }
      MinuteAccumulator a = new MinuteAccumulator(distinct);
      System.arraycopy(counts, 0, a.counts, 0, COUNTS);
      return a;
    }

    private static void writeSet(DataOutputStream out, LongOpenHashSet set) throws IOException {
      out.writeInt(set.size());
      for (LongIterator it = set.iterator(); it.hasNext(); ) {
        out.writeLong(it.nextLong());
      }
    }

    private static LongOpenHashSet readSet(DataInputStream in) throws IOException {
      int n = in.readInt();
      LongOpenHashSet set = new LongOpenHashSet(n);
      for (int i = 0; i < n; i++) {
        set.add(in.readLong());
      }
      return set;
    }
  }
}
