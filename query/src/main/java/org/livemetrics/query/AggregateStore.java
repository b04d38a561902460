package org.livemetrics.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.schemas.StreamSession;

/**
 * Where the query layer reads stored rows from: Parquet files on a local disk or S3 ({@link
 * ParquetAggregateStore}), or Elasticsearch ({@link ElasticsearchAggregateStore}). {@link
 * AggregateStores#open} picks one from a store location.
 *
 * <p>A store holds four tables: the audience aggregates ({@link #read}), the viewer QoS minutes
 * ({@link #readQos}), the broadcast minutes ({@link #readBroadcast}) and the IVS stream rows
 * ({@link #readStreams}). Each hands over only the current value of a row (the highest version of
 * a streamed row), one row at a time and from one thread. A store that lacks a table refuses with
 * an {@link IOException} naming it, never with an empty answer.
 */
public interface AggregateStore extends AutoCloseable {

  /**
   * Hands every stored row in {@code selection} to {@code sink}, one at a time and from one thread.
   * A store may pass rows outside the selection; callers keep only those it {@link
   * AggregateSelection#matches}. Streaming rather than returning a list keeps memory flat when a
   * month of per-country rows with their sketches is read.
   */
  void read(AggregateSelection selection, Consumer<MinuteAggregate> sink) throws IOException;

  /** Every stored QoS row in {@code selection} (a store may pass more; callers filter). */
  default void readQos(QosSelection selection, Consumer<QosMinute> sink) throws IOException {
    throw new IOException(this + " holds no QoS rows");
  }

  /** Every stored broadcast minute row in {@code selection} (callers filter). */
  default void readBroadcast(BroadcastSelection selection, Consumer<BroadcastMinute> sink)
      throws IOException {
    throw new IOException(this + " holds no broadcast rows");
  }

  /**
   * The current row of every stream that may be in {@code selection}: at least those it {@link
   * StreamSelection#matches}, each stream once (callers filter on the rest).
   */
  default void readStreams(StreamSelection selection, Consumer<StreamSession> sink)
      throws IOException {
    throw new IOException(this + " holds no stream rows");
  }

  /** All rows of {@code selection}, for tests and small reads. */
  default List<MinuteAggregate> readAll(AggregateSelection selection) throws IOException {
    List<MinuteAggregate> rows = new ArrayList<>();
    read(selection, row -> {
      if (selection.matches(row)) {
        rows.add(row);
      }
    });
    return rows;
  }

  @Override
  default void close() throws IOException {}
}
