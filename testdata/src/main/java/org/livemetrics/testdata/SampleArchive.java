package org.livemetrics.testdata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The small archive checked in under {@code testdata/sample}: how it is made and where to find it.
 *
 * <p>Regenerate it (from the repository root) with {@code mvn -o -q -pl testdata compile
 * org.codehaus.mojo:exec-maven-plugin:3.5.0:java
 * -Dexec.mainClass=org.livemetrics.testdata.SampleArchive}; the output is the same
 * every time.
 */
public final class SampleArchive {

  /** The sample's place in the repository. */
  public static final String RELATIVE_PATH = "testdata/sample";

  private SampleArchive() {}

  /**
   * Seed 42, 2026-11-22 05:00-07:00 UTC, 2 videos, 40 viewers, account {@code default}; objects
   * every 3 minutes, mostly gzipped (at level 9) to stay small, a few more broken records than
   * the default.
   */
  public static ArchiveGenerator.Config config() {
    return ArchiveGenerator.Config.builder()
        .seed(42)
        .start(java.time.Instant.parse("2026-11-22T05:00:00Z"))
        .duration(Duration.ofHours(2))
        .videos(2)
        .viewers(40)
        .accountId(ReferenceMetrics.DEFAULT_ACCOUNT)
        .shards(1)
        .brokenRecordRate(0.004)
        .gzipFraction(0.85)
        .gzipLevel(9)
        .objectInterval(Duration.ofMinutes(3))
        .build();
  }

  /**
   * The checked-in sample, found from the working directory or one of its parents (tests run in
   * their module's directory).
   */
  public static Path locate() {
    Path sample = repositoryRoot().resolve(RELATIVE_PATH);
    if (!Files.isDirectory(sample)) {
      throw new IllegalStateException("The sample archive " + sample + " is missing; regenerate"
          + " it with SampleArchive.main (see testdata/README.md)");
    }
    return sample;
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("testdata/pom.xml"))) {
        return d;
      }
    }
    throw new IllegalStateException(
        "No testdata module in " + dir + " or its parents; run from inside the repository");
  }

  /** Rewrites the sample: {@code SampleArchive [DIR]}, DIR defaulting to the checked-in one. */
  public static void main(String[] args) throws IOException {
    Path out;
    if (args.length > 0) {
      out = Path.of(args[0]);
    } else {
      out = repositoryRoot().resolve(RELATIVE_PATH);
    }
    deleteArchive(out);
    ArchiveGenerator.Summary s = new ArchiveGenerator(config()).generate(out);
    System.out.println("sample " + out + ": " + s.oneLine());
    System.out.println("events by type " + s.eventsByMetricType());
    System.out.println("variations " + s.variations());
  }

  /** Removes the year directories of an archive, leaving anything else in {@code dir} alone. */
  private static void deleteArchive(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var years = Files.list(dir)) {
      for (Path y : years.filter(p -> p.getFileName().toString().matches("\\d{4}")).toList()) {
        try (var walk = Files.walk(y)) {
          for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
    }
  }
}
