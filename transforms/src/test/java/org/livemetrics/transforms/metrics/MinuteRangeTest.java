package org.livemetrics.transforms.metrics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** The minutes a backfill owns: half-open, whole minutes, never empty. */
public class MinuteRangeTest {
  private static final long HOUR = 3_600_000;
  private static final long T = 29_396_460 * 60_000L; // 2025-11-22T05:00Z

  @Test
  public void anHourOwnsItsSixtyMinutesAndNotTheNext() {
    MinuteRange r = MinuteRange.ofMillis(T, T + HOUR);
    assertEquals(new MinuteRange(29_396_460, 29_396_520), r);
    assertTrue(r.contains(29_396_460));
    assertTrue(r.contains(29_396_519));
    assertFalse(r.contains(29_396_520));
    assertFalse(r.contains(29_396_459));
    assertFalse(r.isAll());
  }

  @Test
  public void allOwnsEveryMinute() {
    assertTrue(MinuteRange.ALL.contains(Long.MIN_VALUE));
    assertTrue(MinuteRange.ALL.contains(0));
    assertTrue(MinuteRange.ALL.contains(Long.MAX_VALUE - 1));
    assertTrue(MinuteRange.ALL.isAll());
  }

  @Test
  public void partMinutesAndEmptyRangesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> MinuteRange.ofMillis(T + 1, T + HOUR));
    assertThrows(IllegalArgumentException.class, () -> MinuteRange.ofMillis(T, T + HOUR - 1));
    assertThrows(IllegalArgumentException.class, () -> MinuteRange.ofMillis(T, T));
    assertThrows(IllegalArgumentException.class, () -> MinuteRange.ofMillis(T + HOUR, T));
    assertThrows(IllegalArgumentException.class, () -> new MinuteRange(5, 5));
  }
}
