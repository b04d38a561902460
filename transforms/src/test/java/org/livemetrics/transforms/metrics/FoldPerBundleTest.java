package org.livemetrics.transforms.metrics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

public class FoldPerBundleTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  /** A count that merges in place, as the partial rows do. */
  static final class Count implements Serializable {
    long n;

    Count(long n) {
      this.n = n;
    }
  }

  static class SumCounts extends Combine.CombineFn<Count, Count, Long> {
    @Override
    public Count createAccumulator() {
      return new Count(0);
    }

    @Override
    public Count addInput(Count acc, Count input) {
      acc.n += input.n;
      return acc;
    }

    @Override
    public Count mergeAccumulators(Iterable<Count> accs) {
      Count merged = new Count(0);
      accs.forEach(a -> merged.n += a.n);
      return merged;
    }

    @Override
    public Long extractOutput(Count acc) {
      return acc.n;
    }
  }

  private static final KvCoder<String, Count> CODER =
      KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(Count.class));

  /** Each count's entries: itself, plus one per unit (so a test can fill the buffer). */
  private static int entries(Count c) {
    return 1 + (int) c.n;
  }

  private static final class Collect implements DoFn.OutputReceiver<KV<String, Count>> {
    final List<String> out = new ArrayList<>();

    @Override
    public void output(KV<String, Count> kv) {
      out.add(kv.getKey() + "=" + kv.getValue().n);
    }

    @Override
    public void outputWithTimestamp(KV<String, Count> kv, Instant timestamp) {
      out.add(kv.getKey() + "=" + kv.getValue().n + "@" + timestamp.getMillis());
    }
  }

  private static FoldPerBundle.FoldFn<String, Count> fn(int maxEntries) {
    return new FoldPerBundle.FoldFn<>(new SumCounts(), FoldPerBundleTest::entries, maxEntries);
  }

  /** The bundle's end, collected per row with its timestamp. */
  private static List<String> finish(FoldPerBundle.FoldFn<String, Count> fn) {
    List<String> out = new ArrayList<>();
    fn.finishBundle(fn.new FinishBundleContext() {
      @Override
      public PipelineOptions getPipelineOptions() {
        throw new UnsupportedOperationException();
      }

      @Override
      public void output(KV<String, Count> kv, Instant timestamp, BoundedWindow window) {
        out.add(kv.getKey() + "=" + kv.getValue().n + "@" + timestamp.getMillis());
      }

      @Override
      public <T> void output(TupleTag<T> tag, T output, Instant timestamp, BoundedWindow window) {
        throw new UnsupportedOperationException();
      }
    });
    out.sort(null);
    return out;
  }

  @Test
  public void aBundleLeavesAsOneRowPerKeyAtItsEarliestTimestamp() {
    FoldPerBundle.FoldFn<String, Count> fn = fn(1_000);
    Collect early = new Collect();
    fn.startBundle();
    fn.process(KV.of("a", new Count(1)), new Instant(300), GlobalWindow.INSTANCE, early);
    fn.process(KV.of("b", new Count(2)), new Instant(200), GlobalWindow.INSTANCE, early);
    fn.process(KV.of("a", new Count(4)), new Instant(100), GlobalWindow.INSTANCE, early);
    fn.process(KV.of("a", new Count(8)), new Instant(400), GlobalWindow.INSTANCE, early);
    assertEquals(List.of(), early.out);
    assertEquals(List.of("a=13@100", "b=2@200"), finish(fn));
  }

  @Test
  public void aFullBufferLeavesEarlyAndNothingIsLostOrCountedTwice() {
    // Entries: a row is 1 + its count. Past 10 the rows leave at the element's timestamp.
    FoldPerBundle.FoldFn<String, Count> fn = fn(10);
    Collect early = new Collect();
    fn.startBundle();
    fn.process(KV.of("a", new Count(3)), new Instant(1), GlobalWindow.INSTANCE, early); // 4
    fn.process(KV.of("b", new Count(3)), new Instant(2), GlobalWindow.INSTANCE, early); // 8
    fn.process(KV.of("a", new Count(3)), new Instant(3), GlobalWindow.INSTANCE, early); // 11
    early.out.sort(null);
    assertEquals(List.of("a=6@3", "b=3@3"), early.out);
    fn.process(KV.of("a", new Count(5)), new Instant(4), GlobalWindow.INSTANCE, early); // 6
    assertEquals(List.of("a=5@4"), finish(fn));
  }

  @Test
  public void anAddInputThatReturnsAnotherAccumulatorIsRefused() {
    Combine.CombineFn<Count, Count, Long> copying = new SumCounts() {
      @Override
      public Count addInput(Count acc, Count input) {
        return new Count(acc.n + input.n);
      }
    };
    FoldPerBundle.FoldFn<String, Count> fn =
        new FoldPerBundle.FoldFn<>(copying, FoldPerBundleTest::entries, 10);
    fn.startBundle();
    assertThrows(IllegalStateException.class, () -> fn.process(KV.of("a", new Count(1)),
        new Instant(1), GlobalWindow.INSTANCE, new Collect()));
  }

  @Test
  public void foldedThenMergedPerKeyEqualsTheInputsSums() {
    List<KV<String, Count>> in = new ArrayList<>();
    Map<String, Long> expected = new TreeMap<>();
    for (int i = 0; i < 500; i++) {
      String key = "k" + (i % 7);
      in.add(KV.of(key, new Count(i)));
      expected.merge(key, (long) i, Long::sum);
    }
    PCollection<KV<String, Long>> sums = pipeline
        .apply(Create.of(in).withCoder(CODER))
        .apply(FoldPerBundle.of(new SumCounts(), FoldPerBundleTest::entries, 50, CODER))
        .apply(Combine.perKey(new SumCounts()));
    List<KV<String, Long>> want = new ArrayList<>();
    expected.forEach((k, v) -> want.add(KV.of(k, v)));
    PAssert.that(sums).containsInAnyOrder(want);
    pipeline.run();
  }
}
