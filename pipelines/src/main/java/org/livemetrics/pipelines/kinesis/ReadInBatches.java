package org.livemetrics.pipelines.kinesis;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.DelegateCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Reads an unbounded source as Beam's {@code Read.from} does, but hands the runner a batch of the
 * records the source has ready (up to {@link #MAX_BATCH}) as one element, and splits it again in a
 * DoFn chained right behind: every record keeps its own timestamp, in the source's order.
 *
 * <p>Why: Beam 2.62's Flink runner updates the Flink metrics of a source after <em>every</em>
 * {@code advance()} of its reader (it rebuilds the step's metric results each time), which took a
 * third of the streaming engine's CPU in a profile (benchmarks/README.md, "Streaming benchmark history"). Per batch,
 * that cost is shared by up to {@link #MAX_BATCH} records.
 *
 * <p>Exactly-once is the source's own: a batch is taken from the source reader in one {@code
 * advance()}, and Flink takes the reader's checkpoint mark only between two of them, so the mark
 * always covers whole batches; the checkpoint mark and its coder are the source's. The watermark is
 * the source's after the batch, read by the runner after the batch has been emitted.
 *
 * <p>A batch ends when the source has no record ready, and at the latest {@link
 * #MAX_BATCH_NANOS} after it began: Kinesis' reader does not return from {@code advance()} at once
 * when it has nothing ready, it waits up to a second for the next record, so at a live pace (a
 * record every few milliseconds) a batch kept filling until it was full: two seconds at 500
 * records a second a shard, added to every record's freshness (a trace of the freshness benchmark
 * put it at 1.0 s on average and 2.1 s at p95 between Kinesis and the job's first step).
 */
public final class ReadInBatches<T> extends PTransform<PBegin, PCollection<T>> {
  /** Records per batch at most: enough to make the per-advance cost negligible. */
  static final int MAX_BATCH = 1_000;

  /**
   * How long a batch may keep filling: what the batching adds to a record's freshness at most
   * (when records keep coming), and at a live pace still tens of records a batch.
   */
  static final long MAX_BATCH_NANOS = 100_000_000L;

  /** The clock a batch is timed by: System.nanoTime, frozen or stepped in tests. */
  interface NanoClock extends Serializable {
    long nanos();
  }

  private final UnboundedSource<T, ?> source;

  private ReadInBatches(UnboundedSource<T, ?> source) {
    if (source.requiresDeduping()) {
      // Records would need ids of their own downstream; no source of this project needs it.
      throw new IllegalArgumentException("ReadInBatches cannot read a source that requires deduping");
    }
    this.source = source;
  }

  public static <T> ReadInBatches<T> from(UnboundedSource<T, ?> source) {
    return new ReadInBatches<>(source);
  }

  /**
   * The unbounded source a read transform (such as {@code KinesisIO.read()}) applies with {@code
   * Read.from}: found by expanding it in a scratch pipeline with the same options.
   */
  public static <T> UnboundedSource<T, ?> sourceOf(
      PTransform<PBegin, PCollection<T>> read, PipelineOptions options) {
    Pipeline scratch = Pipeline.create(options);
    scratch.apply(read);
    List<UnboundedSource<?, ?>> found = new ArrayList<>();
    scratch.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
        if (node.getTransform() instanceof Read.Unbounded<?> r) {
          found.add(r.getSource());
          return CompositeBehavior.DO_NOT_ENTER_TRANSFORM;
        }
        return CompositeBehavior.ENTER_TRANSFORM;
      }

      @Override
      public void visitPrimitiveTransform(TransformHierarchy.Node node) {
        if (node.getTransform() instanceof Read.Unbounded<?> r) {
          found.add(r.getSource());
        }
      }
    });
    if (found.size() != 1) {
      throw new IllegalStateException(read.getName() + " reads " + found.size()
          + " unbounded sources, not one");
    }
    @SuppressWarnings("unchecked")
    UnboundedSource<T, ?> s = (UnboundedSource<T, ?>) found.get(0);
    return s;
  }

  @Override
  public PCollection<T> expand(PBegin begin) {
    return begin
        .apply("ReadBatches", Read.from(new BatchingSource<>(source)))
        .apply("Unbatch", ParDo.of(new UnbatchFn<T>()))
        .setCoder(source.getOutputCoder());
  }

  /** Each record of a batch with its own timestamp (never earlier than the batch's). */
  static final class UnbatchFn<T> extends DoFn<List<TimestampedValue<T>>, T> {
    @ProcessElement
    public void process(@Element List<TimestampedValue<T>> batch, OutputReceiver<T> out) {
      for (TimestampedValue<T> r : batch) {
        out.outputWithTimestamp(r.getValue(), r.getTimestamp());
      }
    }
  }

  /**
   * Where a batching reader is: its inner reader's checkpoint mark, or none for the inner source's
   * initial position (a reader created without a mark that has not started yet: Kinesis' reader
   * has no mark before it starts). Never a null mark itself: Beam's Flink source refuses encoded
   * state without a mark, failing the checkpoint, and with it the job.
   */
  static final class Position<C extends UnboundedSource.CheckpointMark>
      implements UnboundedSource.CheckpointMark {
    final @Nullable C inner;

    Position(@Nullable C inner) {
      this.inner = inner;
    }

    @Override
    public void finalizeCheckpoint() throws IOException {
      if (inner != null) {
        inner.finalizeCheckpoint();
      }
    }

    /** The inner mark, nullable, as the state is encoded: one byte more than the inner coder's. */
    static <C extends UnboundedSource.CheckpointMark> Coder<Position<C>> coder(Coder<C> inner) {
      return DelegateCoder.of(NullableCoder.of(inner),
          (Position<C> p) -> p.inner, (@Nullable C c) -> new Position<>(c));
    }
  }

  /** The source, its records in batches; its checkpoint marks and splits, wrapped. */
  static final class BatchingSource<T, C extends UnboundedSource.CheckpointMark>
      extends UnboundedSource<List<TimestampedValue<T>>, Position<C>> {
    private static final long serialVersionUID = 1L;
    private final UnboundedSource<T, C> inner;
    private final NanoClock clock;

    BatchingSource(UnboundedSource<T, ?> inner) {
      this(inner, System::nanoTime);
    }

    @SuppressWarnings("unchecked")
    BatchingSource(UnboundedSource<T, ?> inner, NanoClock clock) {
      this.inner = (UnboundedSource<T, C>) inner;
      this.clock = clock;
    }

    /**
     * Flink keeps the source Java-serialized in its checkpoints and savepoints: one written before
     * batches were timed has no clock, and reads on with the system's.
     */
    private Object readResolve() {
      return clock != null ? this : new BatchingSource<>(inner, System::nanoTime);
    }

    @Override
    public List<BatchingSource<T, C>> split(int desiredNumSplits, PipelineOptions options)
        throws Exception {
      List<BatchingSource<T, C>> splits = new ArrayList<>();
      for (UnboundedSource<T, C> s : inner.split(desiredNumSplits, options)) {
        splits.add(new BatchingSource<>(s, clock));
      }
      return splits;
    }

    @Override
    public UnboundedReader<List<TimestampedValue<T>>> createReader(
        PipelineOptions options, @Nullable Position<C> position) throws IOException {
      C mark = position == null ? null : position.inner;
      return new BatchingReader<>(this, inner.createReader(options, mark), mark);
    }

    @Override
    public Coder<Position<C>> getCheckpointMarkCoder() {
      return Position.coder(inner.getCheckpointMarkCoder());
    }

    @Override
    public Coder<List<TimestampedValue<T>>> getOutputCoder() {
      return ListCoder.of(TimestampedValue.TimestampedValueCoder.of(inner.getOutputCoder()));
    }

    @Override
    public void validate() {
      inner.validate();
    }
  }

  static final class BatchingReader<T, C extends UnboundedSource.CheckpointMark>
      extends UnboundedSource.UnboundedReader<List<TimestampedValue<T>>> {
    private final BatchingSource<T, C> source;
    private final UnboundedSource.UnboundedReader<T> inner;
    /** The position the reader was created at (null: the source's initial position). */
    private final @Nullable C createdAt;
    private boolean started;
    private @Nullable List<TimestampedValue<T>> current;
    private Instant currentTimestamp = BoundedWindow.TIMESTAMP_MIN_VALUE;

    BatchingReader(BatchingSource<T, C> source, UnboundedSource.UnboundedReader<T> inner,
        @Nullable C createdAt) {
      this.source = source;
      this.inner = inner;
      this.createdAt = createdAt;
    }

    @Override
    public boolean start() throws IOException {
      started = true;
      return inner.start() ? fill() : none();
    }

    @Override
    public boolean advance() throws IOException {
      return inner.advance() ? fill() : none();
    }

    /**
     * The inner reader is at a record: it and those after it that are ready, up to MAX_BATCH and
     * for MAX_BATCH_NANOS at most.
     */
    private boolean fill() throws IOException {
      long began = source.clock.nanos();
      List<TimestampedValue<T>> batch = new ArrayList<>();
      Instant min = null;
      do {
        Instant t = inner.getCurrentTimestamp();
        batch.add(TimestampedValue.of(inner.getCurrent(), t));
        min = min == null || t.isBefore(min) ? t : min;
      } while (batch.size() < MAX_BATCH && source.clock.nanos() - began < MAX_BATCH_NANOS
          && inner.advance());
      current = batch;
      currentTimestamp = min;
      return true;
    }

    private boolean none() {
      current = null;
      return false;
    }

    @Override
    public List<TimestampedValue<T>> getCurrent() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }

    /** The earliest of the batch: each record gets its own again after the batch is split. */
    @Override
    public Instant getCurrentTimestamp() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return currentTimestamp;
    }

    @Override
    public Instant getWatermark() {
      return inner.getWatermark();
    }

    /**
     * The inner reader's mark; before {@link #start}, the position the reader was created at, as it
     * has read nothing yet. Flink's source reader takes the marks of every reader it holds, also of
     * one whose turn to start has not come (it starts them one after another, and a batch makes
     * that take longer), and Kinesis' reader has no mark before it starts.
     */
    @Override
    @SuppressWarnings("unchecked")
    public Position<C> getCheckpointMark() {
      return new Position<>(started ? (C) inner.getCheckpointMark() : createdAt);
    }

    @Override
    public long getSplitBacklogBytes() {
      return inner.getSplitBacklogBytes();
    }

    @Override
    public long getTotalBacklogBytes() {
      return inner.getTotalBacklogBytes();
    }

    @Override
    public UnboundedSource<List<TimestampedValue<T>>, ?> getCurrentSource() {
      return source;
    }

    @Override
    public void close() throws IOException {
      inner.close();
    }
  }
}
