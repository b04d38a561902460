package org.livemetrics.benchmarks;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.livemetrics.testdata.ArchiveGenerator;

/**
 * The backfill benchmark: generates (once) an archive of at least N events, then measures, each in
 * its own JVM on the same archive and cores:
 *
 * <ol>
 *   <li>ceiling: the archive only read, gunzipped and JSON-parsed in a plain Java loop;
 *   <li>DuckDB: the same per-minute metrics for the three dimension sets, in SQL;
 *   <li>the backfill on the embedded FlinkRunner.
 * </ol>
 *
 * Prints events/s, wall time and peak RSS of each, and the ratios. Figures, not assertions.
 */
public final class BackfillBenchmark {
  private BackfillBenchmark() {}

  public static void main(String[] args) throws Exception {
    long events = 5_000_000;
    Path dir = Path.of(".work/benchmark");
    int parallelism = 2;
    // The backfill's memory is bounded by its partial rows, not by the archive: it runs in the JVM
    // bin/livemetrics gives a backfill (1 GB of heap, the throughput collector).
    String backfillHeap = "1g";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--events" -> events = Long.parseLong(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        case "--parallelism" -> parallelism = Integer.parseInt(args[++i]);
        case "--backfill-heap" -> backfillHeap = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; usage: BackfillBenchmark [--events N] [--dir DIR] [--parallelism P] [--backfill-heap 1g]");
      }
    }
    ArchiveGenerator.Config config = ArchiveGenerator.Config.benchmark(events);
    Path archive = BenchmarkArchive.ensure(dir, events);
    long bytes = BenchmarkArchive.bytes(archive);
    String from = config.start().toString();
    String to = config.start().plus(config.duration()).toString();
    Path store = dir.resolve("store-" + Instant.now().toEpochMilli());

    long uncompressed = BenchmarkArchive.uncompressedBytes(archive);
    System.out.printf(Locale.ROOT, "Archive: %,.0f MB on disk, %,.0f MB of JSON; %d cores; load average %.2f;"
            + " Java %s; phases run one after another, each in its own JVM (-Xmx%s, the backfill -Xmx%s %s as bin/livemetrics runs it).%n",
        bytes / 1e6, uncompressed / 1e6, Runtime.getRuntime().availableProcessors(),
        MachineLoad.loadAverage(), System.getProperty("java.version"), HEAP, backfillHeap,
        String.join(" ", PhaseJvm.optionsFile("backfill-jvm.options")));
    List<Map<String, String>> results = new ArrayList<>();
    results.add(phase("ceiling", archive.toString(), String.valueOf(parallelism)));
    results.add(phase("duckdb", archive.toString(), String.valueOf(parallelism)));
    List<String> backfillJvm = new ArrayList<>(List.of("-Xmx" + backfillHeap));
    backfillJvm.addAll(PhaseJvm.optionsFile("backfill-jvm.options"));
    ProductJar product = ProductJar.find();
    backfillJvm.addAll(product.classArchiveOptions());
    System.out.println(product.describe());
    results.add(PhaseJvm.run(product.classpath(), Phases.class, backfillJvm, "backfill",
        archive.toString(), String.valueOf(parallelism), store.toString(), from, to));
    BenchmarkArchive.deleteTree(store);

    System.out.println();
    System.out.printf("%-40s %11s %9s %10s %11s %9s %12s%n", "phase", "events", "wall s", "events/s",
        "JSON MB/s", "CPU s", "peak RSS MB");
    String[] names = {"ceiling (read+gunzip+parse, " + parallelism + " threads)",
        "DuckDB " + results.get(1).getOrDefault("version", "?") + " SQL (3 dimension sets)",
        "backfill, Flink embedded p=" + parallelism};
    double[] secs = new double[3];
    for (int i = 0; i < 3; i++) {
      Map<String, String> r = results.get(i);
      secs[i] = Double.parseDouble(r.get("seconds"));
      long n = Long.parseLong(r.get("events"));
      System.out.printf(Locale.ROOT, "%-40s %,11d %9.1f %,10.0f %,11.0f %9s %,12d%n", names[i], n, secs[i],
          n / secs[i], uncompressed / 1e6 / secs[i], r.get("cpu_seconds"), Long.parseLong(r.get("peak_rss_mb")));
    }
    long events1 = Long.parseLong(results.get(2).get("events"));
    System.out.printf(Locale.ROOT, "%n%,.0f bytes of JSON per event. backfill / DuckDB = %.2f (wall time, same"
            + " archive and cores)   backfill / ceiling = %.2f%n(backfill pipeline alone: %s s, %s aggregate"
            + " rows written; load average after the run %.2f)%n",
        uncompressed / (double) events1, secs[1] / secs[2], secs[0] / secs[2],
        results.get(2).get("pipeline_seconds"), results.get(2).get("rows"), MachineLoad.loadAverage());
  }

  private static final String HEAP = "4g";

  private static Map<String, String> phase(String... args) throws Exception {
    return PhaseJvm.run(Phases.class, List.of("-Xmx" + HEAP), args);
  }
}
