package org.livemetrics.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import sun.misc.Signal;

/**
 * What one {@code livemetrics} process owns, and its clean end. Every temporary file of the run
 * (the embedded Flink's RPC jar and mini-cluster directories, Beam's and the demo servers' scratch
 * files) goes under one directory, the JVM's {@code java.io.tmpdir}, removed when the process
 * ends. On SIGINT or SIGTERM the process prints one
 * "stopped" line, stops its child processes, removes the directory and exits with 130 or 143,
 * without the engine's stack traces (its threads die mid-work when the process stops: their
 * output is dropped from then on).
 */
final class RunScope {
  private static final Duration CHILD_GRACE = Duration.ofSeconds(10);
  private static final List<Runnable> CLEANUPS = new CopyOnWriteArrayList<>();
  private static volatile Path directory;
  private static volatile Gate stdout;
  private static volatile Gate stderr;
  private static final PrintStream RAW_ERR =
      new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

  private RunScope() {}

  /** Output that can be shut: after a stop nothing more reaches the terminal. */
  private static final class Gate extends FilterOutputStream {
    private volatile boolean open = true;

    Gate(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      if (open) {
        out.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (open) {
        out.write(b, off, len);
      }
    }

    void shut() {
      try {
        out.flush();
      } catch (IOException e) {
        // the terminal is gone: nothing to tell it
      }
      open = false;
    }
  }

  /**
   * Takes the run's temporary directory: the one bin/livemetrics made and passed as {@code
   * -Dlivemetrics.runDirectory} (also the JVM's java.io.tmpdir from its start), or else a new one
   * under java.io.tmpdir, made the property's value. The JDK reads java.io.tmpdir once, when the
   * JVM starts, so without the wrapper only the files of code that reads the property (Flink's,
   * Beam's) move there; {@code java -jar} users pass {@code -Djava.io.tmpdir} and
   * {@code -Dlivemetrics.runDirectory} as the wrapper does. Also routes stdout and stderr
   * through gates and takes over SIGINT and SIGTERM for {@code command}.
   */
  static void begin(String command) throws IOException {
    String given = System.getProperty("livemetrics.runDirectory");
    // Only a directory named as the wrapper names them: this one is deleted at the end.
    if (given != null && Files.isDirectory(Paths.get(given))
        && Paths.get(given).getFileName().toString().startsWith("livemetrics-run.")) {
      directory = Paths.get(given);
    } else {
      Path parent = Paths.get(System.getProperty("java.io.tmpdir"));
      String name = "livemetrics-" + command + "-" + ProcessHandle.current().pid() + "-"
          + Long.toHexString(new SecureRandom().nextLong() & 0xffffffL);
      directory = Files.createDirectories(parent).resolve(name);
      // Traversable, not listable: as root the demo's Elasticsearch runs as nobody, below it.
      Files.createDirectory(directory,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
    }
    System.setProperty("java.io.tmpdir", directory.toString());
    stdout = new Gate(new FileOutputStream(FileDescriptor.out));
    stderr = new Gate(new FileOutputStream(FileDescriptor.err));
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    for (String signal : List.of("INT", "TERM")) {
      Signal.handle(new Signal(signal), s -> stop(command, s.getName(), 128 + s.getNumber()));
    }
  }

  /** The run's temporary directory, or null outside {@link #begin}. */
  static Path directory() {
    return directory;
  }

  /** Something to undo when the run ends, however it ends (before the directory goes). */
  static void onEnd(Runnable cleanup) {
    CLEANUPS.add(cleanup);
  }

  /** The normal end: cleans up and exits with {@code status}. */
  static void end(int status) {
    System.out.flush();
    System.err.flush();
    cleanUp();
    Runtime.getRuntime().halt(status);
  }

  private static void stop(String command, String signal, int status) {
    if (stdout != null) {
      stdout.shut();
      stderr.shut();
    }
    RAW_ERR.println("livemetrics " + command + ": stopped (SIG" + signal + ")");
    cleanUp();
    // halt, not exit: the engine's shutdown hooks would only report the work they lost.
    Runtime.getRuntime().halt(status);
  }

  private static synchronized void cleanUp() {
    writeFlightRecordings();
    for (Runnable r : CLEANUPS) {
      try {
        r.run();
      } catch (RuntimeException e) {
        // best effort: the rest must still run
      }
    }
    CLEANUPS.clear();
    stopChildren();
    if (directory != null) {
      deleteTree(directory);
    }
  }

  /**
   * A flight recording started with {@code -XX:StartFlightRecording=filename=...} is written by a
   * shutdown hook, which {@code halt} skips: stopping it here writes it to its file, so an operator
   * can profile a run through {@code JAVA_OPTS}. Nothing happens when no recorder was started.
   */
  private static void writeFlightRecordings() {
    try {
      if (FlightRecorder.isInitialized()) {
        for (Recording r : FlightRecorder.getFlightRecorder().getRecordings()) {
          if (r.getDestination() != null && r.getState() == RecordingState.RUNNING) {
            r.stop();
          }
        }
      }
    } catch (RuntimeException | LinkageError e) {
      // best effort: a recording must not keep the process from ending
    }
  }

  /** SIGTERM to every descendant (the demo's servers), then SIGKILL to those still there. */
  static void stopChildren() {
    List<ProcessHandle> children = ProcessHandle.current().descendants().toList();
    children.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + CHILD_GRACE.toNanos();
    for (ProcessHandle p : children) {
      try {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          p.onExit().get(left, TimeUnit.NANOSECONDS);
        }
      } catch (Exception e) {
        // still running, or gone: destroyForcibly below covers both
      }
      p.destroyForcibly();
    }
  }

  /** Deletes {@code root} and everything under it; what cannot be deleted is left quietly. */
  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      walkDeleting(root);
    } catch (IOException e) {
      // files being written while we delete (a stopping engine): a second pass gets them
      try {
        walkDeleting(root);
      } catch (IOException again) {
        RAW_ERR.println("livemetrics: could not remove " + root + ": " + again.getMessage());
      }
    }
  }

  private static void walkDeleting(Path root) throws IOException {
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE; // gone meanwhile
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
