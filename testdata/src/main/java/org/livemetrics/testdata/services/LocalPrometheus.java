package org.livemetrics.testdata.services;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real Prometheus 2.42.0 server (Debian bookworm's package unpacked by {@code
 * scripts/services.sh install}) on 127.0.0.1, with the given configuration and its data in its
 * work directory: to check scrape configs and relabel rules against what it really stores.
 */
public final class LocalPrometheus extends LocalServer {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String config;

  /** {@code config}: the text of a prometheus.yml. */
  public LocalPrometheus(String config) {
    super("prometheus");
    this.config = config;
  }

  @Override
  protected ProcessBuilder command(Path workDir, int port) throws IOException {
    Path binary = installed("prometheus-2.42.0/usr/bin/prometheus", "Prometheus 2.42.0");
    Path file = workDir.resolve("prometheus.yml");
    Files.writeString(file, config);
    return new ProcessBuilder(binary.toString(),
        "--config.file=" + file,
        "--storage.tsdb.path=" + workDir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port);
  }

  @Override
  protected boolean ready() {
    try {
      return get("/-/ready").statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** The body of {@code GET /api/v1/query?query=<promql>} (JSON). */
  public String query(String promql) throws IOException {
    HttpResponse<String> r =
        get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    if (r.statusCode() != 200) {
      throw new IOException("Prometheus answered " + r.statusCode() + " to " + promql + ": "
          + r.body());
    }
    return r.body();
  }

  private HttpResponse<String> get(String path) throws IOException {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(endpoint() + path))
          .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
