package org.livemetrics.query;

import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.schemas.StreamSession;

/**
 * A store over rows held in memory: for tests of the query layer and of its callers. Rows are
 * current values (no versions): give each stream once.
 */
public final class InMemoryAggregateStore implements AggregateStore {
  private final List<MinuteAggregate> rows;
  private final List<QosMinute> qos;
  private final List<BroadcastMinute> broadcast;
  private final List<StreamSession> streams;

  public InMemoryAggregateStore(Collection<MinuteAggregate> rows) {
    this(rows, List.of(), List.of(), List.of());
  }

  public InMemoryAggregateStore(Collection<MinuteAggregate> rows, Collection<QosMinute> qos,
      Collection<BroadcastMinute> broadcast, Collection<StreamSession> streams) {
    this.rows = List.copyOf(rows);
    this.qos = List.copyOf(qos);
    this.broadcast = List.copyOf(broadcast);
    this.streams = List.copyOf(streams);
  }

  @Override
  public void read(AggregateSelection selection, Consumer<MinuteAggregate> sink) {
    for (MinuteAggregate row : rows) {
      if (selection.matches(row)) {
        sink.accept(row);
      }
    }
  }

  @Override
  public void readQos(QosSelection selection, Consumer<QosMinute> sink) {
    qos.stream().filter(selection::matches).forEach(sink);
  }

  @Override
  public void readBroadcast(BroadcastSelection selection, Consumer<BroadcastMinute> sink) {
    broadcast.stream().filter(selection::matches).forEach(sink);
  }

  @Override
  public void readStreams(StreamSelection selection, Consumer<StreamSession> sink) {
    streams.stream().filter(selection::matches).forEach(sink);
  }
}
