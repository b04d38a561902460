package org.livemetrics.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.livemetrics.pipelines.backfill.Backfill;
import org.livemetrics.pipelines.backfill.BackfillOptions;
import org.livemetrics.testdata.ReferenceMetrics;
import org.livemetrics.testdata.SampleArchive;

/**
 * The checked-in sample archive (testdata/sample: account {@code default}, videos 6336854458112
 * and 6373141262112, 2026-11-22 05:00-07:00 UTC) through the real backfill into a Parquet store,
 * and the independent reference's answers for it. The backfill runs once per JVM, for every test
 * class and the load test, on the embedded FlinkRunner: on this 2-core machine it took ~20 s
 * there against 2-7 minutes on the DirectRunner.
 */
final class SampleStore {
  static final String ACCOUNT = "default";
  static final long FROM = Instant.parse("2026-11-22T05:00:00Z").toEpochMilli();
  static final long TO = Instant.parse("2026-11-22T07:00:00Z").toEpochMilli();

  private static Path store;
  private static ReferenceMetrics.Result reference;

  private SampleStore() {}

  /** The store directory, backfilled on first use; removed when the JVM exits. */
  static synchronized Path get() {
    if (store == null) {
      try {
        Path dir = Files.createTempDirectory("livemetrics-api-sample-store");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        backfill(SampleArchive.locate(), dir);
        store = dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return store;
  }

  /** {@code SampleStore DIR}: backfills the sample into DIR, for trying {@code serve} by hand. */
  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: SampleStore <store directory>");
      System.exit(2);
    }
    backfill(SampleArchive.locate(), Path.of(args[0]));
    System.out.println("sample store written to " + args[0]);
    System.exit(0); // the embedded Flink cluster leaves non-daemon threads
  }

  /** What the reference calculator expects of the sample. */
  static synchronized ReferenceMetrics.Result reference() {
    if (reference == null) {
      try {
        reference = ReferenceMetrics.withDefaults().compute(SampleArchive.locate());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return reference;
  }

  static void backfill(Path archive, Path output) {
    BackfillOptions options = PipelineOptionsFactory.fromArgs(
            "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2",
            "--archive=" + archive, "--output=" + output,
            "--from=2026-11-22T05", "--to=2026-11-22T07", "--fingerprintSecret=x")
        .withValidation().as(BackfillOptions.class);
    try {
      Backfill.run(options);
    } catch (Exception e) {
      throw new IllegalStateException("backfill of the sample failed", e);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory; the OS cleans up eventually
    }
  }
}
