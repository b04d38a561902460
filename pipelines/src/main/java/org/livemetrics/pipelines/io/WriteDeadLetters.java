package org.livemetrics.pipelines.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.livemetrics.schemas.AggregateStoreLayout;
import org.livemetrics.transforms.observability.PipelineMetrics;
import org.livemetrics.transforms.parse.DeadLetterReason;
import org.livemetrics.transforms.parse.ParsePlayerEvents;
import org.livemetrics.transforms.parse.RejectedRecord;

/**
 * The dead-letter sink: each bad record as one JSON line
 * ({@code {"reason","detail","source","line","record","record_bytes","record_sha256"}}: the
 * record cut to {@link RejectedRecord#MAX_KEPT_BYTES} bytes, its whole length and hash; for a row a
 * sink refused, {@code {"reason":"unwritable_row","detail","sink","table","key"}} in the row's
 * hour) under
 * {@code ROOT/dead-letter/hour=<arrival hour of its source>/part-<run>-*.jsonl}.
 *
 * <p>A record belongs to the arrival hour of the archive object it came from, so a backfill writes
 * (and on re-run replaces) exactly the dead letters of the partitions it owns; those it read from
 * neighbouring partitions (late data) are left to the backfill of their own hours and counted in
 * {@code dead_letter_outside_range}.
 */
public final class WriteDeadLetters
    extends PTransform<PCollection<BadRecord>, WriteFilesResult<String>> {
  private final String storeRoot;
  private final String runId;
  private final long fromHour;
  private final long toHour;
  private final @Nullable Duration flushInterval;

  private WriteDeadLetters(
      String storeRoot, String runId, long fromHour, long toHour, @Nullable Duration flushInterval) {
    this.storeRoot = storeRoot;
    this.runId = runId;
    this.fromHour = fromHour;
    this.toHour = toHour;
    this.flushInterval = flushInterval;
  }

  /** Writes the dead letters of sources whose arrival hour lies in {@code [fromHour, toHour)}. */
  public static WriteDeadLetters to(String storeRoot, String runId, long fromHour, long toHour) {
    return new WriteDeadLetters(storeRoot, runId, fromHour, toHour, null);
  }

  /**
   * The streaming pipeline's dead letters: every {@code flushInterval}, into the hour of each bad
   * record's timestamp (a record that failed parsing: its arrival; a too-late event: its
   * event_time), named after the stream id like the other streaming files.
   */
  public static WriteDeadLetters streaming(String storeRoot, String streamId, Duration flushInterval) {
    return new WriteDeadLetters(storeRoot, streamId, Long.MIN_VALUE, Long.MAX_VALUE, flushInterval);
  }

  @Override
  public WriteFilesResult<String> expand(PCollection<BadRecord> badRecords) {
    PCollection<KV<String, String>> lines = badRecords
        .apply("ToJsonLines", ParDo.of(new ToJsonLineFn(fromHour, toHour, flushInterval != null)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    FileIO.Write<String, KV<String, String>> write =
        FileIO.<String, KV<String, String>>writeDynamic()
            .by(KV::getKey)
            .withDestinationCoder(StringUtf8Coder.of())
            .via(Contextful.fn(KV::getValue), TextIO.sink())
            .to(AggregateStoreLayout.join(storeRoot, AggregateStoreLayout.DEAD_LETTER_DIR));
    if (flushInterval == null) {
      return lines.apply("WriteJsonLines", write.withNaming(hour -> FileIO.Write.defaultNaming(
          hour + "/" + AggregateStoreLayout.PART_PREFIX + runId, ".jsonl")));
    }
    return lines
        .apply("FlushEvery", FlushEvery.of(flushInterval))
        .apply("WriteJsonLines", write.withNumShards(1).withNaming(hour ->
            new StreamedFileNaming(hour, AggregateStoreLayout.PART_PREFIX, runId, ".jsonl")));
  }

  /** A dead letter as (hour partition, JSON line). */
  static final class ToJsonLineFn extends DoFn<BadRecord, KV<String, String>> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final long fromHour;
    private final long toHour;
    private final Counter written = Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, "dead_letters_written");
    private final Counter outside = Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, "dead_letter_outside_range");

    private final boolean byTimestamp;
    private transient Map<String, Counter> byReason;

    ToJsonLineFn(long fromHour, long toHour, boolean byTimestamp) {
      this.fromHour = fromHour;
      this.toHour = toHour;
      this.byTimestamp = byTimestamp;
    }

    @ProcessElement
    public void process(
        @Element BadRecord bad, @Timestamp Instant timestamp, OutputReceiver<KV<String, String>> out)
        throws IOException {
      String description = bad.getFailure().getDescription();
      int colon = description.indexOf(':');
      ObjectNode line = JSON.createObjectNode();
      line.put("reason", colon > 0 ? description.substring(0, colon) : description);
      line.put("detail", colon > 0 ? description.substring(colon + 1).trim() : "");
      String source = null;
      Long rowHour = null;
      JsonNode record = parse(bad.getRecord().getHumanReadableJsonRecord());
      if (record != null && record.has("source") && record.has("record")) {
        source = record.get("source").asText();
        line.put("source", source);
        line.put("line", record.path("line").asLong());
        line.put("record", record.get("record").asText());
        if (record.has("recordBytes")) {
          line.put("record_bytes", record.get("recordBytes").asLong());
          line.put("record_sha256", record.path("recordSha256").asText());
        }
      } else if (record != null && record.has("table") && record.has("key")) {
        // A row a sink refused (UnwritableRow): filed under the row's own hour partition.
        line.put("sink", record.path("sink").asText());
        line.put("table", record.get("table").asText());
        line.put("key", record.get("key").asText());
        rowHour = record.path("hour").isNumber() ? record.get("hour").asLong() : null;
      } else {
        // Not a RejectedRecord: its JSON form, bounded like any kept record.
        String json = String.valueOf(bad.getRecord().getHumanReadableJsonRecord());
        byte[] bytes = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        RejectedRecord kept = RejectedRecord.of("", 0, bytes, 0, bytes.length);
        line.put("record", kept.getRecord());
        line.put("record_bytes", kept.getRecordBytes());
        line.put("record_sha256", kept.getRecordSha256());
      }
      Long hour = rowHour != null ? rowHour
          : byTimestamp ? Long.valueOf(timestamp.getMillis())
          : source == null ? null : ArchivePaths.arrivalHour(source);
      if (hour != null && (hour < fromHour || hour >= toHour)) {
        outside.inc();
        return;
      }
      written.inc();
      countReason(line.get("reason").asText());
      long partition = hour != null ? hour : fromHour;
      out.output(KV.of(AggregateStoreLayout.hourPartition(partition), JSON.writeValueAsString(line)));
    }

    /** Every dead letter, too_late included, is counted here once, under its reason. */
    private void countReason(String reason) {
      if (byReason == null) {
        byReason = new HashMap<>();
      }
      // Reasons come from DeadLetterReason; anything else is one bounded "other".
      String label = KNOWN_REASONS.contains(reason) ? reason : "other";
      byReason.computeIfAbsent(label, PipelineMetrics::deadLetters).inc();
    }

    private static final Set<String> KNOWN_REASONS = Arrays.stream(DeadLetterReason.values())
        .map(DeadLetterReason::code).collect(Collectors.toUnmodifiableSet());

    private static JsonNode parse(String json) {
      try {
        return JSON.readTree(json);
      } catch (IOException e) {
        return null;
      }
    }
  }
}
