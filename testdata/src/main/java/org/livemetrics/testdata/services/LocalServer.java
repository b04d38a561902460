package org.livemetrics.testdata.services;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real local server process (installed by {@code scripts/services.sh install}) on a free
 * loopback port, for tests and the demo: no Docker here, and no mocks of the services.
 *
 * <p>Subclasses say how to start it; this class picks the port, waits until it accepts
 * connections (and {@link #ready()}), keeps its log in its work directory, and stops it on
 * {@link #close()}.
 */
public abstract class LocalServer implements AutoCloseable {
  private final String name;
  private final Path workDir;
  private Process process;
  private Thread stopAtExit;
  private int port;

  protected LocalServer(String name) {
    this.name = name;
    try {
      this.workDir = Files.createTempDirectory("livemetrics-" + name);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a work directory for " + name, e);
    }
  }

  /** Where {@code scripts/services.sh install} put the servers. */
  public static Path servicesDir() {
    String dir = System.getProperty("livemetrics.services.dir");
    if (dir == null) {
      dir = System.getenv().getOrDefault("LIVEMETRICS_SERVICES_DIR", ".work/services");
    }
    return Path.of(dir).toAbsolutePath().normalize();
  }

  /** The command that starts the server on {@code port}, bound to 127.0.0.1 only. */
  protected abstract ProcessBuilder command(Path workDir, int port) throws IOException;

  /** Beyond accepting connections: is the server ready to serve (e.g. an HTTP health check)? */
  protected boolean ready() {
    return true;
  }

  protected long startTimeoutSeconds() {
    return 60;
  }

  public final synchronized LocalServer start() {
    if (process != null) {
      return this;
    }
    try {
      port = freePort();
      Path log = workDir.resolve(name + ".log");
      process =
          command(workDir, port).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      // A test JVM that exits without close() (Ctrl-C, a surefire timeout) must not leave the
      // server running: Elasticsearch alone holds ~700 MB.
      Process started = process;
      stopAtExit = new Thread(() -> stop(started), "stop-" + name);
      Runtime.getRuntime().addShutdownHook(stopAtExit);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(startTimeoutSeconds());
      while (!(accepts(port) && ready())) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          String tail = Files.exists(log) ? Files.readString(log) : "";
          close();
          throw new IllegalStateException(
              name + " did not start on port " + port + "; its log:\n"
                  + tail.substring(Math.max(0, tail.length() - 4000)));
        }
        Thread.sleep(100);
      }
      return this;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting " + name, e);
    }
  }

  public final int port() {
    return port;
  }

  public final String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public final Path workDir() {
    return workDir;
  }

  /**
   * For a failing test's message: whether the server still runs, and the warnings and errors at
   * the end of its log (a server that died or refused writes explains a pipeline's failures).
   */
  public final synchronized String diagnose() {
    String state = process == null ? "not started" : process.isAlive() ? "running"
        : "exited with " + process.exitValue();
    Path log = workDir.resolve(name + ".log");
    try {
      List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
      List<String> notable = lines.stream()
          .filter(l -> l.contains("WARN") || l.contains("ERROR") || l.contains("rror:")
              || l.contains("xception"))
          .toList();
      List<String> tail = notable.subList(Math.max(0, notable.size() - 10), notable.size());
      StringBuilder b = new StringBuilder(name + " " + state + ", " + notable.size()
          + " warnings/errors in its log");
      tail.forEach(l -> b.append("\n  ").append(l.length() > 400 ? l.substring(0, 400) : l));
      return b.toString();
    } catch (IOException | RuntimeException e) {
      return name + " " + state + " (log unreadable: " + e.getMessage() + ")";
    }
  }

  /** The machine's Node.js: {@code LIVEMETRICS_NODE} if set, else {@code node} on the PATH. */
  protected static String node() {
    String node = System.getenv("LIVEMETRICS_NODE");
    return node == null || node.isEmpty() ? "node" : node;
  }

  /** {@code s} as a JavaScript string literal. */
  protected static String jsString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  protected static Path installed(String relative, String what) {
    Path p = servicesDir().resolve(relative);
    if (!Files.exists(p)) {
      throw new IllegalStateException(
          what + " is not installed at " + p + ": run scripts/services.sh install first");
    }
    return p;
  }

  @Override
  public synchronized void close() {
    if (process == null) {
      return;
    }
    stop(process);
    process = null;
    try {
      Runtime.getRuntime().removeShutdownHook(stopAtExit);
    } catch (IllegalStateException exiting) {
      // the JVM is already shutting down: the hook stops the (already stopped) process again
    }
    stopAtExit = null;
  }

  /**
   * Stops the server and everything it started (a launcher script or {@code runuser} may stand
   * between this JVM and the server's own process), and waits for it.
   */
  private static void stop(Process process) {
    // Taken before any signal: once the launcher exits, its children are no longer listed as
    // descendants (runuser, for one, may exit before the server it started has).
    List<ProcessHandle> started = process.descendants().toList();
    // SIGTERM first: Elasticsearch and the Node servers shut down cleanly on it. A launcher exits
    // by itself once its server has; signalled too, runuser would wait 2 s and then SIGKILL it.
    if (started.isEmpty()) {
      process.destroy();
    } else {
      started.forEach(ProcessHandle::destroy);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    try {
      for (ProcessHandle p : started) {
        p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
      if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw new TimeoutException();
      }
    } catch (TimeoutException | ExecutionException e) {
      started.forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A loopback port free right now, e.g. for a second port a server needs, or a test's own. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
