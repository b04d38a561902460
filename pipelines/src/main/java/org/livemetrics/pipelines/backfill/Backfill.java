package org.livemetrics.pipelines.backfill;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.livemetrics.pipelines.io.ReadArchive;
import org.livemetrics.pipelines.io.StoreCommitter;
import org.livemetrics.pipelines.io.StoredRows;
import org.livemetrics.pipelines.io.WriteRowsToParquet;
import org.livemetrics.schemas.StreamSession;
import org.livemetrics.transforms.broadcast.BroadcastMetrics;
import org.livemetrics.transforms.broadcast.ComputeBroadcastMetrics;
import org.livemetrics.transforms.broadcast.ParseBroadcastEvents;
import org.livemetrics.transforms.qos.ComputeQosMetrics;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.livemetrics.pipelines.io.WriteDeadLetters;
import org.livemetrics.schemas.AggregateStoreLayout;
import org.livemetrics.transforms.DurationOption;
import org.livemetrics.transforms.metrics.ComputeLiveMetrics;
import org.livemetrics.transforms.parse.ArrivalRule;
import org.livemetrics.transforms.parse.ParsePlayerEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch backfill: recomputes the live metrics of a range of hours from the raw archive and
 * replaces exactly those hours in the aggregate store.
 *
 * <pre>
 * ComputeArchiveMetrics: per archive object of the range (+ late partitions), read → decode → fold
 *   into partial rows (one step) ─┬─ combine live audience rows (range minutes) → aggregates/
 *                                 ├─ (one partial session per event) → session windows
 *                                 │    → outcomes of sessions ended in the range ─┐
 *                                 └─ combine QoS rows (range minutes) ←───────────┘ → qos/
 * ReadArchive (--broadcastArchive, from --maxStreamDuration before) → ParseBroadcastEvents
 *   → ComputeBroadcastMetrics (as of the range's end) ─┬─ minutes in the range → broadcast/
 *                                                      └─ streams started in it → streams/
 * bad records, rows a sink cannot write → WriteDeadLetters;  then StoreCommitter (every area written)
 * </pre>
 *
 * Re-running a range is idempotent: files carry the run id and the commit after a successful run
 * switches each hour of the range to it and removes the older files.
 */
public final class Backfill {
  private static final Logger LOG = LoggerFactory.getLogger(Backfill.class);
  private static final long HOUR = 3_600_000L;

  private Backfill() {}

  public static void main(String[] args) throws Exception {
    PipelineOptionsFactory.register(BackfillOptions.class);
    BackfillOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(BackfillOptions.class);
    Result result = run(options);
    System.out.println(result.summary());
  }

  /** The hours a backfill owns: the requested range widened to whole hours. */
  public record Range(long fromHour, long toHour) {
    static Range of(BackfillOptions o) {
      long from = TimeArgument.parse("from", o.getFrom());
      long to = TimeArgument.parse("to", o.getTo());
      if (to <= from) {
        throw new IllegalArgumentException("--to must be after --from");
      }
      return new Range(Math.floorDiv(from, HOUR) * HOUR, Math.floorDiv(to + HOUR - 1, HOUR) * HOUR);
    }

    public String describe() {
      DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'").withZone(ZoneOffset.UTC);
      return "[" + f.format(Instant.ofEpochMilli(fromHour)) + ", " + f.format(Instant.ofEpochMilli(toHour)) + ")";
    }
  }

  /** What a run did, from its Beam metrics. */
  public record Result(
      String runId, Range range, List<Long> partitionsRead, Map<String, Long> counters,
      long pipelineMillis, int supersededFiles, boolean dryRun) {

    public long counter(String name) {
      return counters.getOrDefault(name, 0L);
    }

    public String summary() {
      StringBuilder b = new StringBuilder();
      long events = counter("events_parsed");
      b.append("backfill ").append(runId).append(dryRun ? " dry run of " : " committed ")
          .append(range.describe()).append(" (").append(partitionsRead.size())
          .append(" archive partitions read)").append(dryRun ? ": nothing was written to the store" : "")
          .append("\n");
      b.append(String.format("  %,d events parsed in %.1f s (%,.0f events/s), %,d aggregate rows"
              + " and %,d QoS rows written%n",
          events, pipelineMillis / 1000.0, events * 1000.0 / Math.max(1, pipelineMillis),
          counter("aggregate_rows_written"), counter("qos_rows_written")));
      if (counter("broadcast_events_parsed") > 0 || counter("broadcast_rows_written") > 0) {
        b.append(String.format("  %,d broadcast events parsed, %,d broadcast minute rows and %,d"
                + " stream rows written%n", counter("broadcast_events_parsed"),
            counter("broadcast_rows_written"), counter("stream_rows_written")));
      }
      long deadLetters = counters.entrySet().stream()
          .filter(e -> e.getKey().startsWith("dead_letter_") && !e.getKey().equals("dead_letter_outside_range"))
          .mapToLong(Map.Entry::getValue).sum();
      b.append(String.format("  %,d dead letters", deadLetters));
      // Sorted: the runner reports counters in no particular order.
      new java.util.TreeMap<>(counters).forEach((k, v) -> {
        if (k.startsWith("dead_letter_") && v > 0) {
          b.append(String.format(", %s=%,d", k.substring("dead_letter_".length()), v));
        }
      });
      b.append(String.format("%n  %,d unknown metric types, %,d summary spans clamped, %,d superseded files removed",
          counter("unknown_metric_type"), counter("summary_span_clamped"), supersededFiles));
      return b.toString();
    }
  }

  public static Result run(BackfillOptions options) throws Exception {
    Range range = Range.of(options);
    Duration maxSpan = DurationOption.parse("maxSummarySpan", options.getMaxSummarySpan());
    String runId = options.getRunId().isEmpty() ? newRunId() : options.getRunId();
    if (!runId.matches("[A-Za-z0-9]+")) {
      throw new IllegalArgumentException("--runId must be letters and digits: " + runId);
    }
    ArrivalRule arrival = ParsePlayerEvents.arrivalRule(options);
    // Events in the range may arrive up to --latePartitions hours later, and a summary sent up to
    // --maxSummarySpan after the range's end can still mark minutes inside it; a player whose
    // clock runs ahead by up to --maxClockSkew sends events of the range's first minutes before it.
    long lastPartition =
        Math.floorDiv(range.toHour() - 1 + maxSpan.toMillis(), HOUR) * HOUR
            + options.getLatePartitions() * HOUR;
    List<Long> partitions = new ArrayList<>();
    for (long h = arrival.firstPartition(range.fromHour()); h <= lastPartition; h += HOUR) {
      partitions.add(h);
    }
    // An operator's typo must fail here, before anything in the store is replaced.
    FileSystems.setDefaultPipelineOptions(options);
    long objectsInRange = ArchiveCheck.objectsInRange(options.getArchive(), range.fromHour(),
        range.toHour());
    if (objectsInRange == 0 && !options.getAllowEmptyRange()) {
      throw new IllegalArgumentException(ArchiveCheck.emptyRangeMessage(options.getArchive(),
          range.fromHour(), range.toHour()));
    }
    if (!options.getBroadcastArchive().isEmpty()) {
      ArchiveCheck.requireRoot("broadcastArchive", options.getBroadcastArchive());
    }
    String store = options.getOutput();
    if (options.getDryRun()) {
      // Everything is computed and written, but to a scratch store that is removed after: the
      // real store is not touched.
      store = java.nio.file.Files.createTempDirectory("livemetrics-dry-run-").toString();
    }
    LOG.info("Backfill {}: range {} from {} partitions of {} ({} objects in the range's own)",
        runId, range.describe(), partitions.size(), options.getArchive(), objectsInRange);
    try {
      return run(options, range, runId, partitions, lastPartition, store);
    } finally {
      if (options.getDryRun()) {
        ArchiveCheck.deleteRecursively(java.nio.file.Path.of(store));
      }
    }
  }

  private static Result run(BackfillOptions options, Range range, String runId,
      List<Long> partitions, long lastPartition, String store) throws Exception {
    Pipeline pipeline = Pipeline.create(options);
    BadRecordErrorHandler<?> deadLetters =
        pipeline.registerBadRecordErrorHandler(
            WriteDeadLetters.to(store, runId, range.fromHour(), range.toHour()));
    PCollectionTuple player = pipeline.apply("PlayerMetrics", ComputeArchiveMetrics.of(
        ReadArchive.hours(options.getArchive(), partitions).withBadRecordErrorHandler(deadLetters),
        ParsePlayerEvents.from(options).withBadRecordErrorHandler(deadLetters),
        ComputeLiveMetrics.from(options).withMinuteRange(range.fromHour(), range.toHour()),
        ComputeQosMetrics.from(options).withMinuteRange(range.fromHour(), range.toHour())));
    player.get(ComputeArchiveMetrics.AGGREGATES)
        .apply("WriteAggregates", WriteRowsToParquet.aggregates(store, runId)
            .withBadRecordErrorHandler(deadLetters));
    player.get(ComputeArchiveMetrics.QOS)
        .apply("WriteQos", WriteRowsToParquet.to(StoredRows.QOS, store, runId)
            .withBadRecordErrorHandler(deadLetters));
    List<String> areas = new ArrayList<>(List.of(AggregateStoreLayout.AGGREGATES_DIR,
        AggregateStoreLayout.QOS_DIR, AggregateStoreLayout.DEAD_LETTER_DIR));
    if (!options.getBroadcastArchive().isEmpty()) {
      applyBroadcast(pipeline, options, store, range, lastPartition, runId, deadLetters);
      areas.add(AggregateStoreLayout.BROADCAST_DIR);
      areas.add(AggregateStoreLayout.STREAMS_DIR);
    }
    deadLetters.close();

    long started = System.currentTimeMillis();
    PipelineResult result = pipeline.run();
    PipelineResult.State state = result.waitUntilFinish();
    long millis = System.currentTimeMillis() - started;
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException(
          "Backfill " + runId + " ended " + state + ": nothing was committed; re-run the range");
    }
    if (options.getDryRun()) {
      return new Result(runId, range, partitions, counters(result), millis, 0, true);
    }
    int superseded =
        StoreCommitter.commit(store, runId, range.fromHour(), range.toHour(),
            areas.toArray(new String[0]));
    return new Result(runId, range, partitions, counters(result), millis, superseded, false);
  }

  /**
   * The broadcast metrics of the range, from its own archive: the broadcast minutes in the range
   * and the streams that started in it (a stream row's hour is its start's), each stated as of the
   * range's end. Channel state carries across hours, so the archive is read from
   * {@code --maxStreamDuration} before the range: a stream that started then may still be live.
   */
  private static void applyBroadcast(Pipeline pipeline, BackfillOptions options, String store,
      Range range, long lastPartition, String runId, BadRecordErrorHandler<?> deadLetters) {
    long lookback = DurationOption.parse("maxStreamDuration", options.getMaxStreamDuration()).toMillis();
    List<Long> partitions = new ArrayList<>();
    for (long h = Math.floorDiv(range.fromHour() - lookback, HOUR) * HOUR; h <= lastPartition; h += HOUR) {
      partitions.add(h);
    }
    long from = range.fromHour();
    long to = range.toHour();
    BroadcastMetrics broadcast = pipeline
        .apply("ReadBroadcastArchive", ReadArchive.hours(options.getBroadcastArchive(), partitions)
            .ofBroadcastEvents().withBadRecordErrorHandler(deadLetters))
        .apply("ParseBroadcastEvents",
            ParseBroadcastEvents.create().withBadRecordErrorHandler(deadLetters))
        .apply("ComputeBroadcastMetrics", ComputeBroadcastMetrics.from(options).withHorizon(to)
            .withBadRecordErrorHandler(deadLetters));
    broadcast.minutes()
        .apply("BroadcastMinutesInRange", Filter.by(m -> m.minute() >= from && m.minute() < to))
        .apply("WriteBroadcastMinutes",
            WriteRowsToParquet.to(StoredRows.BROADCAST_MINUTES, store, runId)
                .withBadRecordErrorHandler(deadLetters));
    StoredRows<StreamSession> streams = StoredRows.STREAMS;
    broadcast.sessions()
        .apply("StreamsInRange", Filter.by(s -> streams.partitionTime(s) >= from
            && streams.partitionTime(s) < to))
        .apply("WriteStreams", WriteRowsToParquet.to(streams, store, runId)
            .withBadRecordErrorHandler(deadLetters));
  }

  private static Map<String, Long> counters(PipelineResult result) {
    Map<String, Long> out = new LinkedHashMap<>();
    MetricQueryResults metrics = result.metrics().queryMetrics(MetricsFilter.builder().build());
    for (MetricResult<Long> c : metrics.getCounters()) {
      if (ParsePlayerEvents.METRICS_NAMESPACE.equals(c.getName().getNamespace())) {
        out.merge(c.getName().getName(), value(c), Long::sum);
      }
    }
    return out;
  }

  /** Committed where the runner reports it, else attempted. */
  private static long value(MetricResult<Long> c) {
    try {
      return c.getCommitted();
    } catch (UnsupportedOperationException e) {
      return c.getAttempted();
    }
  }

  private static String newRunId() {
    return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC).format(Instant.now())
        + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
  }
}
