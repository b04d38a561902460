package org.livemetrics.pipelines.kinesis;

import java.nio.ByteBuffer;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisRecord;
import org.apache.beam.sdk.io.aws2.kinesis.WatermarkParameters;
import org.apache.beam.sdk.io.aws2.kinesis.WatermarkPolicy;
import org.apache.beam.sdk.io.aws2.kinesis.WatermarkPolicyFactory;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The Kinesis source's watermark: per shard, it follows the event time of the player events read
 * from it, and stops waiting for a shard that has gone quiet.
 *
 * <p>It is Beam's {@code CustomWatermarkPolicy} (one per shard; a reader's watermark is the
 * minimum over its shards) fed with {@link #timestamp}: the earliest {@code event_time} in the
 * record, less {@code maxDelay}, and never later than the record's arrival time; a record with no
 * readable event time does not move it. Per Beam 2.62's
 * source, that policy
 *
 * <ul>
 *   <li>keeps the <em>largest</em> timestamp seen on the shard as its watermark, which only moves
 *       forward: an event older than that is behind the watermark (late) unless {@code maxDelay}
 *       covers it;
 *   <li>once nothing has been read from the shard for {@code idleThreshold}, moves the watermark to
 *       <em>now</em> minus {@code idleThreshold} (the reader's clock) and keeps it following the
 *       clock until records come again, so an idle shard does not hold the other shards' windows
 *       back.
 * </ul>
 *
 * <p>The arrival-time cap keeps a player whose clock runs ahead from dragging the watermark into
 * the future, which would make every other player's events late.
 */
public final class EventTimeWatermark {
  private EventTimeWatermark() {}

  /** Per-shard event-time watermark policies for {@code KinesisIO.read().withCustomWatermarkPolicy}. */
  public static WatermarkPolicyFactory policy(Duration idleThreshold, Duration maxDelay) {
    return policy(idleThreshold, maxDelay, RecordEventTimes.PLAYER);
  }

  /** {@link #policy(Duration, Duration)} for records whose event time {@code times} reads. */
  public static WatermarkPolicyFactory policy(
      Duration idleThreshold, Duration maxDelay, RecordEventTimes times) {
    if (idleThreshold == null || !idleThreshold.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException(
          "--watermarkIdleThreshold must be positive (e.g. PT10S), was " + idleThreshold);
    }
    if (maxDelay == null || maxDelay.isShorterThan(Duration.ZERO)) {
      throw new IllegalArgumentException(
          "--maxWatermarkDelay must not be negative (e.g. PT2S), was " + maxDelay);
    }
    return new Factory(new Timestamp(maxDelay, times), idleThreshold);
  }

  /**
   * Creates each shard's policy when the shard's reader starts. Beam's {@code
   * withCustomWatermarkPolicy(parameters)} would reuse parameters made at pipeline construction,
   * whose "last record read" time is then: a reader started much later (a restart from a
   * checkpoint, a failover) would find every shard idle before reading anything and jump the
   * watermark to now, making the whole backlog late.
   */
  private static final class Factory implements WatermarkPolicyFactory {
    private static final long serialVersionUID = 1L;
    private final Timestamp timestamp;
    private final Duration idleThreshold;

    Factory(Timestamp timestamp, Duration idleThreshold) {
      this.timestamp = timestamp;
      this.idleThreshold = idleThreshold;
    }

    @Override
    public WatermarkPolicy createWatermarkPolicy() {
      return WatermarkPolicyFactory.withCustomWatermarkPolicy(
              WatermarkParameters.create()
                  .withTimestampFn(timestamp)
                  .withWatermarkIdleDurationThreshold(idleThreshold))
          .createWatermarkPolicy();
    }
  }

  /** A record's event time for the watermark. */
  static final class Timestamp implements SerializableFunction<KinesisRecord, Instant> {
    private static final long serialVersionUID = 1L;
    private final long maxDelayMillis;
    private final RecordEventTimes times;

    Timestamp(Duration maxDelay, RecordEventTimes times) {
      this.maxDelayMillis = maxDelay.getMillis();
      this.times = times;
    }

    @Override
    public Instant apply(KinesisRecord record) {
      long arrival = record.getApproximateArrivalTimestamp().getMillis();
      ByteBuffer data = record.getData();
      long earliest;
      if (data.hasArray()) {
        int from = data.arrayOffset() + data.position();
        earliest = times.earliest(data.array(), from, from + data.remaining());
      } else {
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        earliest = times.earliest(copy, 0, copy.length);
      }
      // No readable event_time (garbage, or a field the parser will reject): no evidence at all.
      // Its arrival time would be, for live data, but not for a backlog or a replay of older
      // events, whose watermark one broken record would then throw forward by hours.
      if (earliest == Long.MAX_VALUE) {
        return BoundedWindow.TIMESTAMP_MIN_VALUE;
      }
      return new Instant(Math.min(earliest, arrival) - maxDelayMillis);
    }
  }
}
