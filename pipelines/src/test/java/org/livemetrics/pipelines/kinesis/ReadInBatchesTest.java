package org.livemetrics.pipelines.kinesis;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.flink.translation.wrappers.streaming.io.source.FlinkSourceSplit;
import org.apache.beam.sdk.io.CountingSource;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.Test;

/**
 * The batching reader of {@link ReadInBatches} over Beam's counting source (an unbounded source
 * whose records are 0, 1, 2, … and here stamped 1000 × index ms): batches of at most {@link
 * ReadInBatches#MAX_BATCH}, every record once and in order with its own timestamp, and a reader
 * resumed from a checkpoint mark taken between two batches goes on right after the last record
 * handed out: nothing lost, nothing twice.
 */
public class ReadInBatchesTest {
  private static final SerializableFunction<Long, Instant> STAMP = i -> new Instant(1000 * i);

  private final PipelineOptions options = PipelineOptionsFactory.create();

  @SuppressWarnings("unchecked")
  private static <C extends UnboundedSource.CheckpointMark> ReadInBatches.BatchingSource<Long, C>
      batching() {
    // A frozen clock: batches end by size or when the source has nothing ready, never by time,
    // however slow the machine running the test.
    return new ReadInBatches.BatchingSource<>(
        (UnboundedSource<Long, C>) CountingSource.unboundedWithTimestampFn(STAMP), () -> 0L);
  }

  @SuppressWarnings("unchecked")
  private static ReadInBatches.Position<UnboundedSource.CheckpointMark> mark(
      UnboundedSource.UnboundedReader<?> reader) {
    return (ReadInBatches.Position<UnboundedSource.CheckpointMark>) reader.getCheckpointMark();
  }

  @Test
  public void batchesHoldEveryRecordOnceInOrderWithItsTimestamp() throws Exception {
    ReadInBatches.BatchingSource<Long, UnboundedSource.CheckpointMark> source = batching();
    UnboundedSource.UnboundedReader<List<TimestampedValue<Long>>> reader =
        source.createReader(options, null);
    List<Long> read = new ArrayList<>();
    assertTrue(reader.start());
    for (int b = 0; b < 3; b++) {
      if (b > 0) {
        assertTrue(reader.advance());
      }
      List<TimestampedValue<Long>> batch = reader.getCurrent();
      // The counting source always has its next record ready: full batches.
      assertEquals(ReadInBatches.MAX_BATCH, batch.size());
      // The batch's timestamp is its first (earliest) record's.
      assertEquals(new Instant(1000L * b * ReadInBatches.MAX_BATCH), reader.getCurrentTimestamp());
      for (TimestampedValue<Long> r : batch) {
        assertEquals(new Instant(1000 * r.getValue()), r.getTimestamp());
        read.add(r.getValue());
      }
    }
    for (int i = 0; i < read.size(); i++) {
      assertEquals(i, (long) read.get(i));
    }
    assertEquals(3000, read.size());
    reader.close();
  }

  @Test
  public void aBatchEndsOnceItHasFilledForItsTimeEvenIfRecordsKeepComing() throws Exception {
    // Kinesis' reader waits for the next record in advance(): here every record takes 30 ms to
    // come, so a batch holds what came within MAX_BATCH_NANOS (the first record, then 3 more),
    // not MAX_BATCH records, and the next batch goes on with the next record.
    long[] now = {0};
    ReadInBatches.BatchingSource<Long, UnboundedSource.CheckpointMark> source =
        new ReadInBatches.BatchingSource<>(CountingSource.unboundedWithTimestampFn(STAMP),
            () -> now[0] += 30_000_000L);
    UnboundedSource.UnboundedReader<List<TimestampedValue<Long>>> reader =
        source.createReader(options, null);
    List<Long> read = new ArrayList<>();
    assertTrue(reader.start());
    long perBatch = (ReadInBatches.MAX_BATCH_NANOS + 29_999_999L) / 30_000_000L;
    for (int b = 0; b < 3; b++) {
      if (b > 0) {
        assertTrue(reader.advance());
      }
      assertEquals(perBatch, reader.getCurrent().size());
      reader.getCurrent().forEach(r -> read.add(r.getValue()));
    }
    for (int i = 0; i < read.size(); i++) {
      assertEquals(i, (long) read.get(i));
    }
    reader.close();
  }

  @Test
  public void aSourceSavedBeforeBatchesWereTimedReadsOnWithTheSystemClock() throws Exception {
    // Flink's checkpoints hold the source Java-serialized: one saved by the build before the
    // clock field has none (Java leaves the missing field null), as simulated here.
    ReadInBatches.BatchingSource<Long, UnboundedSource.CheckpointMark> old = batching();
    java.lang.reflect.Field clock = ReadInBatches.BatchingSource.class.getDeclaredField("clock");
    clock.setAccessible(true);
    clock.set(old, null);
    ReadInBatches.BatchingSource<Long, UnboundedSource.CheckpointMark> restored =
        org.apache.beam.sdk.util.SerializableUtils.clone(old);
    assertNotNull(clock.get(restored));
    UnboundedSource.UnboundedReader<List<TimestampedValue<Long>>> reader =
        restored.createReader(options, null);
    assertTrue(reader.start());
    assertEquals(0L, (long) reader.getCurrent().get(0).getValue());
    reader.close();
  }

  @Test
  public void aReaderResumedFromACheckpointGoesOnAfterTheLastBatch() throws Exception {
    ReadInBatches.BatchingSource<Long, UnboundedSource.CheckpointMark> source = batching();
    UnboundedSource.UnboundedReader<List<TimestampedValue<Long>>> first =
        source.createReader(options, null);
    assertTrue(first.start());
    assertTrue(first.advance());
    // Two batches handed out (0..1999); the checkpoint is taken between batches, as Flink does,
    // and goes through its coder as into a real checkpoint.
    ReadInBatches.Position<UnboundedSource.CheckpointMark> mark = mark(first);
    ReadInBatches.Position<UnboundedSource.CheckpointMark> restored = CoderUtils.clone(source.getCheckpointMarkCoder(), mark);
    first.close();

    UnboundedSource.UnboundedReader<List<TimestampedValue<Long>>> resumed =
        source.createReader(options, restored);
    assertTrue(resumed.start());
    List<TimestampedValue<Long>> batch = resumed.getCurrent();
    assertEquals(2000L, (long) batch.get(0).getValue());
    assertEquals(2999L, (long) batch.get(batch.size() - 1).getValue());
    resumed.close();
  }

  @Test
  public void aReaderNotYetStartedHasAMarkOfWhereItWasCreated() throws Exception {
    // Flink takes the marks of readers it has not started yet (Kinesis' reader has none then), and
    // Beam's split refuses encoded state without a mark: that failed the checkpoint, and the job.
    ReadInBatches.BatchingSource<Long, UnboundedSource.CheckpointMark> source = batching();
    ReadInBatches.Position<UnboundedSource.CheckpointMark> atStart =
        mark(source.createReader(options, null));
    assertNotNull(atStart);
    assertNull("the source's initial position", atStart.inner);
    new FlinkSourceSplit<>(0, source,
        CoderUtils.encodeToByteArray(source.getCheckpointMarkCoder(), atStart), atStart);
    UnboundedSource.UnboundedReader<List<TimestampedValue<Long>>> fromStart =
        source.createReader(options, CoderUtils.clone(source.getCheckpointMarkCoder(), atStart));
    assertTrue(fromStart.start());
    assertEquals(0L, (long) fromStart.getCurrent().get(0).getValue());

    // Created at a mark, not started: that mark, through the coder.
    assertTrue(fromStart.advance());
    ReadInBatches.Position<UnboundedSource.CheckpointMark> after = mark(fromStart);
    ReadInBatches.Position<UnboundedSource.CheckpointMark> notStarted = mark(source.createReader(
        options, CoderUtils.clone(source.getCheckpointMarkCoder(), after)));
    UnboundedSource.UnboundedReader<List<TimestampedValue<Long>>> resumed = source.createReader(
        options, CoderUtils.clone(source.getCheckpointMarkCoder(), notStarted));
    assertTrue(resumed.start());
    assertEquals(2L * ReadInBatches.MAX_BATCH, (long) resumed.getCurrent().get(0).getValue());
  }

  @Test
  public void theSourceOfAReadTransformIsFoundAndReadInBatches() throws Exception {
    UnboundedSource<Long, ?> found = ReadInBatches.sourceOf(
        GenerateSequence.from(0).withTimestampFn(STAMP), options);
    UnboundedSource.UnboundedReader<List<TimestampedValue<Long>>> reader =
        new ReadInBatches.BatchingSource<Long, UnboundedSource.CheckpointMark>(found)
            .createReader(options, null);
    assertTrue(reader.start());
    assertEquals(TimestampedValue.of(0L, new Instant(0)), reader.getCurrent().get(0));
    assertEquals(TimestampedValue.of(1L, new Instant(1000)), reader.getCurrent().get(1));
    reader.close();
  }

  @Test
  public void aTransformWithoutAnUnboundedReadIsRefused() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ReadInBatches.sourceOf(GenerateSequence.from(0).to(10), options));
    assertTrue(e.getMessage(), e.getMessage().contains("reads 0 unbounded sources"));
  }
}
