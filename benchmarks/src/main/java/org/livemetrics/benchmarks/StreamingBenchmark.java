package org.livemetrics.benchmarks;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The streaming benchmark: the streaming pipeline ({@code StreamingPipeline}) as a job on the
 * embedded FlinkRunner with parallelism 2, measured in three phases, each in its own JVM
 * ({@link StreamingPhases}) on the same cores:
 *
 * <ol>
 *   <li><b>engine</b>: the N events of a generated archive from an in-process source through the
 *       pipeline, Parquet out: events/s of the engine alone;
 *   <li><b>kinesis</b>: the same events put into a local Kinesis (kinesalite, {@code --shards}
 *       shards, 2 by default) first, then
 *       read through the pipeline's Kinesis source: events/s through the broker (and the put
 *       rate, apart);
 *   <li><b>freshness</b>: the job as it runs live, Kinesis in and Elasticsearch out, while events
 *       arrive at a steady rate; a probe event a second, and the time until its minute's row can be
 *       searched in Elasticsearch: p50, p95 and max.
 * </ol>
 *
 * Each phase starts the servers it needs and stops them, with its Flink job, before it ends.
 * Figures, not assertions; each comes with what else ran on the machine meanwhile (the load
 * average, and the CPU that processes other than the phase's used), as another person's build
 * on a 2-core machine changes them.
 */
public final class StreamingBenchmark {
  private static final Set<String> PHASES = Set.of("engine", "kinesis", "freshness");
  static final String USAGE = "usage: StreamingBenchmark [--events N] [--rate EVENTS_PER_S]"
      + " [--probes K] [--warmup SECONDS] [--phases engine,kinesis,freshness] [--parallelism P]"
      + " [--shards S] [--earlyFiringSeconds F] [--jobOptions '--a=1 --b=2'] [--dir DIR]";

  private StreamingBenchmark() {}

  /** The command line, checked. */
  record Settings(long events, double rate, int probes, int warmupSeconds, List<String> phases,
      int parallelism, int shards, int earlyFiringSeconds, String jobOptions, Path dir) {

    static Settings parse(String... args) {
      long events = 400_000;
      double rate = 500;
      int probes = 80;
      int warmup = 30;
      List<String> phases = List.of("engine", "kinesis", "freshness");
      int parallelism = 2;
      int shards = 2;
      int earlyFiring = 5;
      String jobOptions = "";
      Path dir = Path.of(".work/benchmark");
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(a + " needs a value; " + USAGE);
        }
        String v = args[++i];
        switch (a) {
          case "--events" -> events = Long.parseLong(v);
          case "--rate" -> rate = Double.parseDouble(v);
          case "--probes" -> probes = Integer.parseInt(v);
          case "--warmup" -> warmup = Integer.parseInt(v);
          case "--phases" -> phases = List.of(v.split(","));
          case "--parallelism" -> parallelism = Integer.parseInt(v);
          case "--shards" -> shards = Integer.parseInt(v);
          case "--earlyFiringSeconds" -> earlyFiring = Integer.parseInt(v);
          case "--jobOptions" -> jobOptions = v.trim();
          case "--dir" -> dir = Path.of(v);
          default -> throw new IllegalArgumentException("unknown argument " + a + "; " + USAGE);
        }
      }
      if (events < 20_000 || rate <= 0 || probes < 1 || warmup < 0 || parallelism < 1
          || shards < 1 || shards > 64 || earlyFiring < 1) {
        throw new IllegalArgumentException("--events must be at least 20,000, --rate positive,"
            + " --probes at least 1, --warmup at least 0, --parallelism at least 1, --shards 1 to"
            + " 64, --earlyFiringSeconds at least 1; " + USAGE);
      }
      for (String p : phases) {
        if (!PHASES.contains(p)) {
          throw new IllegalArgumentException("unknown phase '" + p + "' (engine, kinesis,"
              + " freshness); " + USAGE);
        }
      }
      for (String o : jobOptions.isEmpty() ? new String[0] : jobOptions.split("\\s+")) {
        if (!o.startsWith("--") || !o.contains("=")) {
          throw new IllegalArgumentException("--jobOptions takes pipeline options as --name=value,"
              + " separated by spaces, was '" + o + "'; " + USAGE);
        }
      }
      return new Settings(events, rate, probes, warmup, phases, parallelism, shards, earlyFiring,
          jobOptions, dir);
    }
  }

  public static void main(String[] args) throws Exception {
    Settings s;
    try {
      s = Settings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Path archive = null;
    if (s.phases().contains("engine") || s.phases().contains("kinesis")) {
      archive = BenchmarkArchive.ensure(s.dir(), s.events());
    }
    Path work = s.dir().resolve("streaming-" + Instant.now().toEpochMilli());
    System.out.printf(Locale.ROOT, "Streaming pipeline on the embedded FlinkRunner, parallelism %d;"
            + " %d cores; phases one after another, each in its own JVM (-Xmx4g and"
            + " bin/stream-jvm.options, as bin/livemetrics stream runs it). Load average"
            + " now: %.2f%n", s.parallelism(), Runtime.getRuntime().availableProcessors(),
        MachineLoad.loadAverage());
    Map<String, Map<String, String>> results = new LinkedHashMap<>();
    try {
      for (String phase : s.phases()) {
        String p = String.valueOf(s.parallelism());
        String dir = work.resolve(phase).toString();
        List<String> phaseArgs = switch (phase) {
          case "engine" -> List.of(phase, archive.toString(), p, dir, s.jobOptions());
          case "kinesis" -> List.of(phase, archive.toString(), p, dir, String.valueOf(s.shards()),
              s.jobOptions());
          default -> List.of(phase, p, dir, String.valueOf(s.rate()), String.valueOf(s.probes()),
              String.valueOf(s.warmupSeconds()), String.valueOf(s.shards()),
              String.valueOf(s.earlyFiringSeconds()), s.jobOptions());
        };
        results.put(phase, measured(phaseArgs));
      }
    } finally {
      BenchmarkArchive.deleteTree(work);
    }
    System.out.println();
    System.out.print(table(s, results));
  }

  /** Runs a phase and adds what the machine did meanwhile: load average, others' CPU. */
  private static Map<String, String> measured(List<String> args) throws Exception {
    double loadBefore = MachineLoad.loadAverage();
    double busyBefore = MachineLoad.busyCpuSeconds();
    long started = System.nanoTime();
    List<String> jvm = new ArrayList<>(List.of("-Xmx4g",
        // kinesalite speaks JSON only (shared notes, aws-local.md)
        "-Daws.cborEnabled=false",
        // A cancelled job is how a phase ends: not an error worth a stack trace.
        "-Dorg.slf4j.simpleLogger.log.org.apache.beam.runners.flink.FlinkRunner=off"));
    // The JVM options bin/livemetrics gives a stream.
    jvm.addAll(PhaseJvm.optionsFile("stream-jvm.options"));
    // Extra JVM options for each phase's JVM, e.g. a JFR recording (see scripts/benchmark-streaming.sh).
    String extra = System.getenv("PHASE_JAVA_OPTS");
    if (extra != null && !extra.isBlank()) {
      jvm.addAll(List.of(extra.trim().split("\\s+")));
    }
    String services = System.getProperty("livemetrics.services.dir");
    if (services != null) {
      jvm.add("-Dlivemetrics.services.dir=" + services);
    }
    Map<String, String> r = new LinkedHashMap<>(
        PhaseJvm.run(StreamingPhases.class, jvm, args.toArray(String[]::new)));
    double wall = (System.nanoTime() - started) / 1e9;
    double others = (MachineLoad.busyCpuSeconds() - busyBefore
        - Double.parseDouble(r.get("cpu_seconds"))) / wall;
    r.put("wall_seconds", String.format(Locale.ROOT, "%.1f", wall));
    r.put("load_before", String.format(Locale.ROOT, "%.2f", loadBefore));
    r.put("load_after", String.format(Locale.ROOT, "%.2f", MachineLoad.loadAverage()));
    r.put("others_cores", String.format(Locale.ROOT, "%.2f", Math.max(0, others)));
    return r;
  }

  static String table(Settings s, Map<String, Map<String, String>> results) {
    StringBuilder out = new StringBuilder();
    if (!s.jobOptions().isEmpty()) {
      out.append("job options added: ").append(s.jobOptions()).append(System.lineSeparator());
    }
    String head = "%-31s %9s %8s %9s %11s %8s %7s %8s %11s %8s %8s %11s %7s%n";
    String row = "%-31s %,9d %8.1f %,9.0f %,11.0f %8.1f %7.1f %8.2f %11.2f %,8d %8s %11s %7s%n";
    boolean throughput = results.containsKey("engine") || results.containsKey("kinesis");
    if (throughput) {
      out.append(String.format(Locale.ROOT, head, "Flink embedded, parallelism " + s.parallelism(),
          "events", "seconds", "events/s", "2nd half/s", "start-up", "CPU-s", "CPU-s/1k",
          "2nd half/1k", "RSS MB", "servers", "load",
          "others"));
    }
    for (String phase : List.of("engine", "kinesis")) {
      Map<String, String> r = results.get(phase);
      if (r == null) {
        continue;
      }
      long events = Long.parseLong(r.get("events"));
      long records = Long.parseLong(r.get("records"));
      double seconds = Double.parseDouble(r.get("seconds"));
      // Events per record (a few broken records have none): the second half's rate in events.
      double secondHalf = Long.parseLong(r.get("second_half_records")) * ((double) events / records)
          / Math.max(1e-3, Double.parseDouble(r.get("second_half_seconds")));
      out.append(String.format(Locale.ROOT, row,
          phase.equals("engine") ? "engine: in-process generator"
              : "kinesis: kinesalite, " + s.shards() + " shards",
          events, seconds, events / seconds, secondHalf,
          Double.parseDouble(r.get("startup_seconds")), Double.parseDouble(r.get("cpu_seconds")),
          Double.parseDouble(r.get("cpu_seconds")) * 1000 / events,
          Double.parseDouble(r.get("second_half_cpu_seconds")) * 1000
              / (Long.parseLong(r.get("second_half_records")) * ((double) events / records)),
          Long.parseLong(r.get("peak_rss_mb")),
          r.containsKey("servers_peak_rss_mb") ? String.format(Locale.ROOT, "%,d",
              Long.parseLong(r.get("servers_peak_rss_mb"))) : "-",
          r.get("load_before") + "→" + r.get("load_after"), r.get("others_cores")));
      if (phase.equals("kinesis")) {
        long put = Long.parseLong(r.get("put_records"));
        double putSeconds = Double.parseDouble(r.get("put_seconds"));
        out.append(String.format(Locale.ROOT, "  put into kinesalite first: %,d records in %.1f s,"
            + " %,.0f records/s (PutRecords of up to 500, one after another)%n", put, putSeconds,
            put / putSeconds));
      }
    }
    if (results.containsKey("engine") && results.containsKey("kinesis")
        && !results.get("engine").get("events").equals(results.get("kinesis").get("events"))) {
      out.append("  NOTE: the two phases parsed different numbers of events from the same records\n");
    }
    if (throughput) {
      out.append(String.join("\n",
          "  seconds: first to last record into the pipeline; events/s: its events_parsed counter over",
          "  them; 2nd half: the rate over the second half of the records; start-up: job submitted to",
          "  first record. CPU-s: CPU seconds of the",
          "  phase's JVM (and of kinesalite), start-up included; CPU-s/1k: the same per 1,000 events;",
          "  2nd half/1k: the phase JVM's CPU seconds per 1,000 events over the second half (steady).",
          "  RSS: peak of the phase's JVM; servers: of kinesalite. load: 1-minute load",
          "  average at the phase's start → end (it counts the phase too); others: cores used on",
          "  average by processes other than the phase's.", ""));
    }
    Map<String, String> f = results.get("freshness");
    if (f != null) {
      out.append(String.format(Locale.ROOT, "%nfreshness, Flink embedded, parallelism %d: Kinesis"
          + " (%d shards) in, Elasticsearch out, --earlyFiringSeconds=%d;%n  a probe event put →"
          + " its minute's row searchable in Elasticsearch%n", s.parallelism(), s.shards(),
          s.earlyFiringSeconds()));
      out.append(String.format(Locale.ROOT, "  p50 %.1f s   p95 %.1f s   max %.1f s   (min %.1f s;"
              + " %s of %s probes visible, one a second for %.0f s)%n",
          Double.parseDouble(f.get("p50")), Double.parseDouble(f.get("p95")),
          Double.parseDouble(f.get("max")), Double.parseDouble(f.get("min")), f.get("visible"),
          f.get("probes"), Double.parseDouble(f.get("window_seconds"))));
      out.append(String.format(Locale.ROOT, "  input %,.0f events/s put meanwhile (target %,.0f),"
              + " %,.0f/s into the job; RSS %,d MB, servers (Elasticsearch, kinesalite)"
              + " %,d MB; load %s→%s, others %s%n",
          Double.parseDouble(f.get("input_per_s")), s.rate(),
          Double.parseDouble(f.get("in_job_per_s")), Long.parseLong(f.get("peak_rss_mb")),
          Long.parseLong(f.get("servers_peak_rss_mb")), f.get("load_before"), f.get("load_after"),
          f.get("others_cores")));
    }
    return out.toString();
  }
}
