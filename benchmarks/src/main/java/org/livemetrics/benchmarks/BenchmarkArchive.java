package org.livemetrics.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.livemetrics.testdata.ArchiveGenerator;

/**
 * The benchmarks' input: a seeded archive of about N events ({@link
 * ArchiveGenerator.Config#benchmark}), generated once under the benchmark directory and reused by
 * every later run (and by every benchmark) asking for the same N.
 */
final class BenchmarkArchive {
  private BenchmarkArchive() {}

  /** {@code DIR/archive-N}, generated first unless a complete one is there. */
  static Path ensure(Path dir, long events) throws IOException {
    ArchiveGenerator.Config config = ArchiveGenerator.Config.benchmark(events);
    // The name carries the generator's settings: an archive of an older shape is never reused.
    Path archive = dir.resolve("archive-" + events + "-" + Integer.toHexString(config.toString().hashCode()));
    Path marker = archive.resolve("_GENERATED");
    if (!Files.exists(marker)) {
      deleteTree(archive);
      System.out.printf("Generating a benchmark archive of ~%,d events in %s ...%n", events, archive);
      long t0 = System.nanoTime();
      ArchiveGenerator.Summary s = new ArchiveGenerator(config).generate(archive);
      Files.writeString(marker, s.oneLine() + "\n");
      System.out.printf("  %s (%.1f s)%n", s.oneLine(), (System.nanoTime() - t0) / 1e9);
    } else {
      System.out.println("Reusing " + archive + ": " + Files.readString(marker).trim());
    }
    return archive;
  }

  static long bytes(Path archive) throws IOException {
    try (Stream<Path> s = Files.walk(archive)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  /** The archive's JSON bytes: every object read through, gunzipped where it is gzip. */
  static long uncompressedBytes(Path archive) throws IOException {
    long total = 0;
    byte[] buf = new byte[1 << 16];
    for (Path f : Phases.objects(archive)) {
      try (java.io.InputStream in = Phases.open(f)) {
        for (int r; (r = in.read(buf)) >= 0; ) {
          total += r;
        }
      }
    }
    return total;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
