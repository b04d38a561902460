package org.livemetrics.pipelines.backfill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.livemetrics.pipelines.io.ArchivePaths;

/**
 * What the backfill checks before it runs, so that an operator's mistake (a wrong path, a wrong
 * date) is an error while the store is still untouched, rather than a run that "succeeds" by
 * replacing committed hours with empty ones.
 */
final class ArchiveCheck {
  private static final long HOUR = 3_600_000L;

  private ArchiveCheck() {}

  /** A local archive root must exist; an object store has no directories to check. */
  static void requireRoot(String option, String root) {
    if (!root.contains("://") && !Files.isDirectory(Path.of(root))) {
      throw new IllegalArgumentException("--" + option + "=" + root + ": no such directory"
          + " (the archive root holds YYYY/MM/DD/HH/ partitions)");
    }
  }

  /** How many objects the archive holds in the arrival hours {@code [fromHour, toHour)}. */
  static long objectsInRange(String root, long fromHour, long toHour) throws IOException {
    requireRoot("archive", root);
    List<String> patterns = new ArrayList<>();
    for (long h = fromHour; h < toHour; h += HOUR) {
      patterns.add(ArchivePaths.hourDirectory(root, h) + "/*");
    }
    long objects = 0;
    for (MatchResult m : FileSystems.match(patterns, EmptyMatchTreatment.ALLOW)) {
      if (m.status() == MatchResult.Status.OK) {
        objects += m.metadata().size();
      } else if (m.status() != MatchResult.Status.NOT_FOUND) {
        throw new IOException("cannot list the archive under " + root + ": " + m.status());
      }
    }
    return objects;
  }

  static String emptyRangeMessage(String root, long fromHour, long toHour) {
    return "--archive=" + root + " has no object in the range's hours ("
        + ArchivePaths.hourDirectory(root, fromHour) + "/ to "
        + ArchivePaths.hourDirectory(root, toHour - HOUR) + "/): is the archive or the range "
        + "wrong? Nothing was changed. To commit these hours as empty, pass --allowEmptyRange.";
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
