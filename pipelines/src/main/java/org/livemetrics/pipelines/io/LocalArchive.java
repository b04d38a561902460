package org.livemetrics.pipelines.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.livemetrics.transforms.parse.RecordFramer;

/**
 * The records of an archive on the local disk, one by one in arrival order: objects by path (hour
 * directories, then Firehose's timestamped names), records in object order. For tools that replay
 * an archive; pipelines read it with {@link ReadArchive}.
 */
public final class LocalArchive {
  /** Receives each record: one JSON value as it was written (an object, an array, or garbage). */
  @FunctionalInterface
  public interface RecordSink {
    void record(byte[] record, Path object, long line) throws IOException;
  }

  private LocalArchive() {}

  /** The archive's objects ({@code ROOT/YYYY/MM/DD/HH/<object>}) in arrival order. */
  public static List<Path> objects(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("no archive directory at " + root);
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> ArchivePaths.arrivalHour(root.relativize(p).toString().replace('\\', '/')) != null)
          .sorted()
          .toList();
    }
  }

  /** Calls {@code sink} for each record of each object, gzip or plain, NDJSON or concatenated. */
  public static void forEachRecord(Path root, RecordSink sink) throws IOException {
    for (Path object : objects(root)) {
      ReadArchive.BlockReader reader = new ReadArchive.BlockReader(object.toString(),
          org.livemetrics.transforms.parse.RawRecord.UNKNOWN_ARRIVAL, block -> {
            byte[] buf = block.payload();
            RecordFramer.frame(buf, 0, buf.length, (start, end, line, closed) ->
                sink.record(Arrays.copyOfRange(buf, start, end), object, block.firstLine() + line));
          },
          // No record is that long (Kinesis would refuse it too): say so, and go on.
          (rejected, why) -> System.err.printf("%s line %d: %s%n", object, rejected.getLine(),
              why.getMessage()));
      try (InputStream in = ReadArchive.decompressed(Files.newInputStream(object))) {
        reader.readAll(in);
      } catch (IOException e) {
        throw new IOException("cannot read archive object " + object + ": " + e.getMessage(), e);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException(e);
      }
    }
  }
}
