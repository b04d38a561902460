package org.livemetrics.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.sdk.PipelineResult;

/**
 * A streaming job on the embedded FlinkRunner, run on its own thread (the embedded runner blocks
 * until the job ends), with the cluster's REST API on a free loopback port: there the benchmark
 * finds the job, reads its Beam counters while it runs, and cancels it, as an operator would on a
 * real cluster.
 */
final class EmbeddedFlinkJob implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String base;
  private final Thread thread;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean cancelled;
  private String jobId;

  private EmbeddedFlinkJob(int port, Callable<PipelineResult> run) {
    this.base = "http://127.0.0.1:" + port;
    this.thread = new Thread(() -> {
      try {
        run.call().waitUntilFinish();
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "flink-job");
    thread.setDaemon(true);
  }

  /**
   * The Flink options of every benchmark job: the embedded engine with {@code parallelism}, its
   * REST API on {@code port} (through a Flink configuration written under {@code confDir}).
   */
  static List<String> options(int parallelism, int port, Path confDir) throws IOException {
    Files.createDirectories(confDir);
    Files.writeString(confDir.resolve("flink-conf.yaml"), String.join("\n",
        "rest.port: " + port,
        "rest.bind-address: 127.0.0.1",
        "rest.address: 127.0.0.1",
        // The REST API's view of the metrics is refreshed this often (default 10 s).
        "metrics.fetcher.update-interval: 1000",
        ""));
    return new ArrayList<>(List.of("--runner=FlinkRunner", "--flinkMaster=[local]",
        "--parallelism=" + parallelism, "--flinkConfDir=" + confDir, "--streaming=true"));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * Starts {@code run} (which builds and runs the pipeline with {@link #options}) and waits until
   * Flink reports the job RUNNING.
   */
  static EmbeddedFlinkJob start(int port, Callable<PipelineResult> run, Duration timeout)
      throws Exception {
    EmbeddedFlinkJob job = new EmbeddedFlinkJob(port, run);
    job.thread.start();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      job.check();
      try {
        for (JsonNode j : job.get("/jobs/overview").path("jobs")) {
          if (j.path("state").asText().equals("RUNNING")) {
            job.jobId = j.path("jid").asText();
            return job;
          }
        }
      } catch (IOException notUpYet) {
        // the embedded cluster is starting
      }
      Thread.sleep(200);
    }
    job.close();
    throw new IllegalStateException("no running Flink job within " + timeout);
  }

  /** Throws if the job failed (a cancellation by {@link #close} is no failure). */
  void check() {
    Throwable t = failure.get();
    if (t != null && !cancelled) {
      throw new IllegalStateException("the streaming job failed: " + t, t);
    }
  }

  /**
   * The sum over all operators and subtasks of the Beam counter {@code name} (e.g. {@code
   * events_parsed}), as Flink's metric system last heard of it: Beam reports counters when a
   * bundle finishes, about once a second in streaming, and the REST API refreshes its view of them
   * every second. -1 while no operator has reported it yet.
   */
  long counter(String name) throws IOException, InterruptedException {
    long sum = -1;
    for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
      String path = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
      List<String> ids = new ArrayList<>();
      for (JsonNode m : get(path)) {
        String id = m.path("id").asText();
        // "<operator>.livemetrics_<name>": Beam's namespace and name, as Flink's REST API spells them
        if (id.endsWith(".livemetrics_" + name) || id.endsWith(".livemetrics." + name)) {
          ids.add(id);
        }
      }
      if (ids.isEmpty()) {
        continue;
      }
      JsonNode values = get(path + "?agg=sum&get="
          + URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8));
      for (JsonNode v : values) {
        sum = Math.max(sum, 0) + (long) v.path("sum").asDouble();
      }
    }
    return sum;
  }

  /** Cancels the job through the REST API and waits for its thread to end. */
  @Override
  public void close() throws Exception {
    cancelled = true;
    if (jobId != null && thread.isAlive()) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                  URI.create(base + "/jobs/" + jobId + "?mode=cancel"))
              .method("PATCH", HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IOException("cancel " + jobId + ": HTTP " + r.statusCode() + " " + r.body());
      }
    }
    thread.join(120_000);
    if (thread.isAlive()) {
      throw new IllegalStateException("the Flink job did not end within 2 minutes of its cancel");
    }
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }
}
