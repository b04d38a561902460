package org.livemetrics.query;

import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.livemetrics.schemas.MinuteAggregate;

/** A store over rows held in memory: for tests of the query layer and of its callers. */
public final class InMemoryAggregateStore implements AggregateStore {
  private final List<MinuteAggregate> rows;

  public InMemoryAggregateStore(Collection<MinuteAggregate> rows) {
    this.rows = List.copyOf(rows);
  }

  @Override
  public void read(AggregateSelection selection, Consumer<MinuteAggregate> sink) {
    for (MinuteAggregate row : rows) {
      if (selection.matches(row)) {
        sink.accept(row);
      }
    }
  }
}
