package org.livemetrics.schemas;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.kll.KllSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * The mergeable quantile sketch stored with every QoS row for each latency distribution (startup
 * time, live latency): an Apache DataSketches KLL sketch of doubles (milliseconds) with
 * {@link #K} = 300.
 *
 * <p>Why KLL with k = 300: the issue asks for p50 and p95 within 1% rank error after any merge
 * over minutes and platforms. KLL's normalized rank error for a single quantile query is about
 * 2.296 / k^0.9723 at 99% confidence; DataSketches' own {@code getKFromEpsilon(0.01)} gives k =
 * 269, and k = 300 gives 0.90% ({@link #RANK_ERROR}). The bound holds for a sketch built by merging
 * any number of sketches of that k, so minute rows can be merged into hours, days and platforms
 * without losing it. Measured on 200 sets of 10,000 log-normal latencies: the worst p50/p95 rank
 * error was 0.64% from one sketch and 0.61% from 240 row sketches merged. The sketch is exact
 * while it holds at most k values (a minute of one platform usually does). Serialized: about 8
 * bytes per value up to 300 values (2.4 KB), then 6.6 KB at 10,000 values and 7.3 KB at a million;
 * 8 bytes empty. REQ would be sharper at the far tail (p99.9) but its error is relative to the
 * rank, which is no better at p50; we only need p50 and p95.
 *
 * <p>Values are whole milliseconds stored as doubles; quantiles are read with the inclusive
 * criterion, so for an exact (small) sketch p50 is the lower median, as with {@code
 * sorted[ceil(0.5 n) - 1]}.
 */
public final class LatencySketch {
  public static final int K = 300;
  /** The normalized rank error of one quantile at 99% confidence for {@link #K}. */
  public static final double RANK_ERROR = KllSketch.getNormalizedRankError(K, false);

  private LatencySketch() {}

  /** A new sketch to fill with {@code update(double)}. */
  public static KllDoublesSketch newSketch() {
    return KllDoublesSketch.newHeapInstance(K);
  }

  /** A sketch read back from its serialized form (empty bytes: a new, empty sketch). */
  public static KllDoublesSketch heapify(byte[] serialized) {
    return serialized.length == 0 ? newSketch() : KllDoublesSketch.heapify(Memory.wrap(serialized));
  }

  /** The serialized form of an empty sketch. */
  public static byte[] empty() {
    return newSketch().toByteArray();
  }

  /** A union to feed with serialized sketches; reads quantiles over all of them. */
  public static Merger merger() {
    return new Merger();
  }

  /** Merges serialized sketches; quantiles are over every value any of them saw. */
  public static final class Merger {
    private final KllDoublesSketch union = newSketch();

    public Merger add(byte[] serialized) {
      if (serialized.length > 0) {
        KllDoublesSketch s = KllDoublesSketch.heapify(Memory.wrap(serialized));
        if (!s.isEmpty()) {
          union.merge(s);
        }
      }
      return this;
    }

    /** How many values the merged sketches saw. */
    public long count() {
      return union.getN();
    }

    /** The value at normalized rank {@code rank} (0.5 for p50), or null when no value was seen. */
    public Double quantile(double rank) {
      return union.isEmpty() ? null : union.getQuantile(rank, QuantileSearchCriteria.INCLUSIVE);
    }

    public byte[] toByteArray() {
      return union.toByteArray();
    }
  }
}
