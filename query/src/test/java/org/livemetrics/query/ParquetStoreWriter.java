package org.livemetrics.query;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.livemetrics.schemas.AggregateStoreLayout;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.MinuteAggregateAvro;

/** Writes a store the way the pipelines lay it out, with real Parquet files. */
final class ParquetStoreWriter {
  private final Path root;

  ParquetStoreWriter(Path root) {
    this.root = root;
  }

  Path partition(String hour) throws IOException {
    return partition(AggregateStoreLayout.AGGREGATES_DIR, hour);
  }

  Path partition(String table, String hour) throws IOException {
    return Files.createDirectories(root.resolve(table).resolve("hour=" + hour));
  }

  /** Writes {@code rows} as {@code hour=<hour>/part-<runId>-<shard>.parquet}. */
  Path write(String hour, String runId, int shard, List<MinuteAggregate> rows) throws IOException {
    return write(hour, runId, shard, rows, CompressionCodecName.SNAPPY);
  }

  Path write(String hour, String runId, int shard, List<MinuteAggregate> rows,
      CompressionCodecName codec) throws IOException {
    return write(hour, runId, shard, rows, codec, 0);
  }

  /** As the streaming pipeline writes a flushed pane: every row with {@code version}. */
  Path writeVersion(String hour, String runId, int shard, List<MinuteAggregate> rows, long version)
      throws IOException {
    return write(hour, runId, shard, rows, CompressionCodecName.SNAPPY, version);
  }

  private Path write(String hour, String runId, int shard, List<MinuteAggregate> rows,
      CompressionCodecName codec, long version) throws IOException {
    return writeRecords(AggregateStoreLayout.AGGREGATES_DIR, hour, runId, shard,
        MinuteAggregateAvro.SCHEMA,
        rows.stream().map(r -> MinuteAggregateAvro.toRecord(r, version)).toList(), codec);
  }

  /** Writes Avro records of any table as {@code TABLE/hour=<hour>/part-<runId>-<shard>.parquet}. */
  Path writeRecords(String table, String hour, String runId, int shard, Schema schema,
      List<GenericRecord> records) throws IOException {
    return writeRecords(table, hour, runId, shard, schema, records, CompressionCodecName.SNAPPY);
  }

  private Path writeRecords(String table, String hour, String runId, int shard, Schema schema,
      List<GenericRecord> records, CompressionCodecName codec) throws IOException {
    Path file = partition(table, hour).resolve(
        AggregateStoreLayout.partPrefix(runId) + String.format("%05d", shard) + ".parquet");
    try (ParquetWriter<GenericRecord> writer = AvroParquetWriter
        .<GenericRecord>builder(new LocalOutputFile(file))
        .withSchema(schema)
        .withCompressionCodec(codec)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .build()) {
      for (GenericRecord record : records) {
        writer.write(record);
      }
    }
    return file;
  }

  /** Writes rows into the hour partitions their minutes fall in, one file per hour. */
  void writeAll(String runId, List<MinuteAggregate> rows) throws IOException {
    Map<String, List<MinuteAggregate>> byHour = new TreeMap<>();
    for (MinuteAggregate row : rows) {
      String partition = AggregateStoreLayout.hourPartition(row.minute);
      byHour.computeIfAbsent(partition.substring(partition.indexOf('=') + 1),
          k -> new ArrayList<>()).add(row);
    }
    for (Map.Entry<String, List<MinuteAggregate>> e : byHour.entrySet()) {
      write(e.getKey(), runId, 0, e.getValue());
    }
  }

  /** Marks {@code runId} as the current run of the hour. */
  void commit(String hour, String text) throws IOException {
    commit(AggregateStoreLayout.AGGREGATES_DIR, hour, text);
  }

  void commit(String table, String hour, String text) throws IOException {
    Files.writeString(partition(table, hour).resolve(AggregateStoreLayout.COMMIT_MARKER), text);
  }

  /** A local file as a Parquet output, without Hadoop's file system. */
  private static final class LocalOutputFile implements OutputFile {
    private final Path path;

    LocalOutputFile(Path path) {
      this.path = path;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) throws IOException {
      return createOrOverwrite(blockSizeHint);
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
      OutputStream out = Files.newOutputStream(path);
      return new PositionOutputStream() {
        private long pos;

        @Override
        public long getPos() {
          return pos;
        }

        @Override
        public void write(int b) throws IOException {
          out.write(b);
          pos++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
          pos += len;
        }

        @Override
        public void close() throws IOException {
          out.close();
        }
      };
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
  }
}
