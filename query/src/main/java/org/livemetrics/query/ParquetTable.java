package org.livemetrics.query;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.filter2.predicate.FilterApi;
import org.apache.parquet.filter2.predicate.FilterPredicate;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.AggregateStoreLayout;

/**
 * One table of the Parquet store ({@code ROOT/<table>/hour=YYYY-MM-DDTHH/part-*.parquet}, {@link
 * AggregateStoreLayout}) and how every kind of row is read from it: which partitions, which files,
 * and which value of a row is current.
 *
 * <ul>
 *   <li>Only hour partitions overlapping the asked range are listed and read; one glob over the
 *       common prefix of the first and last partition names keeps that to one listing.
 *   <li>A partition with a {@code _COMMITTED} marker (a backfill) contributes only the part files
 *       of the run it names; one without (the streaming pipeline) contributes all of them, and
 *       there a row may have been written several times: the highest {@code version} per row key
 *       is current (merge-on-read).
 *   <li>The caller's predicate is pushed into the Parquet reader, so row groups and records of
 *       other rows are skipped undecoded; a projection leaves heavy columns (sketches) unread.
 *   <li>Files are read by a few threads at once (S3 latency dominates) and handed to the caller in
 *       file order, from the calling thread.
 * </ul>
 *
 * @param <T> the row type
 */
final class ParquetTable<T> {
  private static final String PARQUET_SUFFIX = ".parquet";
  private static final long HOUR_MS = 3_600_000L;

  /**
   * How to read one kind of row.
   *
   * @param convert a record to its row
   * @param selected whether a row is asked for (the pushed-down filter may let others through)
   * @param version a record's version (0 for backfill rows)
   * @param rowKey the identity of a row, for merge-on-read
   * @param filter the predicate pushed into the reader
   * @param projection the columns to read, or null for all
   * @param readSchema the schema the records are read as (null: each file's own): its defaults
   *     fill the columns a file lacks (written before they were added) and, with a projection,
   *     the unread ones
   * @param mergeCommitted whether committed (backfill) rows also take part in merge-on-read: for
   *     rows that can move between partitions (streams), whose old value may sit in another,
   *     committed hour
   */
  record RowReading<T>(
      Function<GenericRecord, T> convert,
      Predicate<T> selected,
      ToLongFunction<GenericRecord> version,
      Function<T, String> rowKey,
      FilterPredicate filter,
      @Nullable Schema projection,
      @Nullable Schema readSchema,
      boolean mergeCommitted) {

    /** Every column, committed rows passed through. */
    RowReading(Function<GenericRecord, T> convert, Predicate<T> selected,
        ToLongFunction<GenericRecord> version, Function<T, String> rowKey,
        FilterPredicate filter) {
      this(convert, selected, version, rowKey, filter, null, null, false);
    }

    /**
     * The same, every column read as {@code schema}, so that files written before a column was
     * added read with its default instead of lacking the field.
     */
    RowReading<T> readAs(Schema schema) {
      return new RowReading<>(convert, selected, version, rowKey, filter, projection, schema,
          mergeCommitted);
    }

    /** The same, reading only {@code projection}'s columns as {@code readSchema}. */
    RowReading<T> projected(Schema projection, Schema readSchema) {
      return new RowReading<>(convert, selected, version, rowKey, filter, projection, readSchema,
          mergeCommitted);
    }

    /** The same, merging committed rows too. */
    RowReading<T> mergingCommitted() {
      return new RowReading<>(convert, selected, version, rowKey, filter, projection, readSchema,
          true);
    }
  }

  private final String root;
  private final String table;
  private final ExecutorService executor;
  private final int parallelism;

  ParquetTable(String root, String table, ExecutorService executor, int parallelism) {
    this.root = root;
    this.table = table;
    this.executor = executor;
    this.parallelism = parallelism;
  }

  /**
   * Hands {@code sink} the current value of every selected row in the partitions overlapping
   * {@code [fromMs, toMsInclusive]}: committed rows as they come, merged rows at the end.
   */
  void read(long fromMs, long toMsInclusive, RowReading<T> reading, Consumer<T> sink)
      throws IOException {
    List<StoreFile> files = storeFiles(fromMs, toMsInclusive);
    Map<String, Versioned<T>> merged = new LinkedHashMap<>();
    Deque<Future<List<Versioned<T>>>> window = new ArrayDeque<>();
    try {
      for (StoreFile file : files) {
        if (window.size() >= parallelism) {
          deliver(await(window.removeFirst()), reading, sink, merged);
        }
        window.addLast(executor.submit(() -> readFile(file, reading)));
      }
      while (!window.isEmpty()) {
        deliver(await(window.removeFirst()), reading, sink, merged);
      }
    } finally {
      window.forEach(f -> f.cancel(true));
    }
    merged.values().forEach(v -> sink.accept(v.row()));
  }

  private static <T> void deliver(List<Versioned<T>> rows, RowReading<T> reading,
      Consumer<T> sink, Map<String, Versioned<T>> merged) {
    for (Versioned<T> v : rows) {
      if (!v.merge() && !reading.mergeCommitted()) {
        sink.accept(v.row());
      } else {
        // Ties keep the later file: files come in name order, and a later pane's file sorts later.
        merged.merge(reading.rowKey().apply(v.row()), v,
            (a, b) -> b.version() >= a.version() ? b : a);
      }
    }
  }

  /** A row as read, with its version and whether it comes from an unmarked (streamed) hour. */
  private record Versioned<T>(T row, long version, boolean merge) {}

  /** A part file to read; {@code merge} when its partition has no commit marker (streamed). */
  record StoreFile(MatchResult.Metadata metadata, boolean merge) {}

  /** The current part files of the hour partitions overlapping the range, in name order. */
  List<StoreFile> storeFiles(long fromMs, long toMsInclusive) throws IOException {
    String first = AggregateStoreLayout.hourPartition(fromMs);
    String last = AggregateStoreLayout.hourPartition(toMsInclusive);
    String glob = AggregateStoreLayout.join(root, table, commonPrefix(first, last) + "*", "*");

    Map<String, Partition> partitions = new LinkedHashMap<>();
    for (MatchResult.Metadata file : matched(glob)) {
      String path = file.resourceId().toString();
      String name = file.resourceId().getFilename();
      String partition = parentName(path);
      if (name == null || partition == null || !overlaps(partition, fromMs, toMsInclusive)) {
        continue;
      }
      Partition p = partitions.computeIfAbsent(partition, k -> new Partition());
      if (name.equals(AggregateStoreLayout.COMMIT_MARKER)) {
        p.marker = file;
      } else if (name.endsWith(PARQUET_SUFFIX) && !name.startsWith(".") && !name.startsWith("_")) {
        p.parts.add(file);
      }
    }

    Map<String, Future<String>> committedRuns = new LinkedHashMap<>();
    for (Map.Entry<String, Partition> e : partitions.entrySet()) {
      if (e.getValue().marker != null) {
        MatchResult.Metadata marker = e.getValue().marker;
        committedRuns.put(e.getKey(), executor.submit(() -> readMarker(marker)));
      }
    }
    List<StoreFile> files = new ArrayList<>();
    for (Map.Entry<String, Partition> e : partitions.entrySet()) {
      Future<String> run = committedRuns.get(e.getKey());
      String prefix = run == null ? null : AggregateStoreLayout.partPrefix(await(run));
      for (MatchResult.Metadata part : e.getValue().parts) {
        if (prefix == null || part.resourceId().getFilename().startsWith(prefix)) {
          files.add(new StoreFile(part, prefix == null));
        }
      }
    }
    files.sort(Comparator.comparing((StoreFile f) -> f.metadata().resourceId().toString()));
    return files;
  }

  private static final class Partition {
    MatchResult.@Nullable Metadata marker;
    final List<MatchResult.Metadata> parts = new ArrayList<>();
  }

  private static List<MatchResult.Metadata> matched(String glob) throws IOException {
    MatchResult result = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
    if (result.status() == MatchResult.Status.NOT_FOUND) {
      return List.of();
    }
    return result.metadata();
  }

  private static String commonPrefix(String a, String b) {
    int i = 0;
    while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return a.substring(0, i);
  }

  /** {@code hour=…} of {@code …/hour=…/file}, or null. */
  private static @Nullable String parentName(String path) {
    int slash = path.lastIndexOf('/');
    if (slash <= 0) {
      return null;
    }
    int before = path.lastIndexOf('/', slash - 1);
    return path.substring(before + 1, slash);
  }

  private static boolean overlaps(String partition, long fromMs, long toMsInclusive) {
    long start;
    try {
      start = AggregateStoreLayout.hourPartitionStart(partition);
    } catch (RuntimeException notAPartition) {
      return false;
    }
    return start <= toMsInclusive && start + HOUR_MS > fromMs;
  }

  private static String readMarker(MatchResult.Metadata marker) throws IOException {
    String runId;
    try (InputStream in = Channels.newInputStream(FileSystems.open(marker.resourceId()))) {
      runId = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
    if (runId.isEmpty()) {
      throw new IOException(marker.resourceId() + " is empty; it should name the committed run");
    }
    return runId;
  }

  private static <T> List<Versioned<T>> readFile(StoreFile storeFile, RowReading<T> reading)
      throws IOException {
    MatchResult.Metadata file = storeFile.metadata();
    // Parquet's AvroParquetReader builder creates a default Hadoop Configuration for every file,
    // which parses Hadoop's XML defaults each time and dominated the read time of a day's store.
    // So drive the same AvroReadSupport here with an empty Configuration.
    Configuration conf = new Configuration(false);
    if (reading.projection() != null) {
      AvroReadSupport.setRequestedProjection(conf, reading.projection());
    }
    if (reading.readSchema() != null) {
      AvroReadSupport.setAvroReadSchema(conf, reading.readSchema());
    }
    FilterCompat.Filter filter = FilterCompat.get(reading.filter());
    ParquetReadOptions options = HadoopReadOptions.builder(conf).withRecordFilter(filter).build();
    List<Versioned<T>> rows = new ArrayList<>();
    try (ParquetFileReader reader = ParquetFileReader.open(new ChannelInputFile(file), options)) {
      FileMetaData footer = reader.getFooter().getFileMetaData();
      MessageType fileSchema = footer.getSchema();
      AvroReadSupport<GenericRecord> support = new AvroReadSupport<>(GenericData.get());
      ReadSupport.ReadContext context =
          support.init(conf, footer.getKeyValueMetaData(), fileSchema);
      reader.setRequestedSchema(context.getRequestedSchema());
      RecordMaterializer<GenericRecord> materializer =
          support.prepareForRead(conf, footer.getKeyValueMetaData(), fileSchema, context);
      MessageColumnIO columns = new ColumnIOFactory(footer.getCreatedBy())
          .getColumnIO(context.getRequestedSchema(), fileSchema, true);
      for (PageReadStore pages = reader.readNextFilteredRowGroup(); pages != null;
          pages = reader.readNextFilteredRowGroup()) {
        RecordReader<GenericRecord> records =
            columns.getRecordReader(pages, materializer, filter);
        for (long i = 0; i < pages.getRowCount(); i++) {
          GenericRecord record = records.read();
          if (record == null || records.shouldSkipCurrentRecord()) {
            continue; // filtered out by the pushed-down predicate
          }
          T row = reading.convert().apply(record);
          if (reading.selected().test(row)) {
            rows.add(new Versioned<>(row, reading.version().applyAsLong(record),
                storeFile.merge()));
          }
        }
      }
    } catch (RuntimeException e) {
      throw new IOException("cannot read " + file.resourceId() + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IOException("cannot read " + file.resourceId() + ": " + e.getMessage(), e);
    }
    return rows;
  }

  static <T> T await(Future<T> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading the store", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(cause.getMessage(), cause);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers for the readings

  /** {@code column IN values}, or null (no condition) when {@code values} is empty. */
  static @Nullable FilterPredicate in(String column, Set<String> values) {
    if (values.isEmpty()) {
      return null;
    }
    Set<Binary> binaries = values.stream().map(Binary::fromString).collect(Collectors.toSet());
    return FilterApi.in(FilterApi.binaryColumn(column), binaries);
  }

  /** The conjunction of the non-null predicates (at least one). */
  static FilterPredicate allOf(@Nullable FilterPredicate... predicates) {
    FilterPredicate all = null;
    for (FilterPredicate p : predicates) {
      if (p != null) {
        all = all == null ? p : FilterApi.and(all, p);
      }
    }
    if (all == null) {
      throw new IllegalArgumentException("no predicate");
    }
    return all;
  }

  /** {@code schema} without the {@code dropped} fields: a projection that leaves them unread. */
  static Schema without(Schema schema, Set<String> dropped) {
    List<Schema.Field> fields = schema.getFields().stream()
        .filter(f -> !dropped.contains(f.name()))
        .map(f -> new Schema.Field(f, f.schema()))
        .toList();
    return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false,
        fields);
  }

  /** {@code schema} with empty-bytes defaults for {@code bytesFields}, so projections convert. */
  static Schema withEmptyBytes(Schema schema, Set<String> bytesFields) {
    List<Schema.Field> fields = schema.getFields().stream()
        .map(f -> bytesFields.contains(f.name())
            ? new Schema.Field(f.name(), f.schema(), f.doc(), new byte[0])
            : new Schema.Field(f, f.schema()))
        .toList();
    return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false,
        fields);
  }

}
