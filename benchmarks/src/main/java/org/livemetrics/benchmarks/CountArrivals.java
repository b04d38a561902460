package org.livemetrics.benchmarks;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.livemetrics.transforms.parse.RawRecord;

/**
 * Counts the records entering the pipeline, between the source and {@code
 * StreamingPipeline.attach}, into this JVM's statics (the embedded engine's tasks share the
 * benchmark's class loader): the benchmark's progress and its clock, read without waiting for
 * Flink's metric reports. The step is chained to the source and to parsing, so under Flink's
 * back-pressure it moves at the pace of the slowest step of the pipeline.
 */
final class CountArrivals extends DoFn<RawRecord, RawRecord> {
  private static final AtomicLong COUNT = new AtomicLong();
  private static final AtomicLong FIRST_NANOS = new AtomicLong();
  private static volatile long lastNanos;

  static PCollection<RawRecord> of(PCollection<RawRecord> records) {
    return records.apply("CountArrivals", ParDo.of(new CountArrivals())).setCoder(records.getCoder());
  }

  @ProcessElement
  public void process(@Element RawRecord r, OutputReceiver<RawRecord> out) {
    long now = System.nanoTime();
    FIRST_NANOS.compareAndSet(0, now);
    out.output(r);
    COUNT.incrementAndGet();
    lastNanos = now;
  }

  static long count() {
    return COUNT.get();
  }

  /** System.nanoTime() of the first record, 0 before it. */
  static long firstNanos() {
    return FIRST_NANOS.get();
  }

  /** System.nanoTime() of the latest record. */
  static long lastNanos() {
    return lastNanos;
  }
}
