package org.livemetrics.transforms.metrics;

import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;
import org.livemetrics.schemas.DistinctSketch;

/**
 * Combines the contributions to one minute's row. Associative and commutative, so runners lift it
 * before the shuffle (per-worker partial rows, not per-event records, cross the network).
 */
public final class CombineMinuteMetrics
    extends Combine.CombineFn<MinuteContribution, MinuteAccumulator, MinuteTotals> {

  @Override
  public MinuteAccumulator createAccumulator() {
    return new MinuteAccumulator();
  }

  @Override
  public MinuteAccumulator addInput(MinuteAccumulator acc, MinuteContribution c) {
    acc.add(c);
    return acc;
  }

  @Override
  public MinuteAccumulator mergeAccumulators(Iterable<MinuteAccumulator> accs) {
    MinuteAccumulator merged = null;
    for (MinuteAccumulator a : accs) {
      if (merged == null) {
        merged = a;
      } else {
        merged.merge(a);
      }
    }
    return merged == null ? createAccumulator() : merged;
  }

  @Override
  public MinuteTotals extractOutput(MinuteAccumulator acc) {
    return new MinuteTotals(
        acc.impressions,
        acc.views,
        acc.adStarts,
        acc.playingMs,
        acc.sessions.size(),
        acc.fingerprints.size(),
        DistinctSketch.of(acc.sessions.toLongArray(), acc.sessions.size()),
        DistinctSketch.of(acc.fingerprints.toLongArray(), acc.fingerprints.size()));
  }

  @Override
  public Coder<MinuteAccumulator> getAccumulatorCoder(
      CoderRegistry registry, Coder<MinuteContribution> inputCoder)
      throws CannotProvideCoderException {
    return new MinuteAccumulator.Coder();
  }

  @Override
  public Coder<MinuteTotals> getDefaultOutputCoder(
      CoderRegistry registry, Coder<MinuteContribution> inputCoder) {
    return new MinuteTotals.Coder();
  }
}
