package org.livemetrics.transforms.parse;

import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * How far an event's {@code event_time} may lie from its arrival, so that every event is either
 * counted by exactly one backfill range or is a dead letter: never silently neither.
 *
 * <p>The archive is partitioned by arrival hour, and the backfill of a range reads the range's
 * partitions plus {@code --latePartitions} after it and, for players whose clock runs ahead, the
 * partitions {@code --maxClockSkew} before it. So an event that arrived in hour {@code H} is
 * counted in its minute exactly when
 *
 * <pre>  H - latePartitions hours  &lt;=  event_time  &lt;  H + 1 hour + maxClockSkew</pre>
 *
 * and is otherwise a dead letter: {@code too_late} below, {@code clock_skew} above. The rule uses
 * the arrival <em>hour</em>, not the exact arrival, in streaming too: then the live job and any
 * later backfill of the archive it wrote take the same decision for every event.
 */
public final class ArrivalRule implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final long HOUR = 3_600_000L;
  private static final DateTimeFormatter HOUR_FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH':00Z'").withZone(ZoneOffset.UTC);

  private final long maxClockSkewMs;
  private final int latePartitions;

  private ArrivalRule(long maxClockSkewMs, int latePartitions) {
    this.maxClockSkewMs = maxClockSkewMs;
    this.latePartitions = latePartitions;
  }

  public static ArrivalRule of(Duration maxClockSkew, int latePartitions) {
    if (maxClockSkew == null || maxClockSkew.getMillis() < 0) {
      throw new IllegalArgumentException("--maxClockSkew must not be negative (e.g. PT10M), was "
          + maxClockSkew);
    }
    if (latePartitions < 0) {
      throw new IllegalArgumentException("--latePartitions must not be negative, was " + latePartitions);
    }
    return new ArrivalRule(maxClockSkew.getMillis(), latePartitions);
  }

  public long maxClockSkewMs() {
    return maxClockSkewMs;
  }

  public int latePartitions() {
    return latePartitions;
  }

  /** The first arrival hour a backfill starting at {@code fromHour} must read. */
  public long firstPartition(long fromHour) {
    return Math.floorDiv(fromHour - maxClockSkewMs, HOUR) * HOUR;
  }

  /** Why an event of {@code eventTime} that arrived at {@code arrival} is not counted, or null. */
  public @Nullable RecordRejectedException check(long eventTime, long arrival) {
    if (arrival == RawRecord.UNKNOWN_ARRIVAL) {
      return null;
    }
    long hour = Math.floorDiv(arrival, HOUR) * HOUR;
    if (eventTime >= hour + HOUR + maxClockSkewMs) {
      return new RecordRejectedException(DeadLetterReason.CLOCK_SKEW, "event_time "
          + Instant.ofEpochMilli(eventTime) + " is after its arrival hour " + HOUR_FORMAT.format(
              Instant.ofEpochMilli(hour)) + " ends by more than --maxClockSkew="
          + Duration.millis(maxClockSkewMs));
    }
    if (eventTime < hour - latePartitions * HOUR) {
      return new RecordRejectedException(DeadLetterReason.TOO_LATE, "event_time "
          + Instant.ofEpochMilli(eventTime) + " arrived in hour " + HOUR_FORMAT.format(
              Instant.ofEpochMilli(hour)) + ", more than --latePartitions=" + latePartitions
          + " hour(s) after its own: no backfill reads it with its minute");
    }
    return null;
  }
}
