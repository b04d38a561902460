package org.livemetrics.pipelines;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/** Writes archive objects by hand, the way Firehose lays them out. */
final class ArchiveFixture {
  private final Path root;

  ArchiveFixture(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  void plain(String hourDir, String name, String content) throws IOException {
    Path dir = root.resolve(hourDir);
    Files.createDirectories(dir);
    Files.write(dir.resolve(name), content.getBytes(StandardCharsets.UTF_8));
  }

  void gzip(String hourDir, String name, String content) throws IOException {
    Path dir = root.resolve(hourDir);
    Files.createDirectories(dir);
    Files.write(dir.resolve(name), gzipBytes(content));
  }

  /** A gzip object cut short, as an interrupted upload leaves it. */
  void truncatedGzip(String hourDir, String name, String content, int keepBytes) throws IOException {
    Path dir = root.resolve(hourDir);
    Files.createDirectories(dir);
    byte[] full = gzipBytes(content);
    Files.write(dir.resolve(name), Arrays.copyOf(full, Math.min(keepBytes, full.length - 10)));
  }

  static byte[] gzipBytes(String content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(content.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }
}
