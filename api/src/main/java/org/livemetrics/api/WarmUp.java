package org.livemetrics.api;

import java.io.OutputStream;
import java.time.Clock;
import org.livemetrics.query.BrightcoveJson;
import org.livemetrics.query.Endpoint;
import org.livemetrics.query.QueryEngine;
import org.livemetrics.query.QueryRequest;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.Metric;

/**
 * Loads the query path's classes on a background thread while Jetty starts, so the first request
 * does not pay for them: of a cold start to the first answer (~2 s on the 2-core dev machine),
 * about 0.8 s was the first query loading Parquet, Hadoop and Avro, which overlaps Jetty's start
 * when done here. Best effort: a failure here only means a slower first request.
 */
final class WarmUp {
  /** The Parquet store's reading classes; what a query with no matching files never loads. */
  private static final String[] READER_CLASSES = {
      "org.apache.hadoop.conf.Configuration",
      "org.apache.parquet.HadoopReadOptions",
      "org.apache.parquet.hadoop.ParquetFileReader",
      "org.apache.parquet.avro.AvroReadSupport",
      "org.apache.parquet.avro.AvroRecordConverter",
      "org.apache.parquet.io.ColumnIOFactory",
      "org.apache.parquet.filter2.compat.FilterCompat",
      "org.apache.parquet.format.converter.ParquetMetadataConverter",
      "org.apache.parquet.hadoop.metadata.CompressionCodecName",
      "org.apache.datasketches.theta.SetOperation",
  };

  private WarmUp() {}

  static Thread start(QueryEngine engine, Clock clock) {
    Thread t = new Thread(() -> run(engine, clock), "livemetrics-serve-warm-up");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
    return t;
  }

  private static void run(QueryEngine engine, Clock clock) {
    ClassLoader loader = WarmUp.class.getClassLoader();
    for (String name : READER_CLASSES) {
      try {
        Class.forName(name, true, loader);
      } catch (ReflectiveOperationException | LinkageError e) {
        // another store kind, or another version: nothing to warm
      }
    }
    try {
      // A query for an account that cannot exist, over one minute: parses, lists the store and
      // renders, without reading data.
      long now = clock.millis();
      QueryRequest request = QueryRequest.builder(Endpoint.EVENTS, " warm-up ")
          .dimensions(DimensionSet.VIDEO)
          .metrics(Metric.values())
          .where(org.livemetrics.schemas.Dimension.VIDEO, "warm-up")
          .from(now - QueryRequest.MINUTE_MS)
          .to(now)
          .build(clock);
      BrightcoveJson.write(engine.execute(request), OutputStream.nullOutputStream());
    } catch (Exception e) {
      // the first real request will show any real problem
    }
  }
}
