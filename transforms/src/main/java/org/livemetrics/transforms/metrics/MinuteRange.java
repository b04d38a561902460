package org.livemetrics.transforms.metrics;

import java.io.Serializable;

/**
 * The UTC minutes a computation owns, {@code [fromMinute, toMinute)} in epoch minutes: a backfill's
 * range (rows of other minutes belong to other runs and are dropped, and counted, where they would
 * be made), or {@link #ALL} minutes (streaming). One definition for every family's fold and the
 * session outcomes, so they cannot disagree about which minutes a backfill replaces.
 */
public record MinuteRange(long fromMinute, long toMinute) implements Serializable {
  public static final MinuteRange ALL = new MinuteRange(Long.MIN_VALUE, Long.MAX_VALUE);

  public MinuteRange {
    if (toMinute <= fromMinute) {
      throw new IllegalArgumentException(
          "minute range must have from < to: " + fromMinute + ".." + toMinute);
    }
  }

  /**
   * The minutes of {@code [fromMillis, toMillis)}.
   *
   * @throws IllegalArgumentException unless both are whole minutes and from < to
   */
  public static MinuteRange ofMillis(long fromMillis, long toMillis) {
    if (fromMillis % 60_000 != 0 || toMillis % 60_000 != 0 || toMillis <= fromMillis) {
      throw new IllegalArgumentException(
          "minute range must be whole minutes with from < to: " + fromMillis + ".." + toMillis);
    }
    return new MinuteRange(fromMillis / 60_000, toMillis / 60_000);
  }

  public boolean contains(long epochMinute) {
    return epochMinute >= fromMinute && epochMinute < toMinute;
  }

  public boolean isAll() {
    return equals(ALL);
  }
}
