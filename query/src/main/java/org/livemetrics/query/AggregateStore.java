package org.livemetrics.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.livemetrics.schemas.MinuteAggregate;

/**
 * Where the query layer reads stored per-minute aggregates from: Parquet files on a local disk or
 * S3 ({@link ParquetAggregateStore}), or Elasticsearch ({@link ElasticsearchAggregateStore}).
 * {@link AggregateStores#open} picks one from a store location.
 */
public interface AggregateStore extends AutoCloseable {

  /**
   * Hands every stored row in {@code selection} to {@code sink}, one at a time and from one thread.
   * A store may pass rows outside the selection; callers keep only those it {@link
   * AggregateSelection#matches}. Streaming rather than returning a list keeps memory flat when a
   * month of per-country rows with their sketches is read.
   */
  void read(AggregateSelection selection, Consumer<MinuteAggregate> sink) throws IOException;

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
