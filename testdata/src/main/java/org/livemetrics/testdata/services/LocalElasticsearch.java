package org.livemetrics.testdata.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Elasticsearch 7.17 (the integ-test-zip distribution from Maven Central): a real single-node
 * cluster in its own process, on the machine's Java, HTTP on a free loopback port and security
 * off. Data, logs and its configuration live in the server's work directory, so every instance
 * starts empty and the install directory stays read-only.
 *
 * <p>Elasticsearch refuses to run as root; as root it is started through {@code runuser -u nobody}
 * with the work directory handed to {@code nobody}.
 */
public final class LocalElasticsearch extends LocalServer {
  public static final String VERSION = "7.17.29";
  /** Small enough for a 2-core test machine next to the build, large enough for 100k rows. */
  private static final String HEAP = "-Xms256m -Xmx512m";
  private static final String RUN_AS = "nobody";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  public LocalElasticsearch() {
    super("elasticsearch");
  }

  @Override
  protected ProcessBuilder command(Path workDir, int port) throws IOException {
    Path home = installed("elasticsearch-" + VERSION, "Elasticsearch " + VERSION);
    Path config = copyConfig(home.resolve("config"), workDir);
    Path data = Files.createDirectories(workDir.resolve("data"));
    Path logs = Files.createDirectories(workDir.resolve("logs"));
    Path tmp = Files.createDirectories(workDir.resolve("tmp"));

    List<String> command = new ArrayList<>();
    if (runningAsRoot()) {
      handTo(RUN_AS, workDir);
      command.addAll(List.of("runuser", "-u", RUN_AS, "--"));
    }
    command.addAll(List.of(
        home.resolve("bin/elasticsearch").toString(),
        "-Ecluster.name=livemetrics-test",
        "-Enode.name=local",
        "-Ediscovery.type=single-node",
        "-Expack.security.enabled=false",
        "-Ehttp.host=127.0.0.1",
        "-Ehttp.port=" + port,
        "-Etransport.host=127.0.0.1",
        "-Etransport.port=" + freePort(),
        "-Epath.data=" + data,
        "-Epath.logs=" + logs,
        // A test machine's disk is often fuller than the 85/90% watermarks: without this, new
        // indices stay unassigned (yellow never comes) or turn read-only.
        "-Ecluster.routing.allocation.disk.threshold_enabled=false"));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    Map<String, String> env = builder.environment();
    // No bundled JDK in this distribution: run it on the JVM that runs the tests.
    env.put("ES_JAVA_HOME", System.getProperty("java.home"));
    env.remove("JAVA_HOME");
    env.put("ES_JAVA_OPTS", HEAP);
    env.put("ES_PATH_CONF", config.toString());
    env.put("ES_TMPDIR", tmp.toString());
    return builder;
  }

  /**
   * A writable copy of the configuration: Elasticsearch creates its keystore there on first start,
   * and the shipped files are readable by their owner only. The JVM options' relative paths (GC
   * log, heap dumps, crash logs) would resolve against the install directory, so they are pointed
   * into the work directory.
   */
  private static Path copyConfig(Path from, Path workDir) throws IOException {
    Path to = workDir.resolve("config");
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    Path jvmOptions = to.resolve("jvm.options");
    String options = Files.readString(jvmOptions)
        .replace("file=logs/", "file=" + workDir.resolve("logs") + "/")
        .replace("HeapDumpPath=data", "HeapDumpPath=" + workDir.resolve("data"))
        .replace("ErrorFile=logs/", "ErrorFile=" + workDir.resolve("logs") + "/");
    Files.writeString(jvmOptions, options);
    return to;
  }

  private static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void handTo(String user, Path dir) throws IOException {
    UserPrincipal owner = FileSystems.getDefault().getUserPrincipalLookupService()
        .lookupPrincipalByName(user);
    try (Stream<Path> files = Files.walk(dir)) {
      files.forEach(p -> {
        try {
          Files.setOwner(p, owner);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  /** Started means the cluster answers and is at least yellow (every primary shard assigned). */
  @Override
  protected boolean ready() {
    try {
      HttpResponse<String> r = http.send(
          HttpRequest.newBuilder(URI.create(
                  endpoint() + "/_cluster/health?wait_for_status=yellow&timeout=1s"))
              .timeout(Duration.ofSeconds(3)).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Its first start on a busy 2-core machine can take a while. */
  @Override
  protected long startTimeoutSeconds() {
    return 120;
  }
}
