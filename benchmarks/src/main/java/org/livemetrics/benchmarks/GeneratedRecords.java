package org.livemetrics.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.livemetrics.pipelines.io.LocalArchive;
import org.livemetrics.pipelines.kinesis.ReadInBatches;
import org.livemetrics.transforms.parse.RawRecord;

/**
 * The records of a generated archive as an in-process, unbounded source: the streaming pipeline
 * with no broker in front of it. An unbounded {@link GenerateSequence} (one reader per parallel
 * subtask, each taking every p-th index) whose i-th element becomes the archive's i-th record.
 *
 * <p>Its reader's records reach the runner in batches ({@link ReadInBatches}), as the Kinesis
 * source's do. It behaves as the Kinesis source does ({@code ReadPlayerRecordsFromKinesis}): each record is
 * stamped with its arrival (the clock when it is emitted), and the watermark follows event time,
 * the largest {@code event_time} read so far less {@code maxWatermarkDelay}; so the minutes close,
 * and too-late events are routed, as they would be reading the same records from a stream.
 *
 * <p>Indices past the last record are dropped: the sequence keeps counting until the job is
 * cancelled. The records are held in memory, once per JVM (the embedded engine's tasks share the
 * benchmark's class loader); {@link #load} reads them before the job starts so that reading the
 * archive is not timed.
 */
final class GeneratedRecords extends PTransform<PBegin, PCollection<RawRecord>> {
  private static final ConcurrentHashMap<String, Loaded> LOADED = new ConcurrentHashMap<>();

  private final String archive;
  private final long maxDelayMillis;

  private GeneratedRecords(String archive, long maxDelayMillis) {
    this.archive = archive;
    this.maxDelayMillis = maxDelayMillis;
  }

  static GeneratedRecords of(Path archive, Duration maxWatermarkDelay) {
    return new GeneratedRecords(archive.toAbsolutePath().toString(), maxWatermarkDelay.getMillis());
  }

  /** The archive's records and their watermarks, read once per JVM. */
  static Loaded load(Path archive) {
    return LOADED.computeIfAbsent(archive.toAbsolutePath().toString(), Loaded::read);
  }

  @Override
  public PCollection<RawRecord> expand(PBegin begin) {
    return begin
        // In batches, as the pipeline reads Kinesis (ReadPlayerRecordsFromKinesis).
        .apply("Count", ReadInBatches.from(ReadInBatches.sourceOf(
            GenerateSequence.from(0).withTimestampFn(new Watermark(archive, maxDelayMillis)),
            begin.getPipeline().getOptions())))
        .apply("ToRecords", ParDo.of(new ToRecordFn(archive)))
        .setCoder(RawRecord.Coder.of());
  }

  /** The records in archive (arrival) order, and the event-time watermark after each. */
  static final class Loaded {
    final List<byte[]> records;
    /** watermark[i]: the largest event_time of records 0..i (Long.MIN_VALUE before the first). */
    final long[] watermark;

    private Loaded(List<byte[]> records) {
      this.records = records;
      this.watermark = new long[records.size()];
      long max = Long.MIN_VALUE;
      for (int i = 0; i < records.size(); i++) {
        max = Math.max(max, firstEventTime(records.get(i)));
        watermark[i] = max;
      }
    }

    static Loaded read(String archive) {
      List<byte[]> records = new ArrayList<>();
      try {
        LocalArchive.forEachRecord(Path.of(archive), (r, object, line) -> records.add(r));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the benchmark archive " + archive, e);
      }
      return new Loaded(records);
    }

    int size() {
      return records.size();
    }
  }

  /**
   * The first {@code event_time} of a record (a number, or digits in a string, as players send
   * it), or {@link Long#MIN_VALUE} for a record without a readable one (the broken records).
   */
  static long firstEventTime(byte[] record) {
    try (JsonParser p = JSON.createParser(record)) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_ARRAY) {
        t = p.nextToken();
      }
      if (t != JsonToken.START_OBJECT) {
        return Long.MIN_VALUE;
      }
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        t = p.nextToken();
        if (!field.equals("event_time")) {
          p.skipChildren();
          continue;
        }
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
          return (long) p.getDoubleValue();
        }
        if (t == JsonToken.VALUE_STRING) {
          return (long) Double.parseDouble(p.getText().trim());
        }
        return Long.MIN_VALUE;
      }
    } catch (IOException | NumberFormatException e) {
      // a broken record: no event time
    }
    return Long.MIN_VALUE;
  }

  private static final JsonFactory JSON = new JsonFactory();

  /** The sequence's timestamps, which are its watermark: never decreasing along an index's reader. */
  static final class Watermark implements SerializableFunction<Long, Instant> {
    private final String archive;
    private final long maxDelayMillis;
    private transient long[] watermark;

    Watermark(String archive, long maxDelayMillis) {
      this.archive = archive;
      this.maxDelayMillis = maxDelayMillis;
    }

    @Override
    public Instant apply(Long i) {
      if (watermark == null) {
        watermark = load(Path.of(archive)).watermark;
      }
      // A reader asks for its watermark before its first index too (its start less its stride).
      long w = i < 0 ? Long.MIN_VALUE : watermark[(int) Math.min(i, watermark.length - 1)];
      return w == Long.MIN_VALUE ? BoundedWindow.TIMESTAMP_MIN_VALUE : new Instant(w - maxDelayMillis);
    }
  }

  /** Index → record, stamped with its arrival; indices past the end are dropped. */
  static final class ToRecordFn extends DoFn<Long, RawRecord> {
    private final String archive;
    private transient List<byte[]> records;

    ToRecordFn(String archive) {
      this.archive = archive;
    }

    @Setup
    public void setup() {
      records = load(Path.of(archive)).records;
    }

    @ProcessElement
    public void process(@Element Long i, OutputReceiver<RawRecord> out) {
      if (i < records.size()) {
        out.outputWithTimestamp(new RawRecord("generated:" + i, 1, records.get(i.intValue())),
            Instant.now());
      }
    }
  }
}
