package org.livemetrics.pipelines.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.BadRecordRouter;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.livemetrics.schemas.PlayerEventContract;
import org.livemetrics.transforms.observability.PipelineMetrics;
import org.livemetrics.transforms.parse.DeadLetterReason;
import org.livemetrics.transforms.parse.DeadLetterRouter;
import org.livemetrics.transforms.parse.ParsePlayerEvents;
import org.livemetrics.transforms.parse.RawRecord;
import org.livemetrics.transforms.parse.RecordFramer;
import org.livemetrics.transforms.parse.RecordRejectedException;
import org.livemetrics.transforms.parse.RejectedRecord;

/**
 * Reads the hour partitions of a Firehose-style archive (local path or {@code s3://}) as blocks of
 * whole records. Objects may be gzip or plain (told by their magic bytes, not their names) and
 * hold newline-delimited or concatenated JSON; blocks are cut only between records, so parsing can
 * proceed block by block in constant memory whatever the object size.
 *
 * <p>An object that cannot be read to its end (e.g. a truncated gzip stream) keeps the records
 * read before the damage and sends a dead letter ({@code unreadable_object}) for the rest.
 */
public final class ReadArchive extends PTransform<PBegin, PCollection<RawRecord>> {
  static final int BLOCK_BYTES = 1 << 20;
  /**
   * The largest block: twice a record's limit, so a record of up to
   * {@link PlayerEventContract#MAX_RECORD_BYTES} always fits in one block beside others.
   */
  static final int MAX_BUFFER_BYTES = 2 * PlayerEventContract.MAX_RECORD_BYTES;

  private static final TupleTag<RawRecord> BLOCKS = new TupleTag<RawRecord>() {};

  private final String root;
  private final List<Long> hours;
  private final ErrorHandler<BadRecord, ?> errorHandler;
  private final BadRecordRouter router;

  private final PipelineMetrics.Source metricsSource;

  private ReadArchive(String root, List<Long> hours, ErrorHandler<BadRecord, ?> handler,
      BadRecordRouter router, PipelineMetrics.Source metricsSource) {
    this.root = root;
    this.hours = hours;
    this.errorHandler = handler;
    this.router = router;
    this.metricsSource = metricsSource;
  }

  /** Reads the partitions of the given arrival hours (epoch ms of each hour's start). */
  public static ReadArchive hours(String root, List<Long> hourStarts) {
    if (root == null || root.isEmpty()) {
      throw new IllegalArgumentException("--archive is required: a local path or s3://bucket/prefix");
    }
    return new ReadArchive(root, List.copyOf(hourStarts), new ErrorHandler.DefaultErrorHandler<>(),
        BadRecordRouter.THROWING_ROUTER, PipelineMetrics.Source.ARCHIVE_PLAYER);
  }

  public ReadArchive withBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler) {
    return new ReadArchive(root, hours, handler, DeadLetterRouter.INSTANCE, metricsSource);
  }

  /** An archive of broadcast events: its records count as {@code source="archive_broadcast"}. */
  public ReadArchive ofBroadcastEvents() {
    return new ReadArchive(root, hours, errorHandler, router,
        PipelineMetrics.Source.ARCHIVE_BROADCAST);
  }

  @Override
  public PCollection<RawRecord> expand(PBegin begin) {
    PCollectionTuple out =
        begin
            .apply("Objects", objects())
            .apply("ReadBlocks", ParDo.of(new ReadBlocksFn(reading()))
                .withOutputTags(BLOCKS, TupleTagList.of(BadRecordRouter.BAD_RECORD_TAG)));
    errorHandler.addErrorCollection(
        out.get(BadRecordRouter.BAD_RECORD_TAG).setCoder(BadRecord.getCoder(begin.getPipeline())));
    return out.get(BLOCKS).setCoder(RawRecord.Coder.of());
  }

  /** The objects of the partitions, spread over the workers, each to be read by {@link #reading()}. */
  public PTransform<PBegin, PCollection<FileIO.ReadableFile>> objects() {
    return new PTransform<>("Objects") {
      @Override
      public PCollection<FileIO.ReadableFile> expand(PBegin begin) {
        List<String> patterns = new ArrayList<>();
        for (long h : hours) {
          patterns.add(ArchivePaths.hourDirectory(root, h) + "/*");
        }
        return begin
            .apply("HourPartitions", Create.of(patterns).withCoder(StringUtf8Coder.of()))
            // Missing hours are normal (no traffic): match them as empty. matchAll reshuffles
            // its matches, so objects spread over the workers.
            .apply("MatchObjects", FileIO.matchAll().withEmptyMatchTreatment(
                org.apache.beam.sdk.io.fs.EmptyMatchTreatment.ALLOW))
            .apply("OpenObjects", FileIO.readMatches().withCompression(Compression.UNCOMPRESSED));
      }
    };
  }

  /**
   * Reading one object into blocks, for a DoFn that does more with each block than output it (the
   * backfill decodes and folds them at once). Its bad records go to the DoFn's
   * {@link BadRecordRouter#BAD_RECORD_TAG} output, which the caller hands to {@link #errorHandler()}.
   */
  public ObjectReading reading() {
    return new ObjectReading(router, metricsSource);
  }

  /** The handler given with {@link #withBadRecordErrorHandler}. */
  public ErrorHandler<BadRecord, ?> errorHandler() {
    return errorHandler;
  }

  /** What a block read goes to. */
  public interface BlockSink {
    void block(RawRecord block) throws Exception;
  }

  /**
   * Reads an object as blocks of whole records. Metrics: {@code archive_objects_read},
   * {@code archive_bytes_read}, records read, and the dead letters it sends.
   */
  public static final class ObjectReading implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final BadRecordRouter router;
    private final Counter objects = Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, "archive_objects_read");
    private final Counter bytes = Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, "archive_bytes_read");
    private final Counter unreadable = Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE,
        "dead_letter_" + DeadLetterReason.UNREADABLE_OBJECT.code());
    private final Counter tooLarge = Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE,
        "dead_letter_" + DeadLetterReason.RECORD_TOO_LARGE.code());
    private final Counter records;

    ObjectReading(BadRecordRouter router, PipelineMetrics.Source source) {
      this.router = router;
      this.records = PipelineMetrics.recordsRead(source, PipelineMetrics.ARCHIVE_SHARD);
    }

    /** Reads {@code file}: blocks to {@code blocks}, bad records to {@code out}'s bad-record tag. */
    public void read(FileIO.ReadableFile file, BlockSink blocks, DoFn.MultiOutputReceiver out)
        throws Exception {
      String source = file.getMetadata().resourceId().toString();
      objects.inc();
      Long hour = ArchivePaths.arrivalHour(source);
      BlockReader reader = new BlockReader(source,
          hour == null ? RawRecord.UNKNOWN_ARRIVAL : hour,
          blocks::block,
          (rejected, why) -> {
            tooLarge.inc();
            route(out, rejected, why);
          });
      try (InputStream in = open(file)) {
        reader.readAll(in);
      } catch (IOException e) {
        reader.flushCompleteRecords();
        unreadable.inc();
        RecordRejectedException why = new RecordRejectedException(
            DeadLetterReason.UNREADABLE_OBJECT,
            e + " after " + reader.bytesRead() + " bytes (records before it were kept)");
        route(out, reader.pendingRecord(), why);
      }
      bytes.inc(reader.bytesRead());
      // Lines read: a record never spans lines; concatenated objects on one line count once.
      records.inc(reader.linesRead());
    }

    private void route(DoFn.MultiOutputReceiver out, RejectedRecord record,
        RecordRejectedException why) throws Exception {
      router.route(out, record, SerializableCoder.of(RejectedRecord.class), why, why.getMessage());
    }

    private static InputStream open(FileIO.ReadableFile file) throws IOException {
      return decompressed(Channels.newInputStream(file.open()));
    }
  }

  static final class ReadBlocksFn extends DoFn<FileIO.ReadableFile, RawRecord> {
    private final ObjectReading reading;

    ReadBlocksFn(ObjectReading reading) {
      this.reading = reading;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out) throws Exception {
      OutputReceiver<RawRecord> blocks = out.get(BLOCKS);
      reading.read(file, blocks::output, out);
    }
  }

  /** An archive object's records, gunzipped if it is gzip. */
  static InputStream decompressed(InputStream object) throws IOException {
    BufferedInputStream in = new BufferedInputStream(object, 1 << 16);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    // Firehose names gzip objects .gz, but not every producer does: trust the magic bytes.
    if (b1 == 0x1f && b2 == 0x8b) {
      return new GZIPInputStream(in, 1 << 16);
    }
    return in;
  }

  /**
   * Cuts a stream into blocks of whole records and counts lines, so dead letters can say where.
   * Memory is bounded whatever the input: a block is at most {@link #MAX_BUFFER_BYTES}, and a
   * record with no end in sight by then (a line of a gigabyte, a decompression bomb) is skipped to
   * the end of its line, hashed as it streams past, and becomes one {@code record_too_large} dead
   * letter with its prefix, length and SHA-256.
   */
  static final class BlockReader {
    interface Sink {
      void block(RawRecord block) throws Exception;
    }

    interface Rejections {
      void rejected(RejectedRecord record, RecordRejectedException why) throws Exception;
    }

    private final String source;
    private final long arrival;
    private final Sink sink;
    private final Rejections rejections;
    private byte[] buf = new byte[BLOCK_BYTES];
    private int len;
    private long nextLine = 1;
    private boolean openLine;
    private long bytesRead;

    // While skipping an over-long record: its prefix, hash and length so far.
    private MessageDigest skippedHash;
    private String skippedPrefix;
    private long skippedBytes;

    BlockReader(String source, long arrival, Sink sink, Rejections rejections) {
      this.source = source;
      this.arrival = arrival;
      this.sink = sink;
      this.rejections = rejections;
    }

    void readAll(InputStream in) throws Exception {
      while (true) {
        int n = in.read(buf, len, buf.length - len);
        if (n < 0) {
          break;
        }
        bytesRead += n;
        if (skippedHash != null) {
          int newline = indexOf(buf, len, len + n, (byte) '\n');
          if (newline < 0) {
            skippedHash.update(buf, len, n);
            skippedBytes += n;
            continue;
          }
          skippedHash.update(buf, len, newline - len);
          skippedBytes += newline - len;
          endSkip();
          // The newline ends the skipped line; what follows is read as usual.
          System.arraycopy(buf, newline + 1, buf, 0, len + n - newline - 1);
          len = len + n - newline - 1;
          nextLine++;
          continue;
        }
        len += n;
        if (len < buf.length) {
          continue;
        }
        // NDJSON: cut after the last newline (records never span lines). Concatenated JSON on
        // one long line: find the last record boundary.
        int cut = lastNewline(buf, len);
        if (cut == 0) {
          cut = RecordFramer.lastBoundary(buf, 0, len);
        }
        if (cut == 0) {
          if (buf.length >= MAX_BUFFER_BYTES) {
            startSkip();
            continue;
          }
          buf = Arrays.copyOf(buf, Math.min(MAX_BUFFER_BYTES, buf.length * 2));
          continue;
        }
        emit(cut);
      }
      if (skippedHash != null) {
        endSkip();
        openLine = true;
      }
      if (len > 0) {
        emit(len);
      }
    }

    /** The buffer holds the start of one record longer than it: hash it past, keep its prefix. */
    private void startSkip() {
      skippedHash = RejectedRecord.sha256();
      skippedHash.update(buf, 0, len);
      skippedPrefix = RejectedRecord.prefix(buf, 0, len);
      skippedBytes = len;
      len = 0;
    }

    private void endSkip() throws Exception {
      RejectedRecord record = new RejectedRecord(source, nextLine, skippedPrefix, skippedBytes,
          HexFormat.of().formatHex(skippedHash.digest()));
      skippedHash = null;
      skippedPrefix = null;
      rejections.rejected(record, new RecordRejectedException(DeadLetterReason.RECORD_TOO_LARGE,
          String.format("a record of %,d bytes with no end within %,d bytes: skipped to the end of "
              + "its line", record.getRecordBytes(), MAX_BUFFER_BYTES)));
    }

    private static int indexOf(byte[] buf, int from, int to, byte b) {
      for (int i = from; i < to; i++) {
        if (buf[i] == b) {
          return i;
        }
      }
      return -1;
    }

    private static int lastNewline(byte[] buf, int len) {
      for (int i = len - 1; i >= 0; i--) {
        if (buf[i] == '\n') {
          return i + 1;
        }
      }
      return 0;
    }

    private void emit(int cut) throws Exception {
      byte[] block = Arrays.copyOf(buf, cut);
      sink.block(new RawRecord(source, nextLine, block, arrival));
      openLine = block.length > 0 && block[block.length - 1] != '\n';
      for (byte b : block) {
        if (b == '\n') {
          nextLine++;
        }
      }
      System.arraycopy(buf, cut, buf, 0, len - cut);
      len -= cut;
    }

    /** After a read error: passes on the whole records still buffered; the rest stays pending. */
    void flushCompleteRecords() throws Exception {
      if (skippedHash != null) {
        return; // the over-long record was being skipped: it is what is pending
      }
      int cut = RecordFramer.lastBoundary(buf, 0, len);
      if (cut > 0) {
        emit(cut);
      }
    }

    long bytesRead() {
      return bytesRead;
    }

    /** Lines passed on so far, a last one without a newline included. */
    long linesRead() {
      return nextLine - 1 + (openLine ? 1 : 0);
    }

    /** What was read but not passed on when the object could not be read further. */
    RejectedRecord pendingRecord() {
      if (skippedHash != null) {
        return new RejectedRecord(source, nextLine, skippedPrefix, skippedBytes,
            HexFormat.of().formatHex(skippedHash.digest()));
      }
      return RejectedRecord.of(source, nextLine, buf, 0, len);
    }
  }
}
