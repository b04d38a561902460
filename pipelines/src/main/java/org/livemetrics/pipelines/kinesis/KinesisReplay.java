package org.livemetrics.pipelines.kinesis;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.livemetrics.pipelines.io.LocalArchive;
import org.livemetrics.schemas.UtcTime;
import org.livemetrics.testdata.ArchiveGenerator;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/**
 * Puts player events into a Kinesis stream at a steady rate, as the players would: from a recorded
 * archive ({@code ROOT/YYYY/MM/DD/HH/<objects>}, gzip or plain, as Firehose, {@code livemetrics
 * generate} and the sample write it) or from events {@link ArchiveGenerator} makes for a time range.
 *
 * <p>Each archive record becomes one Kinesis record, byte for byte (an event, a JSON-array batch, or
 * a broken record: the pipeline's dead-letter path gets its share), partitioned by {@code
 * session_id} so a session's events stay in order on one shard. Records go out in PutRecords calls
 * of at most 500 records and 5 MiB; entries a call reports as failed (throttling, internal errors)
 * are sent again with exponential back-off, so a record may arrive after ones that followed it.
 *
 * <p>{@code --restamp} shifts every {@code event_time} by (now − the first event's time), so a
 * recorded archive replays as live events, spacing and order kept; only those digits change.
 */
public final class KinesisReplay {
  /** PutRecords limits. */
  static final int MAX_BATCH_RECORDS = 500;
  static final int MAX_BATCH_BYTES = 5 << 20;
  static final int MAX_RECORD_BYTES = 1 << 20;
  /** How long a batch may wait for more records before it goes out: about 10 calls a second. */
  private static final long LINGER_MILLIS = 100;
  /** A pacer this far behind (slow server, back-off) starts afresh instead of bursting to catch up. */
  private static final long MAX_CATCH_UP_MILLIS = 1_000;

  /** Options of {@code livemetrics replay}. */
  public interface Options extends KinesisOptions {
    @Description("Archive directory to replay (ROOT/YYYY/MM/DD/HH/<objects>, gzip or plain). "
        + "Without it, events are generated for [--from, --to).")
    @Default.String("")
    String getArchive();

    void setArchive(String value);

    @Description("Start of the generated events' time range (UTC: 2026-11-22T05:00:00Z, "
        + "2026-11-22T05, 2026-11-22 or epoch ms). Only without --archive.")
    @Default.String("")
    String getFrom();

    void setFrom(String value);

    @Description("End of the generated events' time range (exclusive), same forms as --from.")
    @Default.String("")
    String getTo();

    void setTo(String value);

    @Description("Seed of the generated events (same seed, same events).")
    @Default.Long(42)
    long getSeed();

    void setSeed(long value);

    @Description("Concurrent viewers of the generated events.")
    @Default.Integer(40)
    int getViewers();

    void setViewers(int value);

    @Description("Videos of the generated events.")
    @Default.Integer(2)
    int getVideos();

    void setVideos(int value);

    @Description("account_id of the generated events.")
    @Default.String("default")
    String getAccount();

    void setAccount(String value);

    @Description("Records put per second (one archive record is one Kinesis record, nearly "
        + "always one event); 0 for as fast as the stream takes them.")
    @Default.Double(1000)
    double getRate();

    void setRate(double value);

    @Description("Shift every event_time by (now - the first event's time), so a recorded archive "
        + "replays as live events; spacing and order are kept.")
    @Default.Boolean(false)
    boolean getRestamp();

    void setRestamp(boolean value);

    @Description("Also wait until the clock reaches each record's (re-stamped) event_time before "
        + "putting it, so events arrive at their recorded pace; --rate still caps. Needs --restamp.")
    @Default.Boolean(false)
    boolean getFollowEventTime();

    void setFollowEventTime(boolean value);

    @Description("Stop after this many records; 0 for all.")
    @Default.Long(0)
    long getLimit();

    void setLimit(long value);

    @Description("Create the stream with this many shards first if it does not exist; 0 to "
        + "require an existing stream.")
    @Default.Integer(0)
    int getCreateShards();

    void setCreateShards(int value);

    @Description("Attempts per record (PutRecords partial failures, throttling, network errors) "
        + "before the replay gives up.")
    @Default.Integer(10)
    int getMaxAttempts();

    void setMaxAttempts(int value);
  }

  /** How to send. {@code rate} 0 means unlimited. */
  public record Settings(double rate, boolean restamp, boolean followEventTime, long limit,
      int maxAttempts) {
    public Settings {
      if (!(rate >= 0) || Double.isInfinite(rate)) {
        throw new IllegalArgumentException("--rate must be a number >= 0 (0 = unlimited), was " + rate);
      }
      if (followEventTime && !restamp) {
        throw new IllegalArgumentException("--followEventTime needs --restamp: recorded event times"
            + " are in the past, so there would be nothing to wait for");
      }
      if (limit < 0) {
        throw new IllegalArgumentException("--limit must be >= 0 (0 = all), was " + limit);
      }
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("--maxAttempts must be >= 1, was " + maxAttempts);
      }
    }

    public static Settings atRate(double rate) {
      return new Settings(rate, false, false, 0, 10);
    }

    public Settings withRestamp(boolean restamp) {
      return new Settings(rate, restamp, followEventTime, limit, maxAttempts);
    }

    public Settings withLimit(long limit) {
      return new Settings(rate, restamp, followEventTime, limit, maxAttempts);
    }
  }

  /** What a replay did. {@code shiftMillis} is 0 without --restamp. */
  public record Summary(long records, long events, long bytes, long putCalls, long retriedEntries,
      long skippedRecords, long elapsedMillis, long shiftMillis,
      SortedMap<String, Long> recordsByShard) {

    public double recordsPerSecond() {
      return records * 1000.0 / Math.max(1, elapsedMillis);
    }

    public String oneLine() {
      return String.format(Locale.ROOT,
          "replayed %,d records (%,d events, %,d bytes) in %.1f s, %,.0f records/s, %,d PutRecords"
              + " calls, %,d failed entries retried, %,d skipped%s; by shard %s",
          records, events, bytes, elapsedMillis / 1000.0, recordsPerSecond(), putCalls,
          retriedEntries, skippedRecords,
          shiftMillis == 0 ? "" : ", event_time shifted by " + Duration.ofMillis(shiftMillis),
          recordsByShard);
    }
  }

  private final KinesisClient kinesis;
  private final String stream;
  private final Settings settings;
  private final PrintStream progress;

  // Progress, read by the reporter thread.
  private final AtomicLong sentRecords = new AtomicLong();
  private final AtomicLong sentEvents = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();

  private final List<PutRecordsRequestEntry> batch = new ArrayList<>();
  private final SortedMap<String, Long> byShard = new TreeMap<>();
  private int batchBytes;
  private long batchEvents;
  private long batchFirstDue;
  private long batchLastDue;
  private long pacerStart;
  private long paced;
  private long bytes;
  private long putCalls;
  private long skipped;
  private boolean shiftKnown;
  private long shift;

  /**
   * @param progress where the once-a-second progress line goes (the CLI's stderr), or null for none
   */
  public KinesisReplay(KinesisClient kinesis, String stream, Settings settings, PrintStream progress) {
    this.kinesis = kinesis;
    this.stream = stream;
    this.settings = settings;
    this.progress = progress;
  }

  /** Replays the records of an archive directory, in arrival order. */
  public Summary replayArchive(Path root) throws IOException {
    LocalArchive.objects(root); // fails early, before any record is sent, if it is no archive
    return replay(sink -> LocalArchive.forEachRecord(root, (record, object, line) -> sink.accept(record)));
  }

  /** Generates the archive of {@code config} in a scratch directory and replays it. */
  public Summary replayGenerated(ArchiveGenerator.Config config) throws IOException {
    Path dir = Files.createTempDirectory("livemetrics-replay");
    try {
      new ArchiveGenerator(config).generate(dir);
      return replayArchive(dir);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** A source of records: calls the sink for each, in order. */
  @FunctionalInterface
  public interface RecordSource {
    void forEach(RecordConsumer sink) throws IOException;
  }

  @FunctionalInterface
  public interface RecordConsumer {
    void accept(byte[] record);
  }

  /** Replays the records of {@code source}. */
  public Summary replay(RecordSource source) throws IOException {
    long started = System.currentTimeMillis();
    pacerStart = started;
    ScheduledExecutorService reporter = progress == null ? null : startReporter(started);
    try {
      source.forEach(this::add);
    } catch (LimitReached e) {
      // --limit records sent
    } finally {
      try {
        flush();
      } finally {
        if (reporter != null) {
          reporter.shutdownNow();
          printProgress(started, -1);
        }
      }
    }
    return new Summary(sentRecords.get(), sentEvents.get(), bytes, putCalls, retried.get(), skipped,
        System.currentTimeMillis() - started, shift, new TreeMap<>(byShard));
  }

  private static final class LimitReached extends RuntimeException {
    LimitReached() {
      super(null, null, false, false);
    }
  }

  private void add(byte[] record) {
    if (settings.limit() > 0 && sentRecords.get() + batch.size() >= settings.limit()) {
      throw new LimitReached();
    }
    Scan scan = new Scan();
    PlayerRecordScanner.scan(record, 0, record.length, scan);
    long due = pace();
    if (settings.restamp() && scan.firstEventTime != Long.MIN_VALUE) {
      if (!shiftKnown) {
        shift = System.currentTimeMillis() - scan.firstEventTime;
        shiftKnown = true;
      }
      record = restamp(record, scan.eventTimes, shift);
      if (settings.followEventTime()) {
        due = Math.max(due, scan.firstEventTime + shift);
      }
    }
    String key = partitionKey(scan.sessionId, record);
    int size = record.length + key.getBytes(StandardCharsets.UTF_8).length;
    if (size > MAX_RECORD_BYTES) {
      skipped++;
      if (progress != null) {
        progress.printf(Locale.ROOT, "replay: skipped a record of %,d bytes (Kinesis takes at most"
            + " 1 MiB with its partition key)%n", size);
      }
      return;
    }
    if (!batch.isEmpty() && (batch.size() == MAX_BATCH_RECORDS
        || batchBytes + size > MAX_BATCH_BYTES || due > batchFirstDue + LINGER_MILLIS)) {
      flush();
    }
    if (batch.isEmpty()) {
      batchFirstDue = due;
    }
    batchLastDue = Math.max(batchLastDue, due);
    batch.add(PutRecordsRequestEntry.builder()
        .data(SdkBytes.fromByteArray(record))
        .partitionKey(key)
        .build());
    batchBytes += size;
    batchEvents += scan.events;
  }

  /** When the next record may go out under --rate: record i at start + i / rate. */
  private long pace() {
    if (settings.rate() == 0) {
      return 0;
    }
    long now = System.currentTimeMillis();
    long due = pacerStart + (long) (paced * 1000.0 / settings.rate());
    if (now - due > MAX_CATCH_UP_MILLIS) {
      pacerStart = now;
      paced = 0;
      due = now;
    }
    paced++;
    return due;
  }

  private void flush() {
    if (batch.isEmpty()) {
      return;
    }
    sleepUntil(batchLastDue);
    List<PutRecordsRequestEntry> pending = new ArrayList<>(batch);
    int total = pending.size();
    for (int attempt = 1; ; attempt++) {
      PutRecordsResponse response;
      try {
        putCalls++;
        response = kinesis.putRecords(r -> r.streamName(stream).records(pending));
      } catch (ResourceNotFoundException e) {
        throw new IllegalStateException("Kinesis stream '" + stream + "' does not exist: create it"
            + " (--createShards=N) or check --kinesisStream and --kinesisRegion", e);
      } catch (SdkClientException | KinesisException e) {
        if (!retryable(e) || attempt >= settings.maxAttempts()) {
          throw new IllegalStateException("PutRecords to stream '" + stream + "' failed after "
              + attempt + " attempt(s): " + e.getMessage(), e);
        }
        backOff(attempt);
        continue;
      }
      List<PutRecordsRequestEntry> failed = failedEntries(pending, response, byShard);
      if (failed.isEmpty()) {
        break;
      }
      retried.addAndGet(failed.size());
      if (attempt >= settings.maxAttempts()) {
        PutRecordsResultEntry first = response.records().stream()
            .filter(r -> r.errorCode() != null).findFirst().orElseThrow();
        throw new IllegalStateException(failed.size() + " records still failed after "
            + attempt + " PutRecords attempts to stream '" + stream + "': " + first.errorCode()
            + " " + first.errorMessage());
      }
      backOff(attempt);
      pending.clear();
      pending.addAll(failed);
    }
    for (PutRecordsRequestEntry e : batch) {
      bytes += e.data().asByteArrayUnsafe().length;
    }
    sentRecords.addAndGet(total);
    sentEvents.addAndGet(batchEvents);
    batch.clear();
    batchBytes = 0;
    batchEvents = 0;
    batchLastDue = 0;
  }

  /**
   * The entries of {@code sent} that PutRecords reports as failed (its result entries are in
   * request order); counts the others by the shard they went to.
   */
  static List<PutRecordsRequestEntry> failedEntries(List<PutRecordsRequestEntry> sent,
      PutRecordsResponse response, SortedMap<String, Long> byShard) {
    List<PutRecordsResultEntry> results = response.records();
    if (results.size() != sent.size()) {
      throw new IllegalStateException("PutRecords answered " + results.size() + " results for "
          + sent.size() + " records");
    }
    List<PutRecordsRequestEntry> failed = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      PutRecordsResultEntry r = results.get(i);
      if (r.errorCode() != null) {
        failed.add(sent.get(i));
      } else {
        byShard.merge(r.shardId(), 1L, Long::sum);
      }
    }
    return failed;
  }

  private static boolean retryable(SdkException e) {
    if (e instanceof SdkClientException) {
      return true; // network: connection refused or reset, timeouts
    }
    KinesisException k = (KinesisException) e;
    return k.isThrottlingException() || k.statusCode() >= 500
        || "ProvisionedThroughputExceededException".equals(k.awsErrorDetails().errorCode())
        || "KMSThrottlingException".equals(k.awsErrorDetails().errorCode());
  }

  /** 100 ms, 200 ms, ... up to 5 s, with full jitter so that several producers spread out. */
  private static void backOff(int attempt) {
    long cap = Math.min(5_000, 100L << Math.min(attempt - 1, 16));
    sleep(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
  }

  private static void sleepUntil(long epochMillis) {
    long wait = epochMillis - System.currentTimeMillis();
    if (wait > 0) {
      sleep(wait);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("replay interrupted", e);
    }
  }

  private ScheduledExecutorService startReporter(long started) {
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "replay-progress");
      t.setDaemon(true);
      return t;
    });
    long[] last = {0};
    s.scheduleAtFixedRate(() -> {
      long now = sentRecords.get();
      printProgress(started, now - last[0]);
      last[0] = now;
    }, 1, 1, TimeUnit.SECONDS);
    return s;
  }

  /** One progress line; {@code lastSecond} < 0 for the final one. */
  private void printProgress(long started, long lastSecond) {
    double elapsed = (System.currentTimeMillis() - started) / 1000.0;
    progress.printf(Locale.ROOT, "replay: %,d records (%,d events) sent, %s, %,d failed entries"
            + " retried, %.1f s%n",
        sentRecords.get(), sentEvents.get(),
        lastSecond >= 0 ? String.format(Locale.ROOT, "%,d/s now", lastSecond)
            : String.format(Locale.ROOT, "%,.0f/s overall", sentRecords.get() / Math.max(elapsed, 1e-3)),
        retried.get(), elapsed);
  }

  /** What a record holds: its session, its event times and where they are written. */
  private static final class Scan implements PlayerRecordScanner.Visitor {
    String sessionId;
    long firstEventTime = Long.MIN_VALUE;
    int events;
    final List<int[]> eventTimes = new ArrayList<>(1);

    @Override
    public void eventTime(long epochMillis, int start, int end, boolean quoted) {
      if (firstEventTime == Long.MIN_VALUE) {
        firstEventTime = epochMillis;
      }
      events++;
      eventTimes.add(new int[] {start, end, quoted ? 1 : 0});
    }

    @Override
    public void sessionId(String id) {
      if (sessionId == null) {
        sessionId = id;
      }
    }
  }

  /** The record with each of its event times (at {start, end, quoted}) moved by {@code shift} ms. */
  static byte[] restamp(byte[] record, List<int[]> eventTimes, long shift) {
    if (eventTimes.isEmpty() || shift == 0) {
      return record;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(record.length + 8);
    int copied = 0;
    for (int[] at : eventTimes) {
      int start = at[0];
      int end = at[1];
      boolean quoted = at[2] == 1;
      int digitsFrom = quoted ? start + 1 : start;
      int digitsTo = quoted ? end - 1 : end;
      long value = Long.parseLong(new String(record, digitsFrom, digitsTo - digitsFrom, StandardCharsets.US_ASCII));
      out.write(record, copied, digitsFrom - copied);
      byte[] shifted = Long.toString(value + shift).getBytes(StandardCharsets.US_ASCII);
      out.write(shifted, 0, shifted.length);
      copied = digitsTo;
    }
    out.write(record, copied, record.length - copied);
    return out.toByteArray();
  }

  /** The session's id, so its events stay in order on one shard; a hash for records without one. */
  static String partitionKey(String sessionId, byte[] record) {
    if (sessionId != null && sessionId.length() <= 256) {
      return sessionId;
    }
    return "record-" + Integer.toHexString(Arrays.hashCode(record));
  }

  // ---------------------------------------------------------------------------------------------
  // Command line
  // ---------------------------------------------------------------------------------------------

  static final String USAGE = String.join("\n",
      "usage: livemetrics replay --kinesisStream=NAME (--archive=DIR | --from=TIME --to=TIME)",
      "                          [--rate=1000] [--restamp [--followEventTime]] [--limit=N]",
      "                          [--createShards=N] [--kinesisEndpoint=URL --kinesisRegion=R",
      "                          --kinesisAccessKey=K --kinesisSecretKey=S]",
      "",
      "Puts player events into a Kinesis stream at a steady rate, partitioned by session_id, from",
      "a recorded archive or from events generated for a time range (seeded, like `generate`).",
      "Progress goes to stderr once a second; a summary to stdout at the end.",
      "",
      "examples:",
      "  # the sample archive as live events, into a local kinesalite stream of 2 shards",
      "  livemetrics replay --archive=testdata/sample --restamp --rate=200 \\",
      "    --kinesisStream=player-events --createShards=2 --kinesisEndpoint=http://127.0.0.1:4567 \\",
      "    --kinesisRegion=us-east-1 --kinesisAccessKey=local --kinesisSecretKey=local",
      "  # one generated hour into an AWS stream, credentials from the default chain",
      "  livemetrics replay --from=2026-11-22T05 --to=2026-11-22T06 --viewers=500 \\",
      "    --kinesisStream=player-events --kinesisRegion=eu-west-1 --restamp",
      "",
      "Against a local server the JVM needs -Daws.cborEnabled=false (set here when",
      "--kinesisEndpoint is given).",
      "",
      "options:");

  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** {@code livemetrics replay} with progress on {@link System#err}. */
  public static int run(String[] args, PrintStream out) {
    return run(args, out, System.err);
  }

  /**
   * The {@code livemetrics replay} command (a leading {@code replay} is optional): summary line to
   * {@code out}, progress and errors to {@code err}; returns the exit status (0 ok, 2 usage, 1
   * failure).
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length > 0 && args[0].equals("replay")) {
      args = Arrays.copyOfRange(args, 1, args.length);
    }
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      out.println(USAGE);
      PipelineOptionsFactory.printHelp(out, Options.class);
      return 0;
    }
    Options options;
    Settings settings;
    String stream;
    ArchiveGenerator.Config generate = null;
    try {
      options = PipelineOptionsFactory.fromArgs(args).as(Options.class);
      stream = KinesisClients.stream(options);
      settings = new Settings(options.getRate(), options.getRestamp(),
          options.getFollowEventTime(), options.getLimit(), options.getMaxAttempts());
      if (options.getArchive().isEmpty() == options.getFrom().isEmpty()) {
        throw new IllegalArgumentException(
            "give either --archive=DIR or --from=TIME --to=TIME (events generated for the range)");
      }
      if (options.getArchive().isEmpty()) {
        generate = generatorConfig(options);
      } else if (!Files.isDirectory(Path.of(options.getArchive()))) {
        throw new IllegalArgumentException("--archive: no directory at " + options.getArchive());
      }
    } catch (IllegalArgumentException e) {
      err.println("livemetrics replay: " + e.getMessage() + " (see: livemetrics replay --help)");
      return 2;
    }
    if (!options.getKinesisEndpoint().isBlank() && System.getProperty("aws.cborEnabled") == null
        && System.getenv("CBOR_ENABLED") == null) {
      // Local servers (kinesalite) cannot answer PutRecords in CBOR; JSON works on AWS too.
      System.setProperty("aws.cborEnabled", "false");
    }
    try (KinesisClient kinesis = KinesisClients.sync(options)) {
      if (options.getCreateShards() > 0) {
        boolean created = new KinesisAdmin(kinesis)
            .createStream(stream, options.getCreateShards(), Duration.ofMinutes(5));
        err.println("replay: stream '" + stream + "' " + (created
            ? "created with " + options.getCreateShards() + " shards" : "exists, kept as it is"));
      }
      KinesisReplay replay = new KinesisReplay(kinesis, stream, settings, err);
      Summary summary = generate != null
          ? replay.replayGenerated(generate)
          : replay.replayArchive(Path.of(options.getArchive()));
      out.println(summary.oneLine());
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("livemetrics replay: " + e.getMessage());
      return 2;
    } catch (IOException | UncheckedIOException | IllegalStateException | SdkException e) {
      err.println("livemetrics replay: failed: " + e.getMessage() + " ("
          + KinesisClients.describe(options) + ")");
      return 1;
    }
  }

  private static ArchiveGenerator.Config generatorConfig(Options o) {
    if (o.getTo().isEmpty()) {
      throw new IllegalArgumentException("--to is required with --from");
    }
    long from = time("from", o.getFrom());
    long to = time("to", o.getTo());
    if (to <= from) {
      throw new IllegalArgumentException("--to must be after --from");
    }
    return ArchiveGenerator.Config.builder()
        .seed(o.getSeed())
        .start(Instant.ofEpochMilli(from))
        .duration(Duration.ofMillis(to - from))
        .viewers(o.getViewers())
        .videos(o.getVideos())
        .accountId(o.getAccount())
        // One simulation: its objects follow each other in time, so the replay stays in order.
        .shards(1)
        .build();
  }

  private static long time(String option, String value) {
    try {
      return UtcTime.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--" + option + ": " + e.getMessage());
    }
  }
}
