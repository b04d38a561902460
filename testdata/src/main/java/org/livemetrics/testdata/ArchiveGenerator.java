package org.livemetrics.testdata;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a seeded, realistic archive of player events as Kinesis Data Firehose delivers them to S3:
 * {@code ROOT/YYYY/MM/DD/HH/livemetrics-player-events-1-YYYY-MM-DD-HH-mm-ss-<uuid>[.gz]},
 * partitioned by arrival hour, each object newline-delimited or concatenated JSON, gzipped or not.
 *
 * <p>Viewers are simulated: each concurrent viewer slot is a device that runs sessions one after
 * another (IMPRESSION, usually PLAY, a PLAYBACK_SUMMARY about every 61 s, the odd QUALITY_CHANGED
 * and AD_START, STOP), sometimes handing over to a new device. On top of that the configured share
 * of records carries the variations real records have (strings for numbers, latency in seconds,
 * country name only, no device flags, no account, unknown fields and metric types, batches in a
 * JSON array) and a few broken records are added. Late events (several minutes' delay) land in the
 * next object or hour.
 *
 * <p>Output depends only on the {@link Config}: no clock, no system randomness. The viewers are
 * split into {@link Config#shards()} independent simulations, each writing its own objects, which
 * run in parallel.
 */
public final class ArchiveGenerator {

  private final Config config;

  public ArchiveGenerator(Config config) {
    this.config = config;
  }

  public Config config() {
    return config;
  }

  /**
   * Writes the archive under {@code root} (created if needed) and says what it wrote. Files
   * already there are left alone (or overwritten, if the names match): start from an empty
   * directory.
   */
  public Summary generate(Path root) throws IOException {
    Files.createDirectories(root);
    int shards = config.shards();
    int threads = Math.max(1, Math.min(shards, Runtime.getRuntime().availableProcessors()));
    long[] viewersPerShard = new long[shards];
    for (int i = 0; i < shards; i++) {
      viewersPerShard[i] = config.viewers() / shards + (i < config.viewers() % shards ? 1 : 0);
    }
    List<ViewerSimulation> simulations = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      simulations.add(new ViewerSimulation(config, i, (int) viewersPerShard[i], root));
    }
    List<Summary> parts = new ArrayList<>();
    if (threads == 1) {
      for (ViewerSimulation s : simulations) {
        parts.add(s.call());
      }
    } else {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<Summary>> futures = pool.invokeAll(simulations);
        for (Future<Summary> f : futures) {
          parts.add(f.get());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("Interrupted while generating " + root, e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        if (e.getCause() instanceof UncheckedIOException io) {
          throw io.getCause();
        }
        throw new IllegalStateException("Generating " + root + " failed", e.getCause());
      } finally {
        pool.shutdownNow();
      }
    }
    return Summary.merge(parts);
  }

  // ---------------------------------------------------------------------------------------------
  // Configuration
  // ---------------------------------------------------------------------------------------------

  /** What to generate. Build with {@link #builder()}; every value has a sensible default. */
  public static final class Config {
    private final long seed;
    private final Instant start;
    private final Duration duration;
    private final int videos;
    private final int viewers;
    private final String accountId;
    private final int shards;
    private final double stringValueRate;
    private final double liveLatencySecRate;
    private final double countryNameOnlyRate;
    private final double missingDeviceFlagsRate;
    private final double missingAccountRate;
    private final double extraFieldsRate;
    private final double unknownMetricTypeRate;
    private final double arrayBatchRate;
    private final double brokenRecordRate;
    private final double lateEventRate;
    private final double gzipFraction;
    private final double gzipWithoutSuffixFraction;
    private final double concatenatedFraction;
    private final Duration objectInterval;
    private final long maxObjectBytes;
    private final int gzipLevel;
    private final String streamName;

    private Config(Builder b) {
      this.seed = b.seed;
      this.start = b.start;
      this.duration = b.duration;
      this.videos = b.videos;
      this.viewers = b.targetEvents > 0 ? viewersFor(b.targetEvents, b.duration) : b.viewers;
      this.accountId = b.accountId;
      this.shards = b.shards > 0 ? b.shards : Math.max(1, Math.min(8, this.viewers / 2500));
      this.stringValueRate = b.stringValueRate;
      this.liveLatencySecRate = b.liveLatencySecRate;
      this.countryNameOnlyRate = b.countryNameOnlyRate;
      this.missingDeviceFlagsRate = b.missingDeviceFlagsRate;
      this.missingAccountRate = b.missingAccountRate;
      this.extraFieldsRate = b.extraFieldsRate;
      this.unknownMetricTypeRate = b.unknownMetricTypeRate;
      this.arrayBatchRate = b.arrayBatchRate;
      this.brokenRecordRate = b.brokenRecordRate;
      this.lateEventRate = b.lateEventRate;
      this.gzipFraction = b.gzipFraction;
      this.gzipWithoutSuffixFraction = b.gzipWithoutSuffixFraction;
      this.concatenatedFraction = b.concatenatedFraction;
      this.objectInterval = b.objectInterval;
      this.maxObjectBytes = b.maxObjectBytes;
      this.gzipLevel = b.gzipLevel;
      this.streamName = b.streamName;
      validate();
    }

    /**
     * Records per viewer and minute of the simulation once all viewers have joined, measured over
     * long runs; used to turn a target event count into a number of concurrent viewers.
     */
    static final double EVENTS_PER_VIEWER_MINUTE = 1.29;

    private static int viewersFor(long events, Duration duration) {
      double minutes = duration.toMillis() / 60_000.0;
      // Viewers join over the first ten minutes.
      double effective = minutes - Math.min(minutes, ViewerSimulation.RAMP_MINUTES) / 2;
      return (int) Math.max(1, Math.round(events / (effective * EVENTS_PER_VIEWER_MINUTE)));
    }

    private void validate() {
      require(start != null, "start must be set");
      require(duration != null && !duration.isNegative() && !duration.isZero(),
          "duration must be positive, was " + duration);
      require(videos >= 1, "videos must be >= 1, was " + videos);
      require(viewers >= 1, "viewers must be >= 1, was " + viewers);
      require(accountId != null && !accountId.isEmpty(), "accountId must be non-empty");
      require(shards >= 1, "shards must be >= 1, was " + shards);
      rate("stringValueRate", stringValueRate);
      rate("liveLatencySecRate", liveLatencySecRate);
      rate("countryNameOnlyRate", countryNameOnlyRate);
      rate("missingDeviceFlagsRate", missingDeviceFlagsRate);
      rate("missingAccountRate", missingAccountRate);
      rate("extraFieldsRate", extraFieldsRate);
      rate("unknownMetricTypeRate", unknownMetricTypeRate);
      rate("arrayBatchRate", arrayBatchRate);
      rate("brokenRecordRate", brokenRecordRate);
      rate("lateEventRate", lateEventRate);
      rate("gzipFraction", gzipFraction);
      rate("gzipWithoutSuffixFraction", gzipWithoutSuffixFraction);
      rate("concatenatedFraction", concatenatedFraction);
      require(objectInterval != null && objectInterval.toMillis() >= 1000
              && objectInterval.toMillis() <= 3_600_000,
          "objectInterval must be between 1 s and 1 h (Firehose buffers 0-900 s), was "
              + objectInterval);
      require(maxObjectBytes >= 1024, "maxObjectBytes must be >= 1024, was " + maxObjectBytes);
      require(gzipLevel >= 1 && gzipLevel <= 9, "gzipLevel must be 1..9, was " + gzipLevel);
      require(streamName != null && !streamName.isEmpty() && !streamName.contains("/"),
          "streamName must be a non-empty name without '/', was " + streamName);
    }

    private static void rate(String name, double v) {
      require(v >= 0 && v <= 1, name + " must be a fraction in [0, 1], was " + v);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException("Invalid archive generator config: " + message);
      }
    }

    public static Builder builder() {
      return new Builder();
    }

    /** The defaults: 2 hours from 2026-11-22T05:00Z, 2 videos, 40 viewers, seed 42. */
    public static Config defaults() {
      return builder().build();
    }

    /**
     * For throughput benchmarks: about {@code events} events in the IVS wire format (real user
     * agents, every CloudFront header), newline-delimited JSON objects, a third of them gzipped
     * with a {@code .gz} suffix; the record variations and broken records stay. No concatenated
     * objects: DuckDB, the peer the benchmark compares with, cannot skip a broken record in them.
     */
    public static Config benchmark(long events) {
      return builder()
          .targetEvents(events)
          .videos(10)
          .gzipFraction(1.0 / 3)
          .gzipWithoutSuffixFraction(0)
          .concatenatedFraction(0)
          .arrayBatchRate(0)
          .build();
    }

    public Builder toBuilder() {
      Builder b = new Builder();
      b.seed = seed;
      b.start = start;
      b.duration = duration;
      b.videos = videos;
      b.viewers = viewers;
      b.accountId = accountId;
      b.shards = shards;
      b.stringValueRate = stringValueRate;
      b.liveLatencySecRate = liveLatencySecRate;
      b.countryNameOnlyRate = countryNameOnlyRate;
      b.missingDeviceFlagsRate = missingDeviceFlagsRate;
      b.missingAccountRate = missingAccountRate;
      b.extraFieldsRate = extraFieldsRate;
      b.unknownMetricTypeRate = unknownMetricTypeRate;
      b.arrayBatchRate = arrayBatchRate;
      b.brokenRecordRate = brokenRecordRate;
      b.lateEventRate = lateEventRate;
      b.gzipFraction = gzipFraction;
      b.gzipWithoutSuffixFraction = gzipWithoutSuffixFraction;
      b.concatenatedFraction = concatenatedFraction;
      b.objectInterval = objectInterval;
      b.maxObjectBytes = maxObjectBytes;
      b.gzipLevel = gzipLevel;
      b.streamName = streamName;
      return b;
    }

    public long seed() { return seed; }
    /** Earliest event_time. */
    public Instant start() { return start; }
    /** Events have event_time in [start, start + duration). */
    public Duration duration() { return duration; }
    public Instant end() { return start.plus(duration); }
    public int videos() { return videos; }
    /** Concurrent viewer slots; each runs sessions one after another. */
    public int viewers() { return viewers; }
    /** The account_id records carry (when they carry one). */
    public String accountId() { return accountId; }
    public int shards() { return shards; }
    public double stringValueRate() { return stringValueRate; }
    public double liveLatencySecRate() { return liveLatencySecRate; }
    public double countryNameOnlyRate() { return countryNameOnlyRate; }
    public double missingDeviceFlagsRate() { return missingDeviceFlagsRate; }
    public double missingAccountRate() { return missingAccountRate; }
    public double extraFieldsRate() { return extraFieldsRate; }
    public double unknownMetricTypeRate() { return unknownMetricTypeRate; }
    public double arrayBatchRate() { return arrayBatchRate; }
    public double brokenRecordRate() { return brokenRecordRate; }
    public double lateEventRate() { return lateEventRate; }
    public double gzipFraction() { return gzipFraction; }
    public double gzipWithoutSuffixFraction() { return gzipWithoutSuffixFraction; }
    public double concatenatedFraction() { return concatenatedFraction; }
    public Duration objectInterval() { return objectInterval; }
    public long maxObjectBytes() { return maxObjectBytes; }
    public int gzipLevel() { return gzipLevel; }
    public String streamName() { return streamName; }

    /** The video ids (channel_watched) this config generates, in order. */
    public List<String> videoIds() {
      return ViewerSimulation.videoIds(this);
    }

    @Override
    public String toString() {
      return "Config{seed=" + seed + ", start=" + start + ", duration=" + duration + ", videos="
          + videos + ", viewers=" + viewers + ", account=" + accountId + ", shards=" + shards
          + ", broken=" + brokenRecordRate + ", late=" + lateEventRate + ", gzip=" + gzipFraction
          + ", concatenated=" + concatenatedFraction + "}";
    }

    /** Mutable builder of {@link Config}. */
    public static final class Builder {
      private long seed = 42;
      private Instant start = Instant.parse("2026-11-22T05:00:00Z");
      private Duration duration = Duration.ofHours(2);
      private int videos = 2;
      private int viewers = 40;
      private long targetEvents;
      private String accountId = ReferenceMetrics.DEFAULT_ACCOUNT;
      private int shards;
      private double stringValueRate = 0.05;
      private double liveLatencySecRate = 0.10;
      private double countryNameOnlyRate = 0.03;
      private double missingDeviceFlagsRate = 0.05;
      private double missingAccountRate = 0.03;
      private double extraFieldsRate = 0.02;
      private double unknownMetricTypeRate = 0.005;
      private double arrayBatchRate = 0.003;
      private double brokenRecordRate = 0.003;
      private double lateEventRate = 0.02;
      private double gzipFraction = 0.5;
      private double gzipWithoutSuffixFraction = 0.3;
      private double concatenatedFraction = 0.5;
      private Duration objectInterval = Duration.ofMinutes(5);
      private long maxObjectBytes = 64L << 20;
      private int gzipLevel = 1;
      private String streamName = "livemetrics-player-events";

      private Builder() {}

      public Builder seed(long v) { seed = v; return this; }
      public Builder start(Instant v) { start = v; return this; }
      public Builder duration(Duration v) { duration = v; return this; }
      public Builder videos(int v) { videos = v; return this; }
      /** Concurrent viewers; ignored when {@link #targetEvents} is set. */
      public Builder viewers(int v) { viewers = v; targetEvents = 0; return this; }
      /** About this many records in total (within 10 %): sets the viewers to match. */
      public Builder targetEvents(long v) { targetEvents = v; return this; }
      public Builder accountId(String v) { accountId = v; return this; }
      /** Independent simulations run in parallel; 0 (default) picks one per 2,500 viewers, max 8. */
      public Builder shards(int v) { shards = v; return this; }
      /** Records sending numbers and booleans as strings (and the reverse for CloudFront flags). */
      public Builder stringValueRate(double v) { stringValueRate = v; return this; }
      /** PLAYBACK_SUMMARYs with live_latency_sec ("4.2") instead of live_latency_ms. */
      public Builder liveLatencySecRate(double v) { liveLatencySecRate = v; return this; }
      /** Records with CloudFront-Viewer-Country-Name but no CloudFront-Viewer-Country. */
      public Builder countryNameOnlyRate(double v) { countryNameOnlyRate = v; return this; }
      /** Records without the CloudFront-Is-*-Viewer flags. */
      public Builder missingDeviceFlagsRate(double v) { missingDeviceFlagsRate = v; return this; }
      /** Records without account_id (a quarter of them with an empty one). */
      public Builder missingAccountRate(double v) { missingAccountRate = v; return this; }
      /** Records with fields the pipeline does not know, one of them a nested object. */
      public Builder extraFieldsRate(double v) { extraFieldsRate = v; return this; }
      /** Extra REBUFFER_START events during playback, as a share of all events. */
      public Builder unknownMetricTypeRate(double v) { unknownMetricTypeRate = v; return this; }
      /** Records that start a JSON array batching it with the next 1-2 records of the object. */
      public Builder arrayBatchRate(double v) { arrayBatchRate = v; return this; }
      /** Broken records added per event, spread evenly over the four bad-record reasons. */
      public Builder brokenRecordRate(double v) { brokenRecordRate = v; return this; }
      /** Events that arrive 3-12 minutes late (others arrive within about a second or two). */
      public Builder lateEventRate(double v) { lateEventRate = v; return this; }
      public Builder gzipFraction(double v) { gzipFraction = v; return this; }
      /** Of the gzipped objects, those written without a .gz suffix. */
      public Builder gzipWithoutSuffixFraction(double v) {
        gzipWithoutSuffixFraction = v;
        return this;
      }
      /** Objects of JSON objects concatenated without separator (Firehose's default). */
      public Builder concatenatedFraction(double v) { concatenatedFraction = v; return this; }
      /** Firehose's buffer interval: one object per interval of arrival time (per shard). */
      public Builder objectInterval(Duration v) { objectInterval = v; return this; }
      /** Firehose's buffer size: an object is closed once this many uncompressed bytes. */
      public Builder maxObjectBytes(long v) { maxObjectBytes = v; return this; }
      public Builder gzipLevel(int v) { gzipLevel = v; return this; }
      public Builder streamName(String v) { streamName = v; return this; }

      public Config build() {
        return new Config(this);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Summary
  // ---------------------------------------------------------------------------------------------

  /**
   * What {@link #generate} wrote. {@code records} counts every record (array elements one by one),
   * {@code validEvents} those the metric definitions accept, {@code brokenRecords} the dead
   * letters. Event times are of the valid events.
   */
  public record Summary(
      long records,
      long validEvents,
      long brokenRecords,
      long objects,
      long gzipObjects,
      long gzipObjectsWithoutSuffix,
      long concatenatedObjects,
      long bytes,
      long firstEventTime,
      long lastEventTime,
      long sessions,
      long devices,
      long eventsInLaterHour,
      SortedMap<String, Long> eventsByMetricType,
      SortedMap<String, Long> brokenByReason,
      SortedMap<String, Long> variations,
      SortedSet<String> hourPartitions) {

    public Summary {
      eventsByMetricType = Collections.unmodifiableSortedMap(new TreeMap<>(eventsByMetricType));
      brokenByReason = Collections.unmodifiableSortedMap(new TreeMap<>(brokenByReason));
      variations = Collections.unmodifiableSortedMap(new TreeMap<>(variations));
      hourPartitions = Collections.unmodifiableSortedSet(new TreeSet<>(hourPartitions));
    }

    static Summary merge(List<Summary> parts) {
      long records = 0, valid = 0, broken = 0, objects = 0, gzip = 0, noSuffix = 0, concat = 0;
      long bytes = 0, sessions = 0, devices = 0, later = 0;
      long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
      SortedMap<String, Long> types = new TreeMap<>();
      SortedMap<String, Long> reasons = new TreeMap<>();
      SortedMap<String, Long> variations = new TreeMap<>();
      SortedSet<String> hours = new TreeSet<>();
      for (Summary p : parts) {
        records += p.records;
        valid += p.validEvents;
        broken += p.brokenRecords;
        objects += p.objects;
        gzip += p.gzipObjects;
        noSuffix += p.gzipObjectsWithoutSuffix;
        concat += p.concatenatedObjects;
        bytes += p.bytes;
        sessions += p.sessions;
        devices += p.devices;
        later += p.eventsInLaterHour;
        first = Math.min(first, p.firstEventTime);
        last = Math.max(last, p.lastEventTime);
        p.eventsByMetricType.forEach((k, v) -> types.merge(k, v, Long::sum));
        p.brokenByReason.forEach((k, v) -> reasons.merge(k, v, Long::sum));
        p.variations.forEach((k, v) -> variations.merge(k, v, Long::sum));
        hours.addAll(p.hourPartitions);
      }
      return new Summary(records, valid, broken, objects, gzip, noSuffix, concat, bytes, first,
          last, sessions, devices, later, types, reasons, variations, hours);
    }

    /** One line for the CLI and logs. */
    public String oneLine() {
      return String.format(Locale.ROOT,
          "%,d records (%,d valid events, %,d broken %s) in %,d objects (%,d gzip, %,d of them"
              + " without .gz; %,d concatenated), %,d bytes, %d hour partitions, event_time %s"
              + " .. %s, %,d sessions on %,d devices, %,d events in a later hour",
          records, validEvents, brokenRecords, brokenByReason, objects, gzipObjects,
          gzipObjectsWithoutSuffix, concatenatedObjects, bytes, hourPartitions.size(),
          validEvents == 0 ? "-" : Instant.ofEpochMilli(firstEventTime),
          validEvents == 0 ? "-" : Instant.ofEpochMilli(lastEventTime), sessions, devices,
          eventsInLaterHour);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Command line
  // ---------------------------------------------------------------------------------------------

  static final String USAGE =
      "usage: livemetrics generate --out DIR [--seed 42] [--start 2026-11-22T05:00:00Z]"
          + " [--duration PT2H] [--viewers N | --events N] [--videos N] [--account ID]"
          + " [--shards N] [--benchmark]";

  public static void main(String[] args) {
    int status = run(args, System.out);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * The {@code livemetrics generate} command (a leading {@code generate} is optional). Prints one
   * summary line to {@code out}; returns the process exit status (0 ok, 2 usage error, 1 failure).
   */
  public static int run(String[] args, PrintStream out) {
    Path dir = null;
    Config.Builder b = Config.builder();
    boolean benchmark = false;
    Long events = null;
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (i == 0 && a.equals("generate")) {
          continue;
        }
        switch (a) {
          case "--out" -> dir = Path.of(value(args, ++i, a));
          case "--seed" -> b.seed(Long.parseLong(value(args, ++i, a)));
          case "--start" -> b.start(Instant.parse(value(args, ++i, a)));
          case "--duration" -> b.duration(Duration.parse(value(args, ++i, a)));
          case "--viewers" -> b.viewers(Integer.parseInt(value(args, ++i, a)));
          case "--videos" -> b.videos(Integer.parseInt(value(args, ++i, a)));
          case "--events" -> events = Long.parseLong(value(args, ++i, a));
          case "--account" -> b.accountId(value(args, ++i, a));
          case "--shards" -> b.shards(Integer.parseInt(value(args, ++i, a)));
          case "--benchmark" -> benchmark = true;
          case "--help", "-h" -> {
            out.println(USAGE);
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
        }
      }
      if (dir == null) {
        throw new IllegalArgumentException("--out DIR is required");
      }
      if (benchmark) {
        b.gzipFraction(1).gzipWithoutSuffixFraction(0).concatenatedFraction(0).arrayBatchRate(0);
      }
      if (events != null) {
        b.targetEvents(events);
      }
      Config config = b.build();
      long t0 = System.nanoTime();
      Summary s = new ArchiveGenerator(config).generate(dir);
      double secs = (System.nanoTime() - t0) / 1e9;
      out.printf(Locale.ROOT, "generated %s under %s in %.1f s (%,.0f records/s)%n",
          s.oneLine(), dir, secs, s.records() / Math.max(secs, 1e-9));
      return 0;
    } catch (IllegalArgumentException | DateTimeParseException e) {
      out.println("livemetrics generate: " + e.getMessage());
      out.println(USAGE);
      return 2;
    } catch (IOException | UncheckedIOException e) {
      out.println("livemetrics generate: failed to write " + dir + ": " + e.getMessage());
      return 1;
    }
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
