package org.livemetrics.pipelines.kinesis;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.livemetrics.transforms.parse.RawRecord;

/**
 * The re-read filter as a restored job on Beam 2.62's FlinkRunner sees it (apache/beam#31313):
 * each shard read twice after the restore, once from its saved position and once from the
 * start, the two readings interleaved. Every record must come out once.
 */
public class DropRereadRecordsTest {
  /** A real Kinesis sequence number: 56 digits, beyond a long. */
  private static final BigInteger BASE =
      new BigInteger("49656979443372385427305063519870452612364010925405732866");

  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static String source(String shard, int n) {
    return "kinesis://player/" + shard + "/" + BASE.add(BigInteger.valueOf(n));
  }

  private static TestStream.Builder<RawRecord> add(TestStream.Builder<RawRecord> b, String... sources) {
    List<org.apache.beam.sdk.values.TimestampedValue<RawRecord>> records = new ArrayList<>();
    for (String s : sources) {
      records.add(org.apache.beam.sdk.values.TimestampedValue.of(
          RawRecord.of(s, "{}"), new Instant(0)));
    }
    @SuppressWarnings("unchecked")
    org.apache.beam.sdk.values.TimestampedValue<RawRecord>[] array =
        records.toArray(new org.apache.beam.sdk.values.TimestampedValue[0]);
    return b.addElements(array[0], java.util.Arrays.copyOfRange(array, 1, array.length));
  }

  @Test
  public void eachRecordOfTwoInterleavedReadingsComesOutOnce() {
    String a = "shardId-000000000000";
    String b = "shardId-000000000001";
    TestStream.Builder<RawRecord> s = TestStream.create(RawRecord.Coder.of());
    // Before the checkpoint: a1..a4, b1, b2. (One step per record where a step holds more than
    // one new record of a shard: a runner keeps a reader's order, a step's elements have none.)
    for (int i = 1; i <= 4; i++) {
      s = add(s, source(a, i), source(b, Math.min(i, 2)));
    }
    // After the restore: the saved position (a5.., b3..) and the start (a1.., b1..), interleaved.
    s = add(s, source(a, 5), source(a, 1), source(a, 2));            // a5 new; a1, a2 again
    s = add(s, source(b, 1), source(a, 6), source(b, 3));            // b1 again; a6, b3 new
    s = add(s, source(a, 3), source(a, 4), source(a, 5), source(a, 6), source(a, 7)); // a7 new
    s = add(s, source(b, 2), source(b, 3), source(b, 4), source(a, 8)); // b4, a8 new
    s = add(s, source(b, 4), source(a, 7), source(a, 8), source(b, 5)); // b5 new
    // A KPL aggregate: subsequence numbers within one sequence number, the second read again.
    s = add(s, source(a, 9));
    s = add(s, source(a, 9) + "/1");
    s = add(s, source(a, 9) + "/2");
    s = add(s, source(a, 9) + "/1", source(a, 9) + "/2", source(a, 10));
    // Not a Kinesis position: passed as it is, each time.
    s = add(s, "archive://x", "archive://x");

    PCollection<String> out = p.apply(s.advanceWatermarkToInfinity())
        .apply(new DropRereadRecords())
        .apply(MapElements.into(TypeDescriptors.strings()).via(RawRecord::source));

    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      expected.add(source(a, i));
    }
    for (int i = 1; i <= 5; i++) {
      expected.add(source(b, i));
    }
    expected.add(source(a, 9) + "/1");
    expected.add(source(a, 9) + "/2");
    expected.add("archive://x");
    expected.add("archive://x");
    PAssert.that(out).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  @Test
  public void positionsAreReadFromTheSource() {
    DropRereadRecords.Position p1 = DropRereadRecords.Position.of(source("shardId-1", 3) + "/2");
    assertEquals("player/shardId-1", p1.shard());
    assertEquals(BASE.add(BigInteger.valueOf(3)), p1.sequence());
    assertEquals(2, p1.subSequence());
    assertEquals(0, DropRereadRecords.Position.of(source("shardId-1", 3)).subSequence());
    assertNull(DropRereadRecords.Position.of("kinesis://player/shardId-1/not-a-number"));
    assertNull(DropRereadRecords.Position.of("kinesis://player/shardId-1"));
    assertNull(DropRereadRecords.Position.of("s3://bucket/2026/11/22/05/object.gz"));
  }
}
