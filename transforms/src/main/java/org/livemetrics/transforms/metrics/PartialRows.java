package org.livemetrics.transforms.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;

/**
 * The partial rows one bundle has built, per window and key: the in-mapper combining the per-minute
 * transforms share. Each row keeps the earliest timestamp merged into it, so a row emitted at the
 * end of the bundle is never later than its inputs (the watermark holds it correctly). Memory is
 * bounded by the caller: {@link #isFull} past a number of held entries (as the accumulator type
 * counts them: the row itself included), then {@link #emit} the window's rows early; merging them later is exact either way.
 *
 * @param <K> the row key
 * @param <A> the mutable partial row
 */
public final class PartialRows<K, A> {
  private final Supplier<A> create;
  private final ToIntFunction<A> size;
  private final Map<BoundedWindow, Map<K, Partial<A>>> byWindow = new HashMap<>();
  private int entries;

  private static final class Partial<A> {
    final A row;
    Instant timestamp;

    Partial(A row, Instant timestamp) {
      this.row = row;
      this.timestamp = timestamp;
    }
  }

  public PartialRows(Supplier<A> create, ToIntFunction<A> size) {
    this.create = create;
    this.size = size;
  }

  /** The window's partial row for {@code key}, created empty at first use. */
  public A row(BoundedWindow window, K key, Instant timestamp) {
    Map<K, Partial<A>> rows = byWindow.computeIfAbsent(window, w -> new HashMap<>());
    Partial<A> p = rows.get(key);
    if (p == null) {
      p = new Partial<>(create.get(), timestamp);
      rows.put(key, p);
      entries++;
    } else if (timestamp.isBefore(p.timestamp)) {
      p.timestamp = timestamp;
    }
    return p.row;
  }

  /** Counts entries a row grew by (set members, sketch values) beyond the row itself. */
  public void grew(int n) {
    entries += n;
  }

  public boolean isFull(int maxEntries) {
    return entries > maxEntries;
  }

  /**
   * Emits the window's rows at {@code timestamp} (inside processElement, the only timestamp a DoFn
   * may use there) and forgets them; returns how many.
   */
  public int emit(BoundedWindow window, Instant timestamp, DoFn.OutputReceiver<KV<K, A>> out) {
    Map<K, Partial<A>> rows = byWindow.remove(window);
    if (rows == null) {
      return 0;
    }
    for (Map.Entry<K, Partial<A>> r : rows.entrySet()) {
      out.outputWithTimestamp(KV.of(r.getKey(), r.getValue().row), timestamp);
      entries -= size.applyAsInt(r.getValue().row);
    }
    return rows.size();
  }

  /** Where {@link #emitAll} sends the rows (a FinishBundleContext's output, for one). */
  public interface Emitter<K, A> {
    void output(KV<K, A> row, Instant timestamp, BoundedWindow window);
  }

  /** Emits every row at its earliest timestamp, in its window; returns how many. */
  public int emitAll(Emitter<K, A> c) {
    int n = 0;
    for (Map.Entry<BoundedWindow, Map<K, Partial<A>>> w : byWindow.entrySet()) {
      for (Map.Entry<K, Partial<A>> r : w.getValue().entrySet()) {
        c.output(KV.of(r.getKey(), r.getValue().row), r.getValue().timestamp, w.getKey());
      }
      n += w.getValue().size();
    }
    byWindow.clear();
    entries = 0;
    return n;
  }
}
