package org.livemetrics.transforms.metrics;

import java.io.Serializable;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.transforms.parse.ParsePlayerEvents;

/**
 * How a metric family folds one player event into a bundle's partial rows: the first half of its
 * per-minute computation (in-mapper combining), the second being a {@code Combine.perKey} of the
 * partial rows. Written once per family and used both by {@link PreAggregateFn} (streaming: after
 * {@code ParsePlayerEvents}) and by the backfill's fused reader, which folds each event as it is
 * decoded so that no event crosses an operator boundary.
 *
 * @param <K> the row key (dimensions and minute)
 * @param <A> the mutable partial row
 */
public abstract class Contributions<K, A> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Which minutes an event marks as viewing (a summary also marks the ones it spans). */
  protected final ViewingRule rule;
  /** The minutes rows may fall in: the backfill's range, else all. */
  protected final MinuteRange range;
  private final int maxBufferedEntries;
  private final KvCoder<K, A> partialCoder;
  private final Counter partialsEmitted;

  /**
   * What every family's fold is given: the settings all families share (the viewing rule, the
   * bound on buffered entries, the range of minutes), the coder of its partial rows, and the name
   * of its counter of partial rows emitted (a measure of how well the in-mapper combining works).
   */
  protected Contributions(FoldSettings settings, KvCoder<K, A> partialCoder,
      String emittedCounter) {
    this.rule = settings.viewingRule();
    this.maxBufferedEntries = settings.maxBufferedEntries();
    this.range = settings.range();
    this.partialCoder = partialCoder;
    this.partialsEmitted = Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, emittedCounter);
  }

  /** The rows of one bundle, empty. */
  public abstract PartialRows<K, A> newRows();

  /** Folds {@code e} (of that timestamp and window) into {@code rows}. */
  public abstract void add(PlayerEvent e, Instant timestamp, BoundedWindow window, PartialRows<K, A> rows);

  /** Past this many buffered entries a bundle emits its rows early (exact either way). */
  public final int maxBufferedEntries() {
    return maxBufferedEntries;
  }

  /** The coder of the emitted partial rows. */
  public final KvCoder<K, A> partialCoder() {
    return partialCoder;
  }

  private void countEmitted(long rows) {
    partialsEmitted.inc(rows);
  }

  /**
   * Emits the window's rows early once {@code rows} holds more than {@link #maxBufferedEntries},
   * so memory stays bounded whatever the bundle (exact either way).
   */
  public final void emitIfFull(PartialRows<K, A> rows, BoundedWindow window, Instant timestamp,
      DoFn.OutputReceiver<KV<K, A>> out) {
    if (rows.isFull(maxBufferedEntries())) {
      countEmitted(rows.emit(window, timestamp, out));
    }
  }

  /** Emits every row at the end of the bundle. */
  public final void emitAll(PartialRows<K, A> rows, PartialRows.Emitter<K, A> out) {
    countEmitted(rows.emitAll(out));
  }

  /**
   * The partial rows merged per key by {@code fn}, windowed first by {@code windowing} if given.
   * Windowed (streaming), a {@code Combine.perKey}, which keeps one accumulator per key and
   * window in state. Unwindowed (batch), a {@code GroupByKey} and {@code Combine.groupedValues}
   * with the same function: the rows are already combined within each bundle, and on Flink's
   * batch translation a lifted combiner only sorts and serializes them once more (JFR: its
   * sorter spilled to disk on a 1 M-event backfill).
   */
  static <K, A, T> PCollection<KV<K, T>> mergePerKey(PCollection<KV<K, A>> partials,
      Combine.CombineFn<A, A, T> fn,
      @Nullable PTransform<PCollection<KV<K, A>>, PCollection<KV<K, A>>> windowing) {
    if (windowing != null) {
      return partials.apply("Window", windowing).apply("CombinePerMinute", Combine.perKey(fn));
    }
    return partials
        .apply("GroupPerMinute", GroupByKey.create())
        .apply("MergePerMinute", Combine.groupedValues(fn));
  }

  /**
   * A family's second half, named {@code name}: its partial rows merged per key by {@code fn}
   * (windowed first by {@code windowing} if given, {@link #mergePerKey}), then each key's totals
   * made a row by {@code toRow}.
   */
  public static <K, A, T, R> PTransform<PCollection<KV<K, A>>, PCollection<R>> combineToRows(
      String name, Combine.CombineFn<A, A, T> fn,
      @Nullable PTransform<PCollection<KV<K, A>>, PCollection<KV<K, A>>> windowing,
      Coder<KV<K, T>> totalsCoder, DoFn<KV<K, T>, R> toRow, Coder<R> rowCoder) {
    return new PTransform<>(name) {
      @Override
      public PCollection<R> expand(PCollection<KV<K, A>> partials) {
        return mergePerKey(partials, fn, windowing)
            .setCoder(totalsCoder)
            .apply("ToRows", ParDo.of(toRow))
            .setCoder(rowCoder);
      }
    };
  }
}
