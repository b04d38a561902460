package org.livemetrics.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.livemetrics.pipelines.io.ElasticsearchSetup;
import org.livemetrics.pipelines.io.LocalArchive;
import org.livemetrics.pipelines.kinesis.KinesisAdmin;
import org.livemetrics.pipelines.kinesis.KinesisClients;
import org.livemetrics.pipelines.kinesis.KinesisReplay;
import org.livemetrics.pipelines.kinesis.ReadPlayerRecordsFromKinesis;
import org.livemetrics.pipelines.streaming.StreamingPipeline;
import org.livemetrics.pipelines.streaming.StreamingPipelineOptions;
import org.livemetrics.schemas.elasticsearch.ElasticsearchConnection;
import org.livemetrics.testdata.ArchiveGenerator;
import org.livemetrics.testdata.services.LocalElasticsearch;
import org.livemetrics.testdata.services.LocalKinesis;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * One phase of the streaming benchmark ({@link StreamingBenchmark}), run in its own JVM so that
 * its peak memory is its own. Each runs the streaming pipeline ({@code StreamingPipeline}) as a
 * job on the embedded FlinkRunner, starts the local servers it needs and stops them, with the job,
 * before it ends. Prints {@code PROGRESS} lines and one {@code RESULT phase=… key=value …} line.
 *
 * <ul>
 *   <li>{@code engine ARCHIVE PARALLELISM WORKDIR [JOB_OPTIONS]}: the archive's records from an in-process source
 *       ({@link GeneratedRecords}) through {@code StreamingPipeline.attach}, Parquet out: the
 *       engine alone.
 *   <li>{@code kinesis ARCHIVE PARALLELISM WORKDIR SHARDS}: the same records put into a kinesalite
 *       stream of SHARDS shards first, then read by the pipeline's Kinesis source, Parquet out.
 *   <li>{@code freshness PARALLELISM WORKDIR RATE PROBES WARMUP_S SHARDS EARLY_FIRING_S}: the job as it runs live (Kinesis
 *       in, Elasticsearch out) while events are put at RATE a second, and {@link FreshnessProbes}
 *       once it has caught up with the input.
 * </ul>
 *
 * The throughput phases time the records entering the pipeline ({@link CountArrivals}) from the
 * first to the last, so Flink's start-up is reported apart, and read {@code events_parsed} from
 * the job's counters; then they cancel the job.
 */
public final class StreamingPhases {
  /** A throughput phase fails if no record arrives for this long. */
  private static final Duration STALL = Duration.ofMinutes(2);
  private static final String STREAM = "player-events";

  private StreamingPhases() {}

  public static void main(String[] args) throws Exception {
    String phase = args[0];
    String line;
    switch (phase) {
      case "engine" -> line = engine(Path.of(args[1]), Integer.parseInt(args[2]), Path.of(args[3]),
          jobOptions(args, 4));
      case "kinesis" -> line = kinesis(Path.of(args[1]), Integer.parseInt(args[2]), Path.of(args[3]),
          Integer.parseInt(args[4]), jobOptions(args, 5));
      case "freshness" -> line = freshness(Integer.parseInt(args[1]), Path.of(args[2]),
          Double.parseDouble(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]),
          Integer.parseInt(args[6]), Integer.parseInt(args[7]), jobOptions(args, 8));
      default -> throw new IllegalArgumentException("unknown phase " + phase);
    }
    System.out.println("RESULT phase=" + phase + " " + line + " peak_rss_mb=" + PeakMemory.peakRssMb()
        + String.format(Locale.ROOT, " cpu_seconds=%.1f", MachineLoad.cpuSeconds(ProcessHandle.current())
            + serversCpuSeconds));
    System.exit(0);
  }

  /** CPU seconds of the local servers this phase ran, taken just before they stopped. */
  private static double serversCpuSeconds;

  // ---------------------------------------------------------------------------------------------

  /** The benchmark's {@code --jobOptions}: more pipeline options for the phase's job. */
  private static List<String> jobOptions(String[] args, int at) {
    return args.length <= at || args[at].isBlank() ? List.of() : List.of(args[at].trim().split("\\s+"));
  }

  static String engine(Path archive, int parallelism, Path work, List<String> jobOptions)
      throws Exception {
    GeneratedRecords.Loaded records = GeneratedRecords.load(archive);
    List<String> args = new ArrayList<>(List.of("--output=" + work.resolve("store"),
        "--fingerprintSecret=benchmark", "--streamId=engine"));
    int port = EmbeddedFlinkJob.freePort();
    args.addAll(EmbeddedFlinkJob.options(parallelism, port, work.resolve("flink-conf")));
    args.addAll(jobOptions);
    StreamingPipelineOptions options = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .withValidation().as(StreamingPipelineOptions.class);
    StreamingPipeline.flinkSettings(options);
    Pipeline pipeline = Pipeline.create(options);
    // The Kinesis source's default --maxWatermarkDelay.
    StreamingPipeline.attach(CountArrivals.of(pipeline.apply("GenerateRecords",
        GeneratedRecords.of(archive, org.joda.time.Duration.standardSeconds(2)))), options);
    return throughput(port, pipeline, records.size());
  }

  static String kinesis(Path archive, int parallelism, Path work, int shards,
      List<String> jobOptions) throws Exception {
    try (LocalKinesis server = new LocalKinesis()) {
      server.start();
      List<String> args = new ArrayList<>(server.kinesisArgs(STREAM));
      StreamingPipeline.Options kinesisOptions = PipelineOptionsFactory
          .fromArgs(args.toArray(String[]::new)).as(StreamingPipeline.Options.class);
      KinesisReplay.Summary put;
      try (KinesisClient client = KinesisClients.sync(kinesisOptions)) {
        new KinesisAdmin(client).createStream(STREAM, shards, Duration.ofSeconds(30));
        System.out.println("PROGRESS putting the archive's records into kinesalite (" + shards
            + " shards),"
            + " as fast as it takes them ...");
        put = new KinesisReplay(client, STREAM, KinesisReplay.Settings.atRate(0), null)
            .replayArchive(archive);
        System.out.println("PROGRESS " + put.oneLine());
      }
      // The archive's recorded events arrive now: the arrival rule must reach back to them.
      args.addAll(List.of("--kinesisInitialPosition=TRIM_HORIZON", "--output=" + work.resolve("store"),
          "--fingerprintSecret=benchmark", "--streamId=kinesis", "--latePartitions=1000000"));
      int port = EmbeddedFlinkJob.freePort();
      args.addAll(EmbeddedFlinkJob.options(parallelism, port, work.resolve("flink-conf")));
      args.addAll(jobOptions);
      StreamingPipeline.Options options = PipelineOptionsFactory
          .fromArgs(args.toArray(String[]::new)).withValidation().as(StreamingPipeline.Options.class);
      StreamingPipeline.flinkSettings(options);
      Pipeline pipeline = Pipeline.create(options);
      StreamingPipeline.attach(CountArrivals.of(
          pipeline.apply("ReadKinesis", ReadPlayerRecordsFromKinesis.from(options))), options);
      String result = throughput(port, pipeline, put.records());
      String servers = serversLine();
      return result + servers + String.format(Locale.ROOT, " put_records=%d put_seconds=%.2f",
          put.records(), put.elapsedMillis() / 1000.0);
    }
  }

  /**
   * Runs the pipeline until {@code records} records have entered it, then reads its
   * events_parsed counter and cancels it.
   */
  private static String throughput(int port, Pipeline pipeline, long records) throws Exception {
    long submitted = System.nanoTime();
    try (EmbeddedFlinkJob job = EmbeddedFlinkJob.start(port, pipeline::run, Duration.ofMinutes(3))) {
      long lastCount = -1;
      long lastChange = System.nanoTime();
      long lastReport = System.nanoTime();
      long reportedCount = 0;
      long halfCount = 0;
      long halfNanos = 0;
      double halfCpu = 0;
      while (CountArrivals.count() < records) {
        job.check();
        Thread.sleep(100);
        long now = System.nanoTime();
        long count = CountArrivals.count();
        if (halfNanos == 0 && count >= records / 2) {
          halfNanos = now;
          halfCount = count;
          halfCpu = MachineLoad.cpuSeconds(ProcessHandle.current());
        }
        if (count != lastCount) {
          lastCount = count;
          lastChange = now;
        } else if (now - lastChange > STALL.toNanos()) {
          throw new IllegalStateException("no record entered the pipeline for " + STALL + " ("
              + count + " of " + records + ")");
        }
        if (now - lastReport >= 10_000_000_000L) {
          System.out.printf(Locale.ROOT, "PROGRESS %5.0f s: %,d of %,d records in, %,.0f/s over the"
                  + " last %.0f s%n", (now - submitted) / 1e9, count, records,
              (count - reportedCount) / ((now - lastReport) / 1e9), (now - lastReport) / 1e9);
          reportedCount = count;
          lastReport = now;
        }
      }
      long first = CountArrivals.firstNanos();
      long last = CountArrivals.lastNanos();
      // The CPU of the second half (all threads of this JVM, the job's and the benchmark's),
      // taken when the last record has arrived: the steady cost, without start-up or warm-up.
      double endCpu = MachineLoad.cpuSeconds(ProcessHandle.current());
      long events = stableCounter(job, "events_parsed");
      // Partial rows out of the pre-aggregation (audience and QoS): what reaches the windowed
      // combines, the per-element cost there; fewer per event when bundles are larger.
      long partials = job.counter("partial_rows_emitted");
      if (halfNanos == 0) { // all arrived between two looks
        halfNanos = System.nanoTime();
        halfCount = records;
        halfCpu = endCpu;
      }
      // The second half: the rate once Flink's and the JIT's warm-up are behind.
      return String.format(Locale.ROOT,
          "records=%d events=%d seconds=%.2f startup_seconds=%.2f second_half_records=%d"
              + " second_half_seconds=%.2f second_half_cpu_seconds=%.2f partial_rows=%d",
          records, events, (last - first) / 1e9, (first - submitted) / 1e9, records - halfCount,
          Math.max(0, last - halfNanos) / 1e9, endCpu - halfCpu, partials);
    }
  }

  /**
   * A counter once the job has nothing left to count: Flink's metrics show the same non-zero value
   * three times, two seconds apart (Beam reports counters when a bundle ends, about every second,
   * and Flink's REST API refreshes its view every second, later under load).
   */
  private static long stableCounter(EmbeddedFlinkJob job, String name) throws Exception {
    List<Long> seen = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      seen.add(job.counter(name));
      int n = seen.size();
      if (n >= 3 && seen.get(n - 1) > 0 && seen.get(n - 1).equals(seen.get(n - 2))
          && seen.get(n - 2).equals(seen.get(n - 3))) {
        return seen.get(n - 1);
      }
      Thread.sleep(2_000);
    }
    throw new IllegalStateException("the counter " + name + " did not settle within 90 s: " + seen);
  }

  /** Peak RSS and CPU of the local servers (this JVM's child processes), while they still run. */
  private static String serversLine() {
    long rss = 0;
    double cpu = 0;
    for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
      rss += Math.max(0, PeakMemory.peakRssMb(p.pid()));
      cpu += MachineLoad.cpuSeconds(p);
    }
    serversCpuSeconds = cpu;
    return " servers_peak_rss_mb=" + rss;
  }

  // ---------------------------------------------------------------------------------------------

  static String freshness(int parallelism, Path work, double rate, int probes, int warmupSeconds,
      int shards, int earlyFiringSeconds, List<String> jobOptions) throws Exception {
    List<byte[]> traffic = liveTraffic(work.resolve("traffic"), rate,
        Duration.ofSeconds(warmupSeconds + probes + 300));
    try (LocalElasticsearch es = new LocalElasticsearch(); LocalKinesis kinesis = new LocalKinesis()) {
      System.out.println("PROGRESS starting Elasticsearch and kinesalite ...");
      kinesis.start();
      es.start();
      List<String> args = new ArrayList<>(kinesis.kinesisArgs(STREAM));
      args.addAll(List.of("--kinesisInitialPosition=TRIM_HORIZON",
          "--elasticsearchUrl=" + es.endpoint(), "--deadLetters=" + work.resolve("dead-letters"),
          "--fingerprintSecret=benchmark", "--streamId=freshness",
          "--earlyFiringSeconds=" + earlyFiringSeconds));
      int port = EmbeddedFlinkJob.freePort();
      args.addAll(EmbeddedFlinkJob.options(parallelism, port, work.resolve("flink-conf")));
      args.addAll(jobOptions);
      StreamingPipeline.Options options = PipelineOptionsFactory
          .fromArgs(args.toArray(String[]::new)).withValidation().as(StreamingPipeline.Options.class);
      try (KinesisClient client = KinesisClients.sync(options)) {
        new KinesisAdmin(client).createStream(STREAM, shards, Duration.ofSeconds(30));
        FreshnessProbes probe = new FreshnessProbes(client, STREAM,
            ElasticsearchConnection.parse(es.endpoint()));
        // StreamingPipeline.run's job (the index template first, then Kinesis in, Elasticsearch
        // out), with CountArrivals after the source: Flink's metrics lag too much under load to
        // tell whether the job keeps up.
        ElasticsearchSetup.from(options).installTemplate();
        StreamingPipeline.flinkSettings(options);
        Pipeline pipeline = Pipeline.create(options);
        StreamingPipeline.attach(CountArrivals.of(
            pipeline.apply("ReadKinesis", ReadPlayerRecordsFromKinesis.from(options))), options);
        try (EmbeddedFlinkJob job = EmbeddedFlinkJob.start(port, pipeline::run, Duration.ofMinutes(3));
            Producer producer = new Producer(client, rate, traffic)) {
          return freshness(job, producer, probe, probes, warmupSeconds) + serversLine();
        }
      }
    }
  }

  private static String freshness(EmbeddedFlinkJob job, Producer producer, FreshnessProbes probe,
      int probes, int warmupSeconds) throws Exception {
    long start = System.nanoTime();
    // Warm-up: the job has run for a while (JIT, Yauaa's rules, the day's index, first firings),
    // and has caught up with the backlog its start-up left, so a probe does not queue behind it:
    // every record put 2 seconds ago has entered it.
    List<long[]> sentAt = new ArrayList<>(); // {nanoTime, records put}, the last 2 seconds
    while (true) {
      job.check();
      producer.check();
      long now = System.nanoTime();
      long elapsed = now - start;
      sentAt.add(new long[] {now, producer.sent()});
      while (sentAt.size() >= 2 && now - sentAt.get(1)[0] >= 2_000_000_000L) {
        sentAt.remove(0);
      }
      boolean caughtUp = now - sentAt.get(0)[0] >= 2_000_000_000L
          && CountArrivals.count() >= sentAt.get(0)[1];
      if (elapsed >= warmupSeconds * 1_000_000_000L && probe.rows() > 0 && caughtUp) {
        break;
      }
      if (elapsed > Duration.ofMinutes(5).toNanos()) {
        throw new IllegalStateException("the job did not catch up with the input"
            + " within 5 minutes of its start (" + producer.sent() + " records put, "
            + CountArrivals.count() + " in the job, " + probe.rows()
            + " rows in Elasticsearch): lower --rate");
      }
      Thread.sleep(500);
    }
    System.out.printf(Locale.ROOT, "PROGRESS warm-up done after %.0f s (%,d records put, the job"
        + " caught up); %d probes, one a second ...%n", (System.nanoTime() - start) / 1e9,
        producer.sent(), probes);
    long inBefore = CountArrivals.count();
    long sentBefore = producer.sent();
    long probesStart = System.nanoTime();
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger next = new AtomicInteger(1);
    AtomicReference<Throwable> putFailed = new AtomicReference<>();
    ticker.scheduleAtFixedRate(() -> {
      int n = next.getAndIncrement();
      if (n <= probes) {
        try {
          probe.put(n);
        } catch (RuntimeException e) {
          putFailed.set(e);
        }
      }
    }, 0, 1, TimeUnit.SECONDS);
    long lastReport = System.nanoTime();
    long probesEnd = 0;
    long sentAtEnd = 0;
    long inAtEnd = 0;
    try {
      while (true) {
        job.check();
        producer.check();
        if (putFailed.get() != null) {
          throw new IllegalStateException("a probe could not be put", putFailed.get());
        }
        int visible = probe.poll();
        long now = System.nanoTime();
        if (probe.put() >= probes && probesEnd == 0) {
          probesEnd = now;
          sentAtEnd = producer.sent();
          inAtEnd = CountArrivals.count();
        }
        if (probesEnd != 0 && (visible >= probes || now - probesEnd > 60_000_000_000L)) {
          break;
        }
        if (now - lastReport >= 10_000_000_000L) {
          List<Double> f = probe.freshnessSeconds();
          System.out.printf(Locale.ROOT, "PROGRESS %3d probes put, %3d visible, p50 so far %.1f s;"
                  + " %,d records put, %,d in the job%n", probe.put(), visible,
              FreshnessProbes.percentile(f, 50), producer.sent(), CountArrivals.count());
          lastReport = now;
        }
        Thread.sleep(100);
      }
    } finally {
      ticker.shutdownNow();
    }
    List<Double> f = probe.freshnessSeconds();
    StringBuilder all = new StringBuilder();
    f.forEach(x -> all.append(String.format(Locale.ROOT, " %.1f", x)));
    System.out.println("PROGRESS freshness of each probe, sorted (s):" + all);
    System.out.println("PROGRESS by put time (second of the minute:freshness s):"
        + probe.byPutTime());
    double window = (probesEnd - probesStart) / 1e9;
    return String.format(Locale.ROOT,
        "probes=%d visible=%d p50=%.2f p95=%.2f max=%.2f min=%.2f input_per_s=%.1f"
            + " in_job_per_s=%.1f put_records=%d window_seconds=%.1f",
        probes, f.size(), FreshnessProbes.percentile(f, 50), FreshnessProbes.percentile(f, 95),
        f.isEmpty() ? Double.NaN : f.get(f.size() - 1), f.isEmpty() ? Double.NaN : f.get(0),
        (sentAtEnd - sentBefore) / window, (inAtEnd - inBefore) / window,
        producer.sent(), window);
  }

  /**
   * Generated viewers whose events, re-stamped to now and put at their own pace, arrive at about
   * {@code rate} a second: the ramp (viewers joining over the simulation's first minutes) is cut
   * off, so the rate is steady from the start.
   */
  static List<byte[]> liveTraffic(Path dir, double rate, Duration length) throws IOException {
    Instant start = Instant.parse("2026-11-22T05:00:00Z");
    Duration ramp = Duration.ofMinutes(10);
    Duration total = ramp.plus(length).truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
        .plusMinutes(1);
    // The generator sizes its viewers for a target count over the whole run, ramp included (it
    // counts the ramp's minutes as half): this target gives `rate` a second once all have joined.
    long target = Math.round(rate * 60 * (total.toMinutes() - ramp.toMinutes() / 2.0));
    ArchiveGenerator.Config config = ArchiveGenerator.Config.builder()
        .start(start).duration(total).targetEvents(target).videos(10)
        // One simulation: its objects follow each other in time, so the replay stays in order.
        .shards(1)
        .build();
    System.out.printf("PROGRESS generating %,d viewers for %d minutes of live traffic ...%n",
        config.viewers(), total.toMinutes());
    new ArchiveGenerator(config).generate(dir);
    long cut = start.plus(ramp).toEpochMilli();
    List<byte[]> records = new ArrayList<>();
    LocalArchive.forEachRecord(dir, (r, object, line) -> {
      if (!records.isEmpty() || GeneratedRecords.firstEventTime(r) >= cut) {
        records.add(r);
      }
    });
    BenchmarkArchive.deleteTree(dir);
    return records;
  }

  /**
   * The live traffic put by {@link KinesisReplay} on a thread of its own: re-stamped to now,
   * each record when the clock reaches its event time, at most {@code rate} a second.
   */
  private static final class Producer implements AutoCloseable {
    private final Thread thread;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    Producer(KinesisClient client, double rate, List<byte[]> records) {
      KinesisReplay replay = new KinesisReplay(client, STREAM,
          new KinesisReplay.Settings(rate, true, true, 0, 10), null);
      thread = new Thread(() -> {
        try {
          replay.replay(sink -> {
            for (byte[] r : records) {
              if (stop.get()) {
                return;
              }
              sink.accept(r);
              sent.incrementAndGet();
            }
          });
          if (!stop.get()) {
            failure.set(new IllegalStateException("the live traffic ran out: make it longer"));
          }
        } catch (Throwable t) {
          failure.set(t);
        }
      }, "producer");
      thread.setDaemon(true);
      thread.start();
    }

    long sent() {
      return sent.get();
    }

    void check() {
      if (failure.get() != null) {
        throw new IllegalStateException("the producer failed: " + failure.get(), failure.get());
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      thread.join(30_000);
    }
  }
}
