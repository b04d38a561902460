package org.livemetrics.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the backfill phase runs: the shaded job jar {@code bin/livemetrics} runs (with this
 * module's jar after it, for the phase's entry point), and the class archive the build recorded for
 * that jar ({@code bin/record-class-archive}) when the JVM accepts it, exactly as {@code
 * bin/livemetrics backfill} starts it.
 */
record ProductJar(Path jar, Path benchmarksJar, Path classArchive, String archiveStatus) {
  private static final Path JAR = Path.of("runners", "target", "livemetrics.jar");
  private static final Path ARCHIVE = Path.of("runners", "target", "livemetrics-backfill.jsa");

  static ProductJar find() throws IOException, InterruptedException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: build it with"
          + " `mvn -pl runners -am package` (scripts/benchmark-backfill.sh does)");
    }
    Path benchmarks;
    try (Stream<Path> jars = Files.list(Path.of("benchmarks", "target"))) {
      benchmarks = jars.filter(p -> p.getFileName().toString().matches("livemetrics-benchmarks-.*\\.jar"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("benchmarks/target has no jar: run"
              + " `mvn -pl benchmarks -am package`"));
    }
    String status;
    if (!Files.isRegularFile(ARCHIVE)) {
      status = "none (" + ARCHIVE + " is missing)";
    } else if (Files.getLastModifiedTime(ARCHIVE).compareTo(Files.getLastModifiedTime(JAR)) < 0) {
      status = "none (" + ARCHIVE + " is older than the jar)";
    } else {
      status = accepted(JAR + java.io.File.pathSeparator + benchmarks) ? "used" : "none (refused"
          + " by the JVM: recorded by another JDK or for another jar)";
    }
    return new ProductJar(JAR, benchmarks, ARCHIVE, status);
  }

  /** Whether the JVM maps the archive with this class path ({@code -Xshare:on} fails if not). */
  private static boolean accepted(String classpath) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(PhaseJvm.java(), "-Xshare:on",
        "-XX:SharedArchiveFile=" + ARCHIVE, "-cp", classpath, "-version")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return p.waitFor() == 0;
  }

  String classpath() {
    return jar + java.io.File.pathSeparator + benchmarksJar;
  }

  List<String> classArchiveOptions() {
    return archiveStatus.equals("used")
        ? List.of("-XX:SharedArchiveFile=" + classArchive, "-Xlog:all=off",
            "-Xlog:all=warning:stderr")
        : List.of("-Xlog:all=off", "-Xlog:all=warning:stderr");
  }

  String describe() {
    return "backfill: " + jar + " (as bin/livemetrics runs it); class archive: " + archiveStatus;
  }
}
