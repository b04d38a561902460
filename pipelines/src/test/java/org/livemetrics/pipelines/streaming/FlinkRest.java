package org.livemetrics.pipelines.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded Flink cluster's REST API, as an operator uses a real cluster's: find the running
 * job, take a savepoint, cancel it. The embedded FlinkRunner serves it when its
 * configuration sets a REST port ({@link #writeConf}).
 */
final class FlinkRest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String base;

  FlinkRest(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** A Flink configuration directory for {@code --flinkConfDir} with the REST API on {@code port}. */
  static Path writeConf(Path dir, int port) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("flink-conf.yaml"), String.join("\n",
        "rest.port: " + port,
        "rest.bind-address: 127.0.0.1",
        "rest.address: 127.0.0.1",
        ""));
    return dir;
  }

  /**
   * The id of the one running job, waiting for it to be RUNNING; calls {@code check} (the job's
   * own, which throws once the job failed) while it waits.
   */
  String runningJob(Duration timeout, Runnable check) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      check.run();
      try {
        for (JsonNode job : get("/jobs/overview").path("jobs")) {
          if (job.path("state").asText().equals("RUNNING")) {
            return job.path("jid").asText();
          }
        }
      } catch (IOException notUpYet) {
        // the cluster is starting
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("no running Flink job within " + timeout);
  }

  /** Takes a savepoint of the running job under {@code dir} and returns its location. */
  String savepoint(String jobId, Path dir) throws Exception {
    JsonNode trigger = post("/jobs/" + jobId + "/savepoints",
        "{\"target-directory\":\"" + dir.toUri() + "\",\"cancel-job\":false}");
    return awaitSavepoint(jobId, trigger.path("request-id").asText());
  }

  private String awaitSavepoint(String jobId, String request) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode status = get("/jobs/" + jobId + "/savepoints/" + request);
      if (status.path("status").path("id").asText().equals("COMPLETED")) {
        JsonNode op = status.path("operation");
        if (op.has("failure-cause")) {
          throw new IllegalStateException("savepoint failed: " + op.path("failure-cause"));
        }
        return op.path("location").asText();
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the savepoint of " + jobId + " did not complete");
  }

  /**
   * Stops the job with a savepoint under {@code dir}, without draining (what the Flink Kubernetes
   * Operator's savepoint upgrade mode does), and returns the savepoint's location.
   */
  String stopWithSavepoint(String jobId, Path dir) throws Exception {
    JsonNode trigger = post("/jobs/" + jobId + "/stop",
        "{\"targetDirectory\":\"" + dir.toUri() + "\",\"drain\":false}");
    return awaitSavepoint(jobId, trigger.path("request-id").asText());
  }

  /**
   * The job's exception history for failure messages: each distinct failure as its first line and
   * its causes ("Caused by" lines with the frame that threw), counted, newest first. The top of a
   * Flink trace is the operator chain; what went wrong is at the bottom.
   */
  String exceptions(String jobId) {
    try {
      JsonNode history = get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries");
      java.util.Map<String, Integer> seen = new java.util.LinkedHashMap<>();
      for (JsonNode e : history) {
        seen.merge(summary(e.path("stacktrace").asText()), 1, Integer::sum);
      }
      StringBuilder b = new StringBuilder("[");
      seen.forEach((s, n) -> b.append(n).append(" x ").append(s).append("; "));
      return b.append("]").toString();
    } catch (Exception e) {
      return "(unavailable: " + e.getMessage() + ")";
    }
  }

  /** A trace's first line, then each cause with the first frame under it. */
  static String summary(String trace) {
    String[] lines = trace.split("\n");
    StringBuilder b = new StringBuilder(lines.length == 0 ? "" : lines[0].trim());
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].startsWith("Caused by:")) {
        b.append(" <- ").append(lines[i].substring("Caused by:".length()).trim());
        if (i + 1 < lines.length && lines[i + 1].trim().startsWith("at ")) {
          b.append(" (").append(lines[i + 1].trim().substring(3)).append(')');
        }
      }
    }
    return b.toString();
  }

  /** The job's checkpoint statistics: {@code counts} (completed, failed...), {@code latest}. */
  JsonNode checkpoints(String jobId) throws Exception {
    return get("/jobs/" + jobId + "/checkpoints");
  }

  /**
   * How many times Flink restarted the job: its {@code numRestarts} metric, or the failures in its
   * exception history (each one restarts it) while the REST API has not fetched the metric yet.
   */
  long numRestarts(String jobId) throws Exception {
    long failures = get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries").size();
    for (JsonNode m : get("/jobs/" + jobId + "/metrics?get=numRestarts")) {
      return Math.max(failures, m.path("value").asLong());
    }
    return failures;
  }

  void cancel(String jobId) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "?mode=cancel"))
        .method("PATCH", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IOException("cancel " + jobId + ": HTTP " + r.statusCode() + " " + r.body());
    }
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  private JsonNode post(String path, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IOException("POST " + path + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /**
   * No restart and no failed checkpoint so far, else fails with the causes Flink recorded. A
   * checkpoint Flink could not trigger because the job's tasks were still starting counts in
   * {@code counts.failed} but is harmless (Flink does not count it against the job): only
   * checkpoints that began and then failed (in the history, with their cause) count here.
   */
  void assertHealthy(String jobId) {
    try {
      long restarts = numRestarts(jobId);
      JsonNode checkpoints = checkpoints(jobId);
      List<String> failed = new ArrayList<>();
      for (JsonNode c : checkpoints.path("history")) {
        if (c.path("status").asText().equals("FAILED")) {
          failed.add("checkpoint " + c.path("id") + ": " + c.path("failure_message").asText());
        }
      }
      if (restarts > 0 || !failed.isEmpty()) {
        throw new AssertionError("the job restarted " + restarts + " times, checkpoints "
            + checkpoints.path("counts") + ", failed: " + failed);
      }
    } catch (java.io.IOException e) {
      // The JobManager answers 500 while it initializes: look again at the next check.
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("Flink's REST API: " + e, e);
    }
  }
}
