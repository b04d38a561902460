package org.livemetrics.schemas;

import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.theta.CompactSketch;
import org.apache.datasketches.theta.SetOperation;
import org.apache.datasketches.theta.Sketch;
import org.apache.datasketches.theta.Union;
import org.apache.datasketches.theta.UpdateSketch;

/**
 * The mergeable distinct-count sketch stored with every aggregate row: an Apache DataSketches Theta
 * sketch with 2^14 nominal entries and the default seed.
 *
 * <p>Why Theta: it is exact while it holds fewer than 16,384 distinct keys (so small counts are
 * exact, not estimated), its relative standard error beyond that is 1/sqrt(16384) = 0.78%, which
 * keeps a 2% bound at about 2.5 standard deviations, and unions of any number of rows are lossless
 * with respect to that bound. Keys are the 64-bit hashes the pipeline already computes.
 */
public final class DistinctSketch {
  public static final int LG_NOMINAL_ENTRIES = 14;

  private DistinctSketch() {}

  /** A new sketch to fill with {@code update(long)}. */
  public static UpdateSketch newSketch() {
    return UpdateSketch.builder().setNominalEntries(1 << LG_NOMINAL_ENTRIES).build();
  }

  /** Serialized compact form of a sketch filled with the given keys. */
  public static byte[] of(long[] keys, int count) {
    UpdateSketch sketch = newSketch();
    for (int i = 0; i < count; i++) {
      sketch.update(keys[i]);
    }
    return sketch.compact().toByteArray();
  }

  /** A union to feed with serialized sketches. */
  public static Merger merger() {
    return new Merger();
  }

  /** Unions serialized sketches; {@link #estimate()} is the distinct count over all of them. */
  public static final class Merger {
    private final Union union =
        SetOperation.builder().setNominalEntries(1 << LG_NOMINAL_ENTRIES).buildUnion();

    public Merger add(byte[] serialized) {
      if (serialized.length > 0) {
        union.union(Sketch.wrap(Memory.wrap(serialized)));
      }
      return this;
    }

    public long estimate() {
      CompactSketch result = union.getResult();
      return Math.round(result.getEstimate());
    }

    public byte[] toByteArray() {
      return union.getResult().toByteArray();
    }
  }
}
