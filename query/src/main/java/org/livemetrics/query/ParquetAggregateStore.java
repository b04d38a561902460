package org.livemetrics.query;

import static org.apache.parquet.filter2.predicate.FilterApi.and;
import static org.apache.parquet.filter2.predicate.FilterApi.binaryColumn;
import static org.apache.parquet.filter2.predicate.FilterApi.eq;
import static org.apache.parquet.filter2.predicate.FilterApi.gtEq;
import static org.apache.parquet.filter2.predicate.FilterApi.in;
import static org.apache.parquet.filter2.predicate.FilterApi.longColumn;
import static org.apache.parquet.filter2.predicate.FilterApi.ltEq;

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
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.filter2.compat.FilterCompat;
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
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.MinuteAggregateAvro;

/**
 * Reads the Parquet aggregates under a store root, a local directory or an {@code s3://} prefix,
 * laid out as {@link AggregateStoreLayout} describes.
 *
 * <ul>
 *   <li>Only hour partitions overlapping the selected minutes are listed and read; one glob over
 *       the common prefix of the first and last partition names keeps that to one listing.
 *   <li>A partition with a {@code _COMMITTED} marker contributes only the part files of the run it
 *       names; one without a marker (written by the streaming pipeline) contributes all of them.
 *   <li>The selection is pushed into the Parquet reader as a filter on account, dimension set,
 *       video and minute, so row groups and records of other videos are skipped undecoded; when
 *       the caller needs no sketches, their columns are not read at all.
 *   <li>Files are read by a few threads at once (S3 latency dominates) and handed to the caller in
 *       file order, from the calling thread.
 * </ul>
 *
 * File access goes through Beam's {@link FileSystems}, configured from the options the caller
 * passes (for S3: {@code --awsRegion}, {@code --endpoint}, credentials).
 */
public final class ParquetAggregateStore implements AggregateStore {
  public static final int DEFAULT_READ_PARALLELISM = 4;

  private static final String PARQUET_SUFFIX = ".parquet";
  private static final long HOUR_MS = 3_600_000L;
  private static final String SESSION_SKETCH = "session_sketch";
  private static final String FINGERPRINT_SKETCH = "fingerprint_sketch";

  /** The stored schema without the sketch columns: what to read when no sketch is needed. */
  private static final Schema WITHOUT_SKETCHES = withoutSketches();
  /** The stored schema with empty-sketch defaults, so projected records still convert. */
  private static final Schema EMPTY_SKETCHES = withEmptySketches();

  private final String root;
  private final int parallelism;
  private final ExecutorService executor;

  /**
   * A store whose root Beam's file systems can already reach: a local directory (Beam always has
   * the local file system) or a URI of a file system registered earlier in this JVM.
   */
  public ParquetAggregateStore(String root) {
    this(root, DEFAULT_READ_PARALLELISM);
  }

  /**
   * A store anywhere Beam's file systems reach, configured from {@code options} (set as this
   * JVM's defaults): for S3 {@code --awsRegion}, {@code --endpoint} and credentials.
   *
   * @param root a local directory or an {@code s3://bucket/prefix} URI; the store's
   *     {@code aggregates/} directory is under it
   */
  public ParquetAggregateStore(String root, PipelineOptions options) {
    this(root, options, DEFAULT_READ_PARALLELISM);
  }

  public ParquetAggregateStore(String root, PipelineOptions options, int parallelism) {
    this(root, parallelism);
    FileSystems.setDefaultPipelineOptions(options);
  }

  /** @param parallelism how many files to read at once */
  public ParquetAggregateStore(String root, int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1: " + parallelism);
    }
    this.root = root;
    this.parallelism = parallelism;
    AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(parallelism, r -> {
      Thread t = new Thread(r, "parquet-aggregate-reader-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  public String root() {
    return root;
  }

  @Override
  public void read(AggregateSelection selection, Consumer<MinuteAggregate> sink)
      throws IOException {
    List<StoreFile> files = storeFiles(selection);
    // Rows of streamed partitions may have several values (one per flushed pane): the highest
    // version of each is current. Committed (backfill) rows are unique and pass straight through.
    Map<String, Versioned> streamed = new LinkedHashMap<>();
    Deque<Future<List<Versioned>>> window = new ArrayDeque<>();
    try {
      for (StoreFile file : files) {
        if (window.size() >= parallelism) {
          deliver(await(window.removeFirst()), sink, streamed);
        }
        window.addLast(executor.submit(() -> readFile(file, selection)));
      }
      while (!window.isEmpty()) {
        deliver(await(window.removeFirst()), sink, streamed);
      }
    } finally {
      window.forEach(f -> f.cancel(true));
    }
    streamed.values().forEach(v -> sink.accept(v.row()));
  }

  private static void deliver(
      List<Versioned> rows, Consumer<MinuteAggregate> sink, Map<String, Versioned> streamed) {
    for (Versioned v : rows) {
      if (!v.merge()) {
        sink.accept(v.row());
      } else {
        streamed.merge(MinuteAggregateAvro.rowKey(v.row()), v,
            (a, b) -> b.version() > a.version() ? b : a);
      }
    }
  }

  /** A row as read, with its version and whether it comes from a streamed partition. */
  private record Versioned(MinuteAggregate row, long version, boolean merge) {}

  /** A part file to read; {@code merge} when its partition has no commit marker (streamed). */
  record StoreFile(MatchResult.Metadata metadata, boolean merge) {}

  /** The current part files of the hour partitions the selection overlaps, in name order. */
  List<MatchResult.Metadata> filesToRead(AggregateSelection selection) throws IOException {
    return storeFiles(selection).stream().map(StoreFile::metadata).toList();
  }

  private List<StoreFile> storeFiles(AggregateSelection selection) throws IOException {
    String first = AggregateStoreLayout.hourPartition(selection.fromMinute());
    String last = AggregateStoreLayout.hourPartition(selection.toMinuteInclusive());
    String glob = AggregateStoreLayout.join(
        root, AggregateStoreLayout.AGGREGATES_DIR, commonPrefix(first, last) + "*", "*");

    Map<String, Partition> partitions = new LinkedHashMap<>();
    for (MatchResult.Metadata file : matched(glob)) {
      String path = file.resourceId().toString();
      String name = file.resourceId().getFilename();
      String partition = parentName(path);
      if (name == null || partition == null || !overlaps(partition, selection)) {
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

  private static boolean overlaps(String partition, AggregateSelection selection) {
    long start;
    try {
      start = AggregateStoreLayout.hourPartitionStart(partition);
    } catch (RuntimeException notAPartition) {
      return false;
    }
    return start <= selection.toMinuteInclusive() && start + HOUR_MS > selection.fromMinute();
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

  private static List<Versioned> readFile(StoreFile storeFile, AggregateSelection selection)
      throws IOException {
    MatchResult.Metadata file = storeFile.metadata();
    // Parquet's AvroParquetReader builder creates a default Hadoop Configuration for every file,
    // which parses Hadoop's XML defaults each time and dominated the read time of a day's store.
    // So drive the same AvroReadSupport here with an empty Configuration.
    Configuration conf = new Configuration(false);
    if (!selection.needsSketches()) {
      AvroReadSupport.setRequestedProjection(conf, WITHOUT_SKETCHES);
      AvroReadSupport.setAvroReadSchema(conf, EMPTY_SKETCHES);
    }
    FilterCompat.Filter filter = FilterCompat.get(pushedDown(selection));
    ParquetReadOptions options = HadoopReadOptions.builder(conf).withRecordFilter(filter).build();
    List<Versioned> rows = new ArrayList<>();
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
          MinuteAggregate row = MinuteAggregateAvro.fromRecord(record);
          if (selection.matches(row)) {
            rows.add(new Versioned(row, MinuteAggregateAvro.version(record), storeFile.merge()));
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

  private static FilterPredicate pushedDown(AggregateSelection s) {
    FilterPredicate rows = and(
        and(eq(binaryColumn("account"), Binary.fromString(s.account())),
            eq(binaryColumn("dimensions"), Binary.fromString(s.dimensionSet().id()))),
        and(gtEq(longColumn("minute"), s.fromMinute()),
            ltEq(longColumn("minute"), s.toMinuteInclusive())));
    if (s.videos().isEmpty()) {
      return rows; // every video of the account
    }
    Set<Binary> videos =
        s.videos().stream().map(Binary::fromString).collect(Collectors.toSet());
    return and(rows, in(binaryColumn("video"), videos));
  }

  private static <T> T await(Future<T> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading the aggregate store", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(cause.getMessage(), cause);
    }
  }

  private static Schema withoutSketches() {
    Schema full = MinuteAggregateAvro.SCHEMA;
    List<Schema.Field> fields = full.getFields().stream()
        .filter(f -> !f.name().equals(SESSION_SKETCH) && !f.name().equals(FINGERPRINT_SKETCH))
        .map(f -> new Schema.Field(f, f.schema()))
        .toList();
    return Schema.createRecord(full.getName(), full.getDoc(), full.getNamespace(), false, fields);
  }

  private static Schema withEmptySketches() {
    Schema full = MinuteAggregateAvro.SCHEMA;
    List<Schema.Field> fields = full.getFields().stream()
        .map(f -> f.name().equals(SESSION_SKETCH) || f.name().equals(FINGERPRINT_SKETCH)
            ? new Schema.Field(f.name(), f.schema(), f.doc(), new byte[0])
            : new Schema.Field(f, f.schema()))
        .toList();
    return Schema.createRecord(full.getName(), full.getDoc(), full.getNamespace(), false, fields);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "ParquetAggregateStore(" + root + ")";
  }
}
