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
 * Running state of one minute's row: additive counts and the exact sets of viewing session and
 * fingerprint keys (primitive long sets: no boxing per event). Exact sets give exact per-minute
 * {@code ccu}; the sketches are built from them once, at the end.
 */
public final class MinuteAccumulator {
  long impressions;
  long views;
  long adStarts;
  long playingMs;
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

  /** Adds one event's contribution; returns how many entries the sets grew by. */
  int add(int impressions, int views, int adStarts, long playingMs, boolean viewing,
      long sessionKey, long fingerprint) {
    this.impressions += impressions;
    this.views += views;
    this.adStarts += adStarts;
    this.playingMs += playingMs;
    int grown = 0;
    if (viewing) {
      grown += sessions.add(sessionKey) ? 1 : 0;
      grown += fingerprints.add(fingerprint) ? 1 : 0;
    }
    return grown;
  }

  void merge(MinuteAccumulator o) {
    impressions += o.impressions;
    views += o.views;
    adStarts += o.adStarts;
    playingMs += o.playingMs;
    sessions.addAll(o.sessions);
    fingerprints.addAll(o.fingerprints);
  }

  /** Coder for partial accumulators crossing the shuffle (combiner lifting). */
  public static final class Coder extends AtomicCoder<MinuteAccumulator> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(MinuteAccumulator a, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      out.writeLong(a.impressions);
      out.writeLong(a.views);
      out.writeLong(a.adStarts);
      out.writeLong(a.playingMs);
      writeSet(out, a.sessions);
      writeSet(out, a.fingerprints);
    }

    @Override
    public MinuteAccumulator decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      long impressions = in.readLong();
      long views = in.readLong();
      long ads = in.readLong();
      long playing = in.readLong();
      MinuteAccumulator a = new MinuteAccumulator(readSet(in), readSet(in));
      a.impressions = impressions;
      a.views = views;
      a.adStarts = ads;
      a.playingMs = playing;
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
