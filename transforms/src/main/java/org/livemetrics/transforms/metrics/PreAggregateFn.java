package org.livemetrics.transforms.metrics;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;
import org.livemetrics.schemas.PlayerEvent;

/** Player events to a family's partial rows, merged within the bundle ({@link Contributions}). */
public final class PreAggregateFn<K, A> extends DoFn<PlayerEvent, KV<K, A>> {
  private final Contributions<K, A> contributions;
  private transient PartialRows<K, A> rows;

  public PreAggregateFn(Contributions<K, A> contributions) {
    this.contributions = contributions;
  }

  @StartBundle
  public void startBundle() {
    rows = contributions.newRows();
  }

  @ProcessElement
  public void process(@Element PlayerEvent e, @Timestamp Instant timestamp, BoundedWindow window,
      OutputReceiver<KV<K, A>> out) {
    contributions.add(e, timestamp, window, rows);
    contributions.emitIfFull(rows, window, timestamp, out);
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) {
    contributions.emitAll(rows, c::output);
    rows = null;
  }
}
