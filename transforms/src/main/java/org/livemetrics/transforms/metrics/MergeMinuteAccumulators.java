package org.livemetrics.transforms.metrics;

import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;
import org.livemetrics.schemas.DistinctSketch;

/**
 * Merges the partial rows of one (dimensions, minute) key into its final metrics. Associative and
 * commutative, so runners also lift it before the shuffle. The exact distinct counts come from the
 * merged key sets; the sketches are built from them once, at the end.
 */
public final class MergeMinuteAccumulators
    extends Combine.CombineFn<MinuteAccumulator, MinuteAccumulator, MinuteTotals> {

  @Override
  public MinuteAccumulator createAccumulator() {
    return new MinuteAccumulator();
  }

  @Override
  public MinuteAccumulator addInput(MinuteAccumulator acc, MinuteAccumulator partial) {
    acc.merge(partial); // never the other way round: inputs must not be mutated
    return acc;
  }

  @Override
  public MinuteAccumulator mergeAccumulators(Iterable<MinuteAccumulator> accs) {
    // Accumulators are ours to mutate: merge the smaller ones into the largest.
    MinuteAccumulator largest = null;
    for (MinuteAccumulator a : accs) {
      if (largest == null || a.size() > largest.size()) {
        largest = a;
      }
    }
    if (largest == null) {
      return createAccumulator();
    }
    for (MinuteAccumulator a : accs) {
      if (a != largest) {
        largest.merge(a);
      }
    }
    return largest;
  }

  @Override
  public MinuteTotals extractOutput(MinuteAccumulator acc) {
    long[] distinct = new long[acc.distinct.length];
    byte[][] sketches = new byte[acc.distinct.length][];
    for (int i = 0; i < distinct.length; i++) {
      LongOpenHashSet keys = acc.distinct[i];
      distinct[i] = keys.size();
      sketches[i] = DeclaredCounts.AUDIENCE.sketchesKeys(i)
          ? DistinctSketch.of(keys.toLongArray(), keys.size()) : new byte[0];
    }
    return new MinuteTotals(acc.counts.clone(), distinct, sketches);
  }

  @Override
  public Coder<MinuteAccumulator> getAccumulatorCoder(
      CoderRegistry registry, Coder<MinuteAccumulator> inputCoder) {
    return MinuteAccumulator.Coder.of();
  }

  @Override
  public Coder<MinuteTotals> getDefaultOutputCoder(
      CoderRegistry registry, Coder<MinuteAccumulator> inputCoder) {
    return MinuteTotals.Coder.of();
  }
}
