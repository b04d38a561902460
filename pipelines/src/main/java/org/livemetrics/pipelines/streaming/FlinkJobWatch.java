package org.livemetrics.pipelines.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says when the streaming job is in trouble: each restart and each failed checkpoint, with its
 * cause, as a WARN line, which the command line prints at its default log level (Flink's own
 * messages are too many to print, so it shows none of them). Also one INFO line at the first
 * completed checkpoint, with its size.
 *
 * <p>It polls Flink's REST API (the embedded engine's, which {@link EmbeddedFlinkConf#restUrl}
 * makes known, or the cluster's at {@code --flinkMaster}) every few seconds from a daemon thread,
 * following the newest job of the job's name; it stops when that job ends (or its REST API has not
 * answered for 100 polls: an embedded engine is gone once its job ends). The same numbers
 * reach Prometheus as Flink's {@code numRestarts} and {@code numberOfFailedCheckpoints} (alerts
 * {@code LivemetricsJobRestarting}, {@code LivemetricsCheckpointsFailing}).
 */
public final class FlinkJobWatch implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkJobWatch.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A cause is a few lines: the first line of each exception in the chain. */
  private static final int MAX_CAUSE = 2_000;

  private final String base;
  private final String jobName;
  private final Duration every;
  private final Consumer<String> warn;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private String jobId;
  private long lastFailure = Long.MIN_VALUE;
  private final Set<Long> failedCheckpoints = new HashSet<>();
  private boolean firstCompletedSaid;
  private volatile boolean stopped;
  /** Polls in a row that could not reach the REST API: at the end, the engine is gone. */
  private int unreachable;
  private static final int GIVE_UP = 100;

  /**
   * @param base the REST API, like {@code http://127.0.0.1:8081}
   * @param jobName the Flink job's name (Beam's {@code --jobName})
   * @param warn where the WARN lines go (the log; a test collects them)
   */
  FlinkJobWatch(String base, String jobName, Duration every, Consumer<String> warn) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.jobName = jobName;
    this.every = every;
    this.warn = warn;
  }

  /** Starts watching the job on a daemon thread; the job need not have started yet. */
  static FlinkJobWatch start(String base, String jobName) {
    FlinkJobWatch w = new FlinkJobWatch(base, jobName, Duration.ofSeconds(3), LOG::warn);
    Thread t = new Thread(w, "livemetrics-job-watch");
    t.setDaemon(true);
    t.start();
    return w;
  }

  void stop() {
    stopped = true;
  }

  @Override
  public void run() {
    while (!stopped) {
      try {
        if (!poll()) {
          return;
        }
        unreachable = 0;
      } catch (IOException | RuntimeException e) {
        LOG.debug("Flink REST API at {}: {}", base, e.toString()); // starting, or gone at the end
        if (++unreachable >= GIVE_UP) {
          return; // minutes without an answer: the job's engine has ended
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        Thread.sleep(every.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** One look at the job; false once it has ended. */
  boolean poll() throws IOException, InterruptedException {
    if (jobId == null) {
      jobId = findJob();
      if (jobId == null) {
        return true;
      }
    }
    JsonNode job;
    try {
      job = get("/jobs/" + jobId);
    } catch (NotFound gone) {
      return false; // an embedded engine's REST port now serves the next job: this one ended
    }
    reportFailures();
    reportCheckpoints();
    String state = job.path("state").asText();
    if (state.equals("FINISHED") || state.equals("CANCELED") || state.equals("FAILED")) {
      if (state.equals("FAILED")) {
        warn.accept("Flink job " + jobName + " failed and will not restart: see the failures above");
      }
      return false;
    }
    return true;
  }

  /** The newest job of the name that has not ended. */
  private String findJob() throws IOException, InterruptedException {
    String id = null;
    long newest = Long.MIN_VALUE;
    for (JsonNode j : get("/jobs/overview").path("jobs")) {
      String state = j.path("state").asText();
      if (j.path("name").asText().equals(jobName) && !state.equals("FINISHED")
          && !state.equals("CANCELED") && !state.equals("FAILED")
          && j.path("start-time").asLong() > newest) {
        newest = j.path("start-time").asLong();
        id = j.path("jid").asText();
      }
    }
    return id;
  }

  /** Each failure (Flink restarts the job after each, from its last completed checkpoint). */
  private void reportFailures() throws IOException, InterruptedException {
    JsonNode entries = get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries");
    long newest = lastFailure;
    for (int i = entries.size() - 1; i >= 0; i--) { // oldest first
      JsonNode e = entries.get(i);
      long at = e.path("timestamp").asLong();
      if (at > lastFailure) {
        String task = e.path("taskName").asText("");
        warn.accept("Flink job " + jobName + " failed at " + Instant.ofEpochMilli(at)
            + (task.isEmpty() || task.equals("null") ? "" : " in " + shortTask(task))
            + " and restarts from its last completed checkpoint: "
            + causes(e.path("stacktrace").asText(e.path("exceptionName").asText())));
        newest = Math.max(newest, at);
      }
    }
    lastFailure = newest;
  }

  /** Each checkpoint that began and failed, and the first that completed. */
  private void reportCheckpoints() throws IOException, InterruptedException {
    JsonNode stats = get("/jobs/" + jobId + "/checkpoints");
    JsonNode history = stats.path("history");
    for (int i = history.size() - 1; i >= 0; i--) {
      JsonNode c = history.get(i);
      long id = c.path("id").asLong();
      if (c.path("status").asText().equals("FAILED") && failedCheckpoints.add(id)) {
        String message = c.path("failure_message").asText("(no message)");
        if (message.startsWith("Checkpoint Coordinator is suspending")) {
          // The job is stopping (a savepoint, a cancellation): its last checkpoint is dropped.
          LOG.info("Flink job {}: checkpoint {} dropped as the job stops", jobName, id);
          continue;
        }
        warn.accept("Flink job " + jobName + ": checkpoint " + id + " failed after "
            + (c.path("failure_timestamp").asLong() - c.path("trigger_timestamp").asLong())
            + " ms: " + limit(message)
            + " (while no checkpoint completes, a restart replays everything since the last one)");
      }
    }
    JsonNode completed = stats.path("latest").path("completed");
    if (!firstCompletedSaid && completed.isObject()) {
      firstCompletedSaid = true;
      LOG.info("Flink job {}: checkpoint {} completed, {} bytes, at {}", jobName,
          completed.path("id").asLong(), completed.path("state_size").asLong(),
          completed.path("external_path").asText());
    }
  }

  /**
   * A Flink stack trace as its first line and each "Caused by" line, then where the innermost cause
   * was thrown: the top is the operator chain or a generic wrapper, what went wrong is at the
   * bottom (an exception without a message says nothing without its place: the first frame that
   * is not a precondition helper).
   */
  static String causes(String trace) {
    String[] lines = trace.split("\n");
    StringBuilder b = new StringBuilder(lines.length == 0 ? "" : lines[0].trim());
    String thrownAt = null;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].trim();
      if (lines[i].startsWith("Caused by:")) {
        b.append(" <- ").append(line.substring("Caused by:".length()).trim());
        thrownAt = null;
      } else if (thrownAt == null && line.startsWith("at ") && !line.contains("Preconditions.")
          && !line.startsWith("at java.util.Objects.")) {
        thrownAt = line;
      }
    }
    if (thrownAt != null) {
      b.append(" (").append(thrownAt).append(')');
    }
    return limit(b.toString());
  }

  private static String limit(String s) {
    // The innermost cause is at the end: keep the end.
    return s.length() <= MAX_CAUSE ? s
        : s.substring(0, MAX_CAUSE / 4) + " ... " + s.substring(s.length() - MAX_CAUSE * 3 / 4);
  }

  /** A task's operator chain names every step: its first step says where. */
  private static String shortTask(String task) {
    int arrow = task.indexOf(" -> ");
    return arrow < 0 ? task : task.substring(0, arrow) + " -> ...";
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 404) {
      throw new NotFound("GET " + path + ": HTTP 404");
    }
    if (r.statusCode() != 200) {
      throw new IOException("GET " + path + ": HTTP " + r.statusCode());
    }
    return JSON.readTree(r.body());
  }

  /** The REST API does not know the job (any more). */
  private static final class NotFound extends IOException {
    NotFound(String message) {
      super(message);
    }
  }
}
