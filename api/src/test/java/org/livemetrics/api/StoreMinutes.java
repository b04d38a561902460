package org.livemetrics.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.livemetrics.schemas.AggregateStoreLayout;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.MinuteAggregateAvro;

/**
 * Adds minute rows to a Parquet store as the streaming job lands them: a new part file in the
 * (uncommitted) hour partition of each row, written aside and moved in whole, so a server reading
 * the store at that moment sees the file entirely or not at all.
 */
final class StoreMinutes {
  private static final AtomicInteger FILES = new AtomicInteger();

  private StoreMinutes() {}

  /** Writes {@code rows} (all of one hour) as one new streamed part file of that hour. */
  static void land(Path store, List<MinuteAggregate> rows, long version) {
    String hour = AggregateStoreLayout.hourPartition(rows.get(0).minute);
    try {
      Path partition = Files.createDirectories(
          store.resolve(AggregateStoreLayout.AGGREGATES_DIR).resolve(hour));
      Path aside = Files.createTempDirectory("livemetrics-minutes").resolve("part.parquet");
      try (ParquetWriter<GenericRecord> writer = AvroParquetWriter
          .<GenericRecord>builder(HadoopOutputFile.fromPath(
              new org.apache.hadoop.fs.Path(aside.toUri()), new org.apache.hadoop.conf.Configuration()))
          .withSchema(MinuteAggregateAvro.SCHEMA)
          .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
          .build()) {
        for (MinuteAggregate row : rows) {
          writer.write(MinuteAggregateAvro.toRecord(row, version));
        }
      }
      String name = AggregateStoreLayout.partPrefix("dashboardtest" + FILES.incrementAndGet())
          + "00000-of-00001.parquet";
      Files.move(aside, partition.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies a store directory (the shared sample stays as it is). */
  static Path copy(Path from) {
    try {
      Path to = Files.createTempDirectory("livemetrics-dashboard-store");
      try (Stream<Path> files = Files.walk(from)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Path target = to.resolve(from.relativize(f).toString());
          if (Files.isDirectory(f)) {
            Files.createDirectories(target);
          } else {
            Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
