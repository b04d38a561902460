package org.livemetrics.pipelines.io;

import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A computed row a sink refused, as its dead letter records it: which sink, the row's table and
 * key (printable: see {@link RowWritability#printable}), and the hour partition it belonged to.
 * Routed through Beam's bad-record handling; its JSON form (via its getters) becomes the dead
 * letter's record, and {@link WriteDeadLetters} files it under {@link #getHour}.
 */
public final class UnwritableRow implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String sink;
  private final String table;
  private final String key;
  private final @Nullable Long hour;

  public UnwritableRow(String sink, String table, String key, @Nullable Long hour) {
    this.sink = sink;
    this.table = table;
    this.key = key;
    this.hour = hour;
  }

  /** {@code parquet} or {@code elasticsearch}. */
  public String getSink() {
    return sink;
  }

  public String getTable() {
    return table;
  }

  public String getKey() {
    return key;
  }

  /** The start of the row's UTC hour partition (epoch ms); null when unknown. */
  public @Nullable Long getHour() {
    return hour;
  }
}
