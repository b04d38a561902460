package org.livemetrics.pipelines.io;

import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.livemetrics.transforms.observability.PipelineMetrics;
import org.livemetrics.transforms.parse.ParsePlayerEvents;
import org.livemetrics.transforms.parse.RawRecord;

/**
 * The raw archive the streaming pipeline keeps, as the delivery stream would: every record, valid
 * or not, as its UTF-8 text (one record per line), gzip, under {@code ROOT/YYYY/MM/DD/HH/} by the
 * record's arrival time (its element timestamp, set by the source). The backfill reads it back
 * with {@link ReadArchive}, so any range can be recomputed.
 */
public final class WriteRawArchive extends PTransform<PCollection<RawRecord>, WriteFilesResult<String>> {
  private final String root;
  private final String streamId;
  private final Duration flushInterval;
  private final int shards;

  private WriteRawArchive(String root, String streamId, Duration flushInterval, int shards) {
    this.root = root;
    this.streamId = streamId;
    this.flushInterval = flushInterval;
    this.shards = shards;
  }

  public static WriteRawArchive to(String root, String streamId, Duration flushInterval) {
    return new WriteRawArchive(root, streamId, flushInterval, 1);
  }

  /** Files per hour directory per flush (default 1): more for a stream one writer cannot keep up with. */
  public WriteRawArchive withShards(int shards) {
    return new WriteRawArchive(root, streamId, flushInterval, shards);
  }

  @Override
  public WriteFilesResult<String> expand(PCollection<RawRecord> records) {
    return records
        .apply("ByArrivalHour", ParDo.of(new ByArrivalHourFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply("FlushEvery", FlushEvery.of(flushInterval))
        .apply("WriteGzipLines",
            FileIO.<String, KV<String, String>>writeDynamic()
                .by(KV::getKey)
                .withDestinationCoder(StringUtf8Coder.of())
                .via(Contextful.fn(KV::getValue), TextIO.sink())
                .to(root)
                .withNumShards(shards)
                .withCompression(Compression.GZIP)
                .withNaming(hour -> new StreamedFileNaming(hour, "livemetrics-", streamId, "")));
  }

  /** (YYYY/MM/DD/HH of arrival, the record's text without a trailing newline). */
  static final class ByArrivalHourFn extends DoFn<RawRecord, KV<String, String>> {
    private final Counter archived =
        Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, "raw_records_archived");
    private final Counter archiveRecordsWritten = PipelineMetrics.archiveRecordsWritten();

    @ProcessElement
    public void process(
        @Element RawRecord r, @Timestamp Instant arrival, OutputReceiver<KV<String, String>> out) {
      String text = new String(r.payload(), StandardCharsets.UTF_8);
      int end = text.length();
      while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
        end--;
      }
      archived.inc();
      archiveRecordsWritten.inc();
      out.output(KV.of(ArchivePaths.hourDirectory("", arrival.getMillis()).substring(1),
          text.substring(0, end)));
    }
  }
}
