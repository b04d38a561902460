package org.livemetrics.testdata.services;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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
    // SIGTERM first: Elasticsearch and the Node servers shut down cleanly on it.
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
