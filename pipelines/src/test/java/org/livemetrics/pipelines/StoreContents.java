package org.livemetrics.pipelines;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.MinuteAggregateAvro;

/** Reads what a local store holds, straight from the files (independent of the query layer). */
public final class StoreContents {
  private StoreContents() {}

  /** Rows of the committed run of every hour partition. */
  public static List<MinuteAggregate> rows(Path store) throws IOException {
    List<MinuteAggregate> out = new ArrayList<>();
    for (Path file : committedFiles(store.resolve("aggregates"), ".parquet")) {
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(
                  HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
              .build()) {
        for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
          out.add(MinuteAggregateAvro.fromRecord(r));
        }
      }
    }
    return out;
  }

  /**
   * The current rows of one table ({@code aggregates}, {@code qos}, {@code broadcast}, {@code
   * streams}): the committed run's files where an hour has a marker, every file elsewhere (a
   * streamed hour), keeping the highest {@code version} of each key across all hours.
   */
  public static <T> List<T> current(Path store, String table, java.util.function.Function<GenericRecord, T> decode,
      java.util.function.Function<T, String> key) throws IOException {
    java.util.Map<String, GenericRecord> latest = new java.util.TreeMap<>();
    java.util.Map<String, T> rows = new java.util.TreeMap<>();
    for (Path file : committedFiles(store.resolve(table), ".parquet")) {
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(
                  HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
              .build()) {
        for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
          T row = decode.apply(r);
          String k = key.apply(row);
          GenericRecord seen = latest.get(k);
          if (seen == null || version(r) > version(seen)) {
            latest.put(k, r);
            rows.put(k, row);
          }
        }
      }
    }
    return new ArrayList<>(rows.values());
  }

  private static long version(GenericRecord r) {
    Object v = r.get("version");
    return v == null ? 0 : ((Number) v).longValue();
  }

  /** Dead-letter lines of the committed runs. */
  public static List<String> deadLetters(Path store) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path file : committedFiles(store.resolve("dead-letter"), ".jsonl")) {
      out.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
    }
    return out;
  }

  /** All part files, committed or not, of one area: to check nothing stale is left behind. */
  public static List<Path> allPartFiles(Path area) throws IOException {
    if (!Files.exists(area)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(area)) {
      return s.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
    }
  }

  private static List<Path> committedFiles(Path area, String suffix) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.exists(area)) {
      return out;
    }
    try (Stream<Path> hours = Files.list(area)) {
      for (Path hour : hours.filter(p -> p.getFileName().toString().startsWith("hour=")).sorted().toList()) {
        Path marker = hour.resolve("_COMMITTED");
        String prefix = Files.exists(marker) ? "part-" + Files.readString(marker).trim() + "-" : "part-";
        try (Stream<Path> files = Files.list(hour)) {
          files.filter(f -> f.getFileName().toString().startsWith(prefix))
              .filter(f -> f.getFileName().toString().endsWith(suffix))
              .sorted()
              .forEach(out::add);
        }
      }
    }
    return out;
  }
}
