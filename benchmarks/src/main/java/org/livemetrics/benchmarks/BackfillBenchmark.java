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
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--events" -> events = Long.parseLong(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        case "--parallelism" -> parallelism = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; usage: BackfillBenchmark [--events N] [--dir DIR] [--parallelism P]");
      }
    }
    ArchiveGenerator.Config config = ArchiveGenerator.Config.benchmark(events);
    Path archive = BenchmarkArchive.ensure(dir, events);
    long bytes = BenchmarkArchive.bytes(archive);
    String from = config.start().toString();
    String to = config.start().plus(config.duration()).toString();
    Path store = dir.resolve("store-" + Instant.now().toEpochMilli());

    System.out.printf("Archive: %,.0f MB gzip NDJSON; %d cores; phases run one after another, each in its own JVM (-Xmx4g).%n",
        bytes / 1e6, Runtime.getRuntime().availableProcessors());
    List<Map<String, String>> results = new ArrayList<>();
    results.add(phase("ceiling", archive.toString(), String.valueOf(parallelism)));
    results.add(phase("duckdb", archive.toString(), String.valueOf(parallelism)));
    results.add(phase("backfill", archive.toString(), String.valueOf(parallelism), store.toString(), from, to));
    BenchmarkArchive.deleteTree(store);

    System.out.println();
    System.out.printf("%-36s %12s %10s %12s %14s%n", "phase", "events", "seconds", "events/s", "peak RSS MB");
    String[] names = {"ceiling (read+gunzip+parse, 2 threads)", "DuckDB SQL (3 dimension sets)",
        "backfill, Flink embedded p=" + parallelism};
    double[] rates = new double[3];
    for (int i = 0; i < 3; i++) {
      Map<String, String> r = results.get(i);
      double secs = Double.parseDouble(r.get("seconds"));
      long n = Long.parseLong(r.get("events"));
      rates[i] = n / secs;
      System.out.printf(Locale.ROOT, "%-36s %,12d %10.1f %,12.0f %,14d%n", names[i], n, secs, rates[i],
          Long.parseLong(r.get("peak_rss_mb")));
    }
    System.out.printf(Locale.ROOT, "%nbackfill / DuckDB = %.2f   backfill / ceiling = %.2f   (backfill pipeline alone: %s s, %s rows written)%n",
        rates[2] / rates[1], rates[2] / rates[0], results.get(2).get("pipeline_seconds"), results.get(2).get("rows"));
  }

  private static Map<String, String> phase(String... args) throws Exception {
    return PhaseJvm.run(Phases.class, List.of("-Xmx4g"), args);
  }
}
