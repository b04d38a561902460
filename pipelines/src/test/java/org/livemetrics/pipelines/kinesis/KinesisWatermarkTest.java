package org.livemetrics.pipelines.kinesis;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisRecord;
import org.apache.beam.sdk.io.aws2.kinesis.WatermarkParameters;
import org.apache.beam.sdk.io.aws2.kinesis.WatermarkPolicy;
import org.apache.beam.sdk.io.aws2.kinesis.WatermarkPolicyFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Test;

/** The event-time watermark of the Kinesis source: its timestamp function and Beam's policy around it. */
public class KinesisWatermarkTest {
  private static final long T = 1_795_323_600_000L; // 2026-11-22T05:00:00Z

  private static String event(long time) {
    return "{\"metric_type\":\"PLAY\",\"event_time\":" + time + ",\"session_id\":\"s\"}";
  }

  private static long earliest(String payload) {
    byte[] b = payload.getBytes(StandardCharsets.UTF_8);
    return PlayerRecordScanner.earliestEventTime(b, 0, b.length);
  }

  @Test
  public void earliestEventTimeOfEveryPayloadShape() {
    assertEquals(T, earliest(event(T)));
    // NDJSON and concatenated objects: the earliest wherever it is.
    assertEquals(T - 5_000, earliest(event(T) + "\n" + event(T - 5_000) + "\n" + event(T + 1)));
    assertEquals(T - 5_000, earliest(event(T) + event(T - 5_000)));
    // A JSON array record, and arrays on lines of their own.
    assertEquals(T - 7_000, earliest("[" + event(T) + "," + event(T - 7_000) + "]"));
    assertEquals(T - 9_000, earliest("[" + event(T) + "]\n[" + event(T - 9_000) + "]"));
    // Numbers as strings, as some players send them.
    assertEquals(T - 1, earliest("{\"event_time\":\"" + (T - 1) + "\"}"));
  }

  @Test
  public void garbageAndImplausibleTimesDoNotCount() {
    assertEquals(Long.MAX_VALUE, earliest("not json at all"));
    assertEquals(Long.MAX_VALUE, earliest(""));
    assertEquals(Long.MAX_VALUE, earliest("{\"event_time\":\"yesterday\"}"));
    assertEquals(Long.MAX_VALUE, earliest("{\"event_time\":" + T / 1000 + "}")); // seconds
    assertEquals(Long.MAX_VALUE, earliest("{\"event_time\":1.5}"));
    assertEquals(Long.MAX_VALUE, earliest("{\"nested\":{\"event_time\":" + T + "}}"));
    assertEquals(Long.MAX_VALUE, earliest("{\"event_time\":" + T)); // cut short
    // A broken line costs that line only: the events around it still count.
    assertEquals(T - 3_000,
        earliest(event(T) + "\n{\"event_time\":" + (T - 99_000) + ",\"x\":\n" + event(T - 3_000)));
    assertEquals(T, earliest("garbage\n" + event(T) + "\n[1,2"));
  }

  private static KinesisRecord record(String data, long arrival) {
    return new KinesisRecord(ByteBuffer.wrap(data.getBytes(StandardCharsets.UTF_8)), "1", 0, "k",
        new Instant(arrival), Instant.now(), "stream", "shardId-000000000000");
  }

  @Test
  public void timestampIsTheEarliestEventTimeLessTheDelayCappedAtArrival() {
    EventTimeWatermark.Timestamp fn = new EventTimeWatermark.Timestamp(Duration.millis(2_000), RecordEventTimes.PLAYER);
    long arrival = T + 60_000;
    assertEquals(new Instant(T - 2_000), fn.apply(record(event(T) + "\n" + event(T + 5_000), arrival)));
    // A player clock running ahead cannot pull the watermark past the arrival time.
    assertEquals(new Instant(arrival - 2_000), fn.apply(record(event(arrival + 3_600_000), arrival)));
    // No readable event_time: no evidence, the watermark does not move (a broken record in a
    // replay of older events must not throw it forward to its arrival time).
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, fn.apply(record("not json", arrival)));
  }

  @Test
  public void theShardWatermarkIsTheLatestTimestampSeenAndNeverGoesBack() {
    WatermarkPolicy policy =
        EventTimeWatermark.policy(Duration.standardMinutes(5), Duration.ZERO).createWatermarkPolicy();
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, policy.getWatermark());
    long arrival = System.currentTimeMillis();
    policy.update(record(event(T + 10_000), arrival));
    assertEquals(new Instant(T + 10_000), policy.getWatermark());
    // An older event after a newer one is behind the watermark: late, unless --maxWatermarkDelay covers it.
    policy.update(record(event(T), arrival));
    assertEquals(new Instant(T + 10_000), policy.getWatermark());
  }

  @Test
  public void anIdleShardFollowsTheClockLessTheThreshold() throws Exception {
    Duration idle = Duration.millis(300);
    WatermarkPolicy policy = EventTimeWatermark.policy(idle, Duration.ZERO).createWatermarkPolicy();
    policy.update(record(event(T), System.currentTimeMillis()));
    assertEquals(new Instant(T), policy.getWatermark());

    Thread.sleep(500);
    long before = System.currentTimeMillis();
    Instant watermark = policy.getWatermark();
    long after = System.currentTimeMillis();
    assertThat(watermark.getMillis(),
        allOf(greaterThanOrEqualTo(before - 300), lessThanOrEqualTo(after - 300)));

    // Records again: the watermark keeps what the clock gave it, then follows event time again.
    policy.update(record(event(T + 1_000), System.currentTimeMillis()));
    assertThat(policy.getWatermark().getMillis(), greaterThanOrEqualTo(before - 300));
  }

  @Test
  public void eachShardPolicyStartsItsIdleClockWhenItsReaderStarts() throws Exception {
    Duration idle = Duration.millis(200);
    WatermarkPolicyFactory ours = EventTimeWatermark.policy(idle, Duration.ZERO);
    // Beam's own factory keeps the parameters, with their "last update", from construction.
    WatermarkPolicyFactory beams = WatermarkPolicyFactory.withCustomWatermarkPolicy(
        WatermarkParameters.create().withWatermarkIdleDurationThreshold(idle));

    Thread.sleep(400); // the job runs a while; then a reader (re)starts
    long started = System.currentTimeMillis();
    assertEquals("a fresh reader waits for its shards", BoundedWindow.TIMESTAMP_MIN_VALUE,
        ours.createWatermarkPolicy().getWatermark());
    assertThat("Beam's jumps to now at once, before reading anything",
        beams.createWatermarkPolicy().getWatermark().getMillis(),
        greaterThanOrEqualTo(started - 200));
  }
}
