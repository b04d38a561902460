package org.livemetrics.query;

import static org.apache.parquet.filter2.predicate.FilterApi.binaryColumn;
import static org.apache.parquet.filter2.predicate.FilterApi.eq;
import static org.apache.parquet.filter2.predicate.FilterApi.gtEq;
import static org.apache.parquet.filter2.predicate.FilterApi.longColumn;
import static org.apache.parquet.filter2.predicate.FilterApi.ltEq;
import static org.apache.parquet.filter2.predicate.FilterApi.notEq;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.parquet.filter2.predicate.FilterPredicate;
import org.apache.parquet.io.api.Binary;
import org.livemetrics.schemas.AggregateStoreLayout;
import org.livemetrics.schemas.BroadcastAvro;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.Dimension;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.MinuteAggregateAvro;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.schemas.QosMinuteAvro;
import org.livemetrics.schemas.StreamSession;

/**
 * Reads the Parquet store under a root, a local directory or an {@code s3://} prefix, laid out as
 * {@link AggregateStoreLayout} describes: the audience aggregates, the QoS minutes, the broadcast
 * minutes and the stream rows, each a {@link ParquetTable} (hour partitions, commit markers,
 * merge-on-read of streamed hours, predicates pushed into the reader, parallel reads).
 *
 * <ul>
 *   <li>Aggregates: pushed down on account, dimension set, video and minute; sketch columns are
 *       left unread when the caller unions no sketch.
 *   <li>QoS minutes: on account, dimension set, minute, videos and platforms; the KLL sketches are
 *       left unread unless a percentile is asked for. Row key: {@link QosMinuteAvro#rowKey}.
 *   <li>Broadcast minutes: on scope, minute, regions and channels, then each row on the channels
 *       the request may see ({@link BroadcastSelection#matches}). Row key: {@link
 *       BroadcastAvro#rowKey(BroadcastMinute)} (scope, region, channel, minute).
 *   <li>Streams: the partitions from {@link StreamSelection#LOOKBACK} before the range, on
 *       regions and channels, then each row on the channels the request may see; every row read, committed or not, takes part in keeping the highest
 *       version per (channel, stream_id), since a stream's row moves partition when its Start
 *       arrives after its End.
 * </ul>
 *
 * File access goes through Beam's {@link FileSystems}, configured from the options the caller
 * passes (for S3: {@code --awsRegion}, {@code --endpoint}, credentials).
 */
public final class ParquetAggregateStore implements AggregateStore {
  public static final int DEFAULT_READ_PARALLELISM = 4;

  private static final Set<String> AGGREGATE_SKETCHES = Set.of("session_sketch",
      "fingerprint_sketch");
  private static final Set<String> QOS_SKETCHES = Set.of("startup_sketch", "live_latency_sketch");
  /** The stored schemas without their sketch columns: what to read when no sketch is needed. */
  private static final Schema AGGREGATES_WITHOUT_SKETCHES =
      ParquetTable.without(MinuteAggregateAvro.SCHEMA, AGGREGATE_SKETCHES);
  private static final Schema QOS_WITHOUT_SKETCHES =
      ParquetTable.without(QosMinuteAvro.SCHEMA, QOS_SKETCHES);
  /** The stored schemas with empty-sketch defaults, so projected records still convert. */
  private static final Schema AGGREGATES_EMPTY_SKETCHES =
      ParquetTable.withEmptyBytes(MinuteAggregateAvro.SCHEMA, AGGREGATE_SKETCHES);
  private static final Schema QOS_EMPTY_SKETCHES =
      ParquetTable.withEmptyBytes(QosMinuteAvro.SCHEMA, QOS_SKETCHES);

  private final String root;
  private final ExecutorService executor;
  private final ParquetTable<MinuteAggregate> aggregates;
  private final ParquetTable<QosMinute> qos;
  private final ParquetTable<BroadcastMinute> broadcast;
  private final ParquetTable<StreamSession> streams;

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
    AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(parallelism, r -> {
      Thread t = new Thread(r, "parquet-aggregate-reader-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.aggregates = new ParquetTable<>(root, AggregateStoreLayout.AGGREGATES_DIR, executor,
        parallelism);
    this.qos = new ParquetTable<>(root, AggregateStoreLayout.QOS_DIR, executor, parallelism);
    this.broadcast =
        new ParquetTable<>(root, AggregateStoreLayout.BROADCAST_DIR, executor, parallelism);
    this.streams =
        new ParquetTable<>(root, AggregateStoreLayout.STREAMS_DIR, executor, parallelism);
  }

  public String root() {
    return root;
  }

  // ---------------------------------------------------------------------------------------------
  // Aggregates

  @Override
  public void read(AggregateSelection selection, Consumer<MinuteAggregate> sink)
      throws IOException {
    ParquetTable.RowReading<MinuteAggregate> reading = new ParquetTable.RowReading<>(
        MinuteAggregateAvro::fromRecord, selection::matches, MinuteAggregateAvro::version,
        MinuteAggregateAvro::rowKey,
        ParquetTable.allOf(accountAndSet(selection.account(), selection.dimensionSet().id()),
            minutes(selection.fromMinute(), selection.toMinuteInclusive()),
            ParquetTable.in("video", selection.videos())));
    aggregates.read(selection.fromMinute(), selection.toMinuteInclusive(),
        selection.needsSketches() ? reading.readAs(MinuteAggregateAvro.SCHEMA)
            : reading.projected(AGGREGATES_WITHOUT_SKETCHES, AGGREGATES_EMPTY_SKETCHES),
        sink);
  }

  /** The current part files of the hour partitions the selection overlaps, in name order. */
  List<MatchResult.Metadata> filesToRead(AggregateSelection selection) throws IOException {
    return aggregates.storeFiles(selection.fromMinute(), selection.toMinuteInclusive()).stream()
        .map(ParquetTable.StoreFile::metadata).toList();
  }

  @Override
  public void readQos(QosSelection selection, Consumer<QosMinute> sink) throws IOException {
    ParquetTable.RowReading<QosMinute> reading = new ParquetTable.RowReading<>(
        QosMinuteAvro::fromRecord, selection::matches, QosMinuteAvro::version,
        QosMinuteAvro::rowKey,
        ParquetTable.allOf(accountAndSet(selection.account(), selection.dimensionSet().id()),
            minutes(selection.fromMinute(), selection.toMinuteInclusive()),
            // The QoS rows' dimension columns are named as the dimensions.
            ParquetTable.in(Dimension.VIDEO.apiName(), selection.values(Dimension.VIDEO)),
            ParquetTable.in(Dimension.CLIENT_PLATFORM.apiName(),
                selection.values(Dimension.CLIENT_PLATFORM)),
            ParquetTable.in(Dimension.COUNTRY.apiName(), selection.values(Dimension.COUNTRY)),
            ParquetTable.in(Dimension.DEVICE_TYPE.apiName(),
                selection.values(Dimension.DEVICE_TYPE))));
    qos.read(selection.fromMinute(), selection.toMinuteInclusive(),
        selection.needsSketches() ? reading.readAs(QosMinuteAvro.SCHEMA)
            : reading.projected(QOS_WITHOUT_SKETCHES, QOS_EMPTY_SKETCHES),
        sink);
  }

  @Override
  public void readBroadcast(BroadcastSelection selection, Consumer<BroadcastMinute> sink)
      throws IOException {
    broadcast.read(selection.fromMinute(), selection.toMinuteInclusive(),
        new ParquetTable.RowReading<>(BroadcastAvro::minuteFromRecord, selection::matches,
            BroadcastAvro::version, BroadcastAvro::rowKey,
            ParquetTable.allOf(
                eq(binaryColumn("dimensions"), Binary.fromString(selection.scope().id())),
                minutes(selection.fromMinute(), selection.toMinuteInclusive()),
                ParquetTable.in("region", selection.regions()),
                ParquetTable.in("channel", selection.channels())))
            .readAs(BroadcastAvro.MINUTE_SCHEMA),
        sink);
  }

  @Override
  public void readStreams(StreamSelection selection, Consumer<StreamSession> sink)
      throws IOException {
    streams.read(selection.earliestStart(), selection.toMs(),
        new ParquetTable.RowReading<>(BroadcastAvro::sessionFromRecord, selection::matchesKeys,
            BroadcastAvro::version, BroadcastAvro::rowKey,
            // The visible channels are checked per row (matchesKeys), before the merge; every
            // row has a channel, so the first predicate only keeps the conjunction non-empty.
            ParquetTable.allOf(
                notEq(binaryColumn("channel"), (Binary) null),
                ParquetTable.in("region", selection.regions()),
                ParquetTable.in("channel", selection.channels())))
            .mergingCommitted(),
        sink);
  }

  // ---------------------------------------------------------------------------------------------

  private static FilterPredicate accountAndSet(String account, String dimensionSet) {
    return ParquetTable.allOf(eq(binaryColumn("account"), Binary.fromString(account)),
        eq(binaryColumn("dimensions"), Binary.fromString(dimensionSet)));
  }

  private static FilterPredicate minutes(long from, long toInclusive) {
    return ParquetTable.allOf(gtEq(longColumn("minute"), from),
        ltEq(longColumn("minute"), toInclusive));
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
