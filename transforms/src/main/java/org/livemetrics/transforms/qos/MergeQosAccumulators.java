package org.livemetrics.transforms.qos;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Merges the partial rows of one QoS key. Associative and commutative (set union, sums, KLL merge),
 * so runners also lift it before the shuffle. The output is the merged accumulator; the row is
 * built from it with the key's dimensions.
 */
public final class MergeQosAccumulators
    extends Combine.CombineFn<QosAccumulator, QosAccumulator, QosAccumulator> {

  @Override
  public QosAccumulator createAccumulator() {
    return new QosAccumulator();
  }

  @Override
  public QosAccumulator addInput(QosAccumulator acc, QosAccumulator partial) {
    acc.merge(partial); // never the other way round: inputs must not be mutated
    return acc;
  }

  @Override
  public QosAccumulator mergeAccumulators(Iterable<QosAccumulator> accs) {
    // Accumulators are ours to mutate: merge the others into the one with most sessions.
    QosAccumulator largest = null;
    for (QosAccumulator a : accs) {
      if (largest == null || a.size() > largest.size()) {
        largest = a;
      }
    }
    if (largest == null) {
      return createAccumulator();
    }
    for (QosAccumulator a : accs) {
      if (a != largest) {
        largest.merge(a);
      }
    }
    return largest;
  }

  @Override
  public QosAccumulator extractOutput(QosAccumulator acc) {
    return acc;
  }

  @Override
  public Coder<QosAccumulator> getAccumulatorCoder(
      CoderRegistry registry, Coder<QosAccumulator> inputCoder) {
    return QosAccumulator.Coder.of();
  }

  @Override
  public Coder<QosAccumulator> getDefaultOutputCoder(
      CoderRegistry registry, Coder<QosAccumulator> inputCoder) {
    return QosAccumulator.Coder.of();
  }
}
