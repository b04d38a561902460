package org.livemetrics.pipelines.kinesis;

import java.math.BigInteger;
import org.apache.beam.sdk.coders.BigIntegerCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.livemetrics.transforms.parse.RawRecord;

/**
 * Drops the Kinesis records read a second time, keeping the first copy of each.
 *
 * <p>Beam 2.62's FlinkRunner gives a job restored from a checkpoint or savepoint every shard
 * twice: once at its saved position and once at the initial position (apache/beam#31313, fixed in
 * Beam 2.63), so records are read again, in an order interleaved with the first reading. Each
 * reading goes through a shard in sequence-number order, so a record is new exactly when its
 * (sequence number, subsequence number) is above the highest one seen from its shard so far: the
 * state is that one position per shard (a few dozen bytes), whatever the volume or how long the
 * re-reading takes. Remembering every record's id instead (Beam's {@code Deduplicate}) kept about
 * 200 bytes per record for a whole window, which filled the checkpoints: 30,000 records were over
 * the 5 MB the embedded engine's memory-backed checkpoints allowed.
 *
 * <p>The input are records of {@link ReadPlayerRecordsFromKinesis}, whose source is {@code
 * kinesis://<stream>/<shardId>/<sequenceNumber>[/<subSequenceNumber>]}; any other source passes.
 */
final class DropRereadRecords extends PTransform<PCollection<RawRecord>, PCollection<RawRecord>> {
  @Override
  public PCollection<RawRecord> expand(PCollection<RawRecord> records) {
    return records
        .apply("ByShard", ParDo.of(new ByShardFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), RawRecord.Coder.of()))
        .apply("FirstCopies", ParDo.of(new FirstCopyFn()))
        .setCoder(RawRecord.Coder.of());
  }

  /** A record's place in its shard, read from its source. */
  record Position(String shard, BigInteger sequence, long subSequence) {
    /** The position in a {@code kinesis://stream/shard/sequence[/sub]} source, or null. */
    static Position of(String source) {
      if (!source.startsWith("kinesis://")) {
        return null;
      }
      String[] parts = source.substring("kinesis://".length()).split("/");
      if (parts.length != 3 && parts.length != 4) {
        return null;
      }
      try {
        return new Position(parts[0] + "/" + parts[1], new BigInteger(parts[2]),
            parts.length == 4 ? Long.parseLong(parts[3]) : 0);
      } catch (NumberFormatException e) {
        return null;
      }
    }

    boolean isAfter(BigInteger otherSequence, long otherSub) {
      int c = sequence.compareTo(otherSequence);
      return c > 0 || (c == 0 && subSequence > otherSub);
    }
  }

  static final class ByShardFn extends DoFn<RawRecord, KV<String, RawRecord>> {
    @ProcessElement
    public void process(@Element RawRecord r, OutputReceiver<KV<String, RawRecord>> out) {
      Position p = Position.of(r.source());
      // Not a Kinesis position (never from our reader): its own key, passed through.
      out.output(KV.of(p == null ? r.source() : p.shard(), r));
    }
  }

  /** Per shard: the highest position seen; a record at or below it is a second copy. */
  static final class FirstCopyFn extends DoFn<KV<String, RawRecord>, RawRecord> {
    @StateId("sequence")
    private final StateSpec<ValueState<BigInteger>> sequenceSpec =
        StateSpecs.value(BigIntegerCoder.of());

    @StateId("subSequence")
    private final StateSpec<ValueState<Long>> subSequenceSpec = StateSpecs.value(VarLongCoder.of());

    @ProcessElement
    public void process(@Element KV<String, RawRecord> e,
        @StateId("sequence") ValueState<BigInteger> sequence,
        @StateId("subSequence") ValueState<Long> subSequence, OutputReceiver<RawRecord> out) {
      Position p = Position.of(e.getValue().source());
      if (p == null) {
        out.output(e.getValue());
        return;
      }
      BigInteger highest = sequence.read();
      Long highestSub = subSequence.read();
      if (highest == null || p.isAfter(highest, highestSub == null ? 0 : highestSub)) {
        sequence.write(p.sequence());
        subSequence.write(p.subSequence());
        out.output(e.getValue());
      }
    }
  }
}
