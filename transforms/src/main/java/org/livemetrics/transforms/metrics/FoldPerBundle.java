package org.livemetrics.transforms.metrics;

import java.util.function.ToIntFunction;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;

/**
 * Partial rows merged per window and key within each bundle before they cross a shuffle: the
 * in-mapper combining of {@link PartialRows}, for partial rows that a step emits one by one (the
 * ended sessions' outcomes, four small rows a session). Each row leaves at the end of the bundle
 * at the earliest timestamp merged into it, or earlier, when the bundle holds more than {@code
 * maxEntries} entries, so memory stays bounded. Exact either way: the rows are merged again per
 * key after the shuffle, by the same function.
 *
 * @param <K> the row key
 * @param <A> the partial row: {@code fn}'s input and accumulator; {@code fn.addInput} must merge
 *     the input into the accumulator it is given and return it (the fold keeps that object)
 */
public final class FoldPerBundle<K, A>
    extends PTransform<PCollection<KV<K, A>>, PCollection<KV<K, A>>> {
  private final Combine.CombineFn<A, A, ?> fn;
  private final SerializableFunction<A, Integer> size;
  private final int maxEntries;
  private final KvCoder<K, A> coder;

  private FoldPerBundle(Combine.CombineFn<A, A, ?> fn, SerializableFunction<A, Integer> size,
      int maxEntries, KvCoder<K, A> coder) {
    this.fn = fn;
    this.size = size;
    this.maxEntries = maxEntries;
    this.coder = coder;
  }

  /**
   * Merges with {@code fn}; {@code size} counts a row's entries (the row itself included), and
   * past {@code maxEntries} buffered entries a bundle emits its rows early.
   */
  public static <K, A> FoldPerBundle<K, A> of(Combine.CombineFn<A, A, ?> fn,
      SerializableFunction<A, Integer> size, int maxEntries, KvCoder<K, A> coder) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive, was " + maxEntries);
    }
    return new FoldPerBundle<>(fn, size, maxEntries, coder);
  }

  @Override
  public PCollection<KV<K, A>> expand(PCollection<KV<K, A>> partials) {
    return partials.apply("FoldInBundle", ParDo.of(new FoldFn<>(fn, size, maxEntries)))
        .setCoder(coder);
  }

  static final class FoldFn<K, A> extends DoFn<KV<K, A>, KV<K, A>> {
    private final Combine.CombineFn<A, A, ?> fn;
    private final SerializableFunction<A, Integer> size;
    private final int maxEntries;
    private transient PartialRows<K, A> rows;

    FoldFn(Combine.CombineFn<A, A, ?> fn, SerializableFunction<A, Integer> size, int maxEntries) {
      this.fn = fn;
      this.size = size;
      this.maxEntries = maxEntries;
    }

    @StartBundle
    public void startBundle() {
      ToIntFunction<A> entries = size::apply;
      rows = new PartialRows<>(fn::createAccumulator, entries);
    }

    @ProcessElement
    public void process(@Element KV<K, A> partial, @Timestamp Instant timestamp,
        BoundedWindow window, OutputReceiver<KV<K, A>> out) {
      A row = rows.row(window, partial.getKey(), timestamp);
      int before = size.apply(row);
      if (fn.addInput(row, partial.getValue()) != row) {
        throw new IllegalStateException(
            fn.getClass().getName() + ".addInput must merge into the accumulator it is given");
      }
      rows.grew(size.apply(row) - before);
      if (rows.isFull(maxEntries)) {
        rows.emit(window, timestamp, out);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      rows.emitAll(c::output);
      rows = null;
    }
  }
}
