package org.livemetrics.pipelines.io;

import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Batches an unbounded collection for the streaming file sinks: the global window, fired every
 * {@code interval} of processing time after the first element of a batch, discarding.
 *
 * <p>Why not the data's own windows: event-time windows would drop what arrives after their
 * lateness (a too-late event's dead letter is itself "late"), and accumulating panes would be
 * written again in every file. In the global window nothing is ever late, each batch is written
 * once, and a file appears at most {@code interval} after its first record.
 */
public final class FlushEvery<T> extends PTransform<PCollection<T>, PCollection<T>> {
  private final Duration interval;

  private FlushEvery(Duration interval) {
    this.interval = interval;
  }

  public static <T> FlushEvery<T> of(Duration interval) {
    if (!interval.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException("flush interval must be positive: " + interval);
    }
    return new FlushEvery<>(interval);
  }

  @Override
  public PCollection<T> expand(PCollection<T> input) {
    return input.apply(
        Window.<T>into(new GlobalWindows())
            .triggering(Repeatedly.forever(
                AfterProcessingTime.pastFirstElementInPane().plusDelayOf(interval)))
            .withAllowedLateness(Duration.ZERO)
            .discardingFiredPanes());
  }
}
