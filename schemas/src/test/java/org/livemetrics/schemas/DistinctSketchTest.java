package org.livemetrics.schemas;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.SplittableRandom;
import org.junit.Test;

/** The sketch's promise: exact below 100 (and far beyond), within 2% at any size. */
public class DistinctSketchTest {

  private static long[] keys(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    long[] k = new long[n];
    for (int i = 0; i < n; i++) {
      k[i] = r.nextLong();
    }
    return k;
  }

  @Test
  public void exactForSmallCounts() {
    for (int n : new int[] {0, 1, 2, 99, 100, 5_000, 16_000}) {
      assertEquals(n, DistinctSketch.merger().add(DistinctSketch.of(keys(n, n), n)).estimate());
    }
  }

  @Test
  public void unionCountsOverlapOnce() {
    long[] a = keys(1, 60);
    long[] b = new long[60];
    System.arraycopy(a, 30, b, 0, 30); // 30 shared keys
    System.arraycopy(keys(2, 30), 0, b, 30, 30);
    assertEquals(90, DistinctSketch.merger().add(DistinctSketch.of(a, 60)).add(DistinctSketch.of(b, 60)).estimate());
  }

  @Test
  public void withinTwoPercentWhenLarge() {
    int[] sizes = {50_000, 200_000, 1_000_000};
    for (int i = 0; i < sizes.length; i++) {
      int n = sizes[i];
      long[] k = keys(100 + i, n);
      // Split over 10 "minutes" with overlap, as a range query merges rows.
      DistinctSketch.Merger m = DistinctSketch.merger();
      int slice = n / 10;
      for (int s = 0; s < 10; s++) {
        int from = Math.max(0, s * slice - slice / 2);
        int to = Math.min(n, (s + 1) * slice);
        long[] part = new long[to - from];
        System.arraycopy(k, from, part, 0, part.length);
        m.add(DistinctSketch.of(part, part.length));
      }
      double error = Math.abs(m.estimate() - n) / (double) n;
      assertTrue(n + " distinct estimated " + m.estimate() + " (" + error * 100 + "%)", error <= 0.02);
    }
  }
}
