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
 * order of {@code AudienceFamily.COUNTS}) and the exact sets of viewing session and fingerprint
 * keys (primitive long sets: no boxing per event). Exact sets give exact per-minute {@code ccu};
 * the sketches are built from them once, at the end.
 */
public final class MinuteAccumulator {
  static final int COUNTS = DeclaredCounts.AUDIENCE.size();

  final long[] counts = new long[COUNTS];
  final LongOpenHashSet sessions;
  final LongOpenHashSet fingerprints;

  MinuteAccumulator() {
    this(new LongOpenHashSet(), new LongOpenHashSet());
  }

  /** Entries held: what pre-aggregation bounds its memory by. */
  int size() {
    return 1 + sessions.size() + fingerprints.size();
  }

  private MinuteAccumulator(LongOpenHashSet sessions, LongOpenHashSet fingerprints) {
    this.sessions = sessions;
    this.fingerprints = fingerprints;
  }

  /**
   * Adds one event's contribution: {@code amounts[k]} to the count at {@code counted[k]}, and its
   * keys when it marks viewing. Returns how many entries the sets grew by.
   */
  int add(int[] counted, long[] amounts, boolean viewing, long sessionKey, long fingerprint) {
    for (int k = 0; k < counted.length; k++) {
      counts[counted[k]] += amounts[k];
    }
    int grown = 0;
    if (viewing) {
      grown += sessions.add(sessionKey) ? 1 : 0;
      grown += fingerprints.add(fingerprint) ? 1 : 0;
    }
    return grown;
  }

  void merge(MinuteAccumulator o) {
    for (int i = 0; i < COUNTS; i++) {
      counts[i] += o.counts[i];
    }
    sessions.addAll(o.sessions);
    fingerprints.addAll(o.fingerprints);
  }

  /**
   * Coder for partial accumulators crossing the shuffle (combiner lifting): the counts, then the
   * two sets (the layout of the four count fields the counts replaced).
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
      writeSet(out, a.sessions);
      writeSet(out, a.fingerprints);
    }

    @Override
    public MinuteAccumulator decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      long[] counts = new long[COUNTS];
      for (int i = 0; i < COUNTS; i++) {
        counts[i] = in.readLong();
      }
      MinuteAccumulator a = new MinuteAccumulator(readSet(in), readSet(in));
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
