package org.livemetrics.transforms.metrics;

import java.io.Serializable;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;
import org.livemetrics.schemas.PlayerEvent;

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

  /** The rows of one bundle, empty. */
  public abstract PartialRows<K, A> newRows();

  /** Folds {@code e} (of that timestamp and window) into {@code rows}. */
  public abstract void add(PlayerEvent e, Instant timestamp, BoundedWindow window, PartialRows<K, A> rows);

  /** Past this many buffered entries a bundle emits its rows early (exact either way). */
  public abstract int maxBufferedEntries();

  /** The coder of the emitted partial rows. */
  public abstract KvCoder<K, A> partialCoder();

  /** Counts partial rows emitted (a measure of how well the in-mapper combining works). */
  public abstract void countEmitted(long rows);
}
