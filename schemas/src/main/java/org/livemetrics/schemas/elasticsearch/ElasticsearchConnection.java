package org.livemetrics.schemas.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * JSON over HTTP to an Elasticsearch cluster, for the few REST calls outside Beam's {@code
 * ElasticsearchIO}: installing the index template, querying the aggregates, tests. One of the
 * cluster's nodes answers each call; a node that cannot be reached is skipped for the next one.
 * Errors name the node and the call, never the credentials.
 */
public final class ElasticsearchConnection {
  /** Where the commands and the pipelines find basic-auth credentials, kept out of URLs. */
  public static final String USERNAME_ENV = "LIVEMETRICS_ELASTICSEARCH_USERNAME";
  public static final String PASSWORD_ENV = "LIVEMETRICS_ELASTICSEARCH_PASSWORD";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Generous: a search over a month of rows may take a while on a busy node. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

  private final List<URI> nodes;
  private final @Nullable String authorization;
  private final HttpClient http;
  /** The node that answered last; calls start there. */
  private volatile int current;

  private ElasticsearchConnection(List<URI> nodes, @Nullable String authorization) {
    this.nodes = List.copyOf(nodes);
    this.authorization = authorization;
    // Elasticsearch speaks HTTP/1.1 only: skip the client's h2c upgrade attempt on every call.
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT).build();
  }

  /**
   * A connection to the nodes at {@code urls}, each {@code http(s)://host[:port]}, optionally
   * with basic-auth credentials ({@code username} null for none).
   *
   * @throws IllegalArgumentException naming the URL that is not a node's address
   */
  public static ElasticsearchConnection to(List<String> urls, @Nullable String username,
      @Nullable String password) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("no Elasticsearch URL given");
    }
    List<URI> nodes = new ArrayList<>();
    for (String url : urls) {
      nodes.add(nodeAddress(url));
    }
    String authorization = username == null || username.isEmpty()
        ? null
        : "Basic " + Base64.getEncoder().encodeToString(
            (username + ":" + (password == null ? "" : password))
                .getBytes(StandardCharsets.UTF_8));
    return new ElasticsearchConnection(nodes, authorization);
  }

  /**
   * A connection from comma-separated node URLs such as {@code http://es1:9200,http://es2:9200};
   * a node without a scheme takes the first one's ({@code http://es1:9200,es2:9200}).
   *
   * @param username basic-auth user, or null; credentials never go in the URLs, which end up in
   *     logs and messages
   */
  public static ElasticsearchConnection parse(String commaSeparatedUrls, @Nullable String username,
      @Nullable String password) {
    return to(splitUrls(commaSeparatedUrls), username, password);
  }

  /**
   * {@link #parse(String, String, String)} with the credentials of {@link #USERNAME_ENV} and
   * {@link #PASSWORD_ENV}, if set.
   */
  public static ElasticsearchConnection parse(String commaSeparatedUrls) {
    return parse(commaSeparatedUrls, System.getenv(USERNAME_ENV), System.getenv(PASSWORD_ENV));
  }

  /** The comma-separated URLs, each with a scheme (the first one's when it had none). */
  public static List<String> splitUrls(String commaSeparatedUrls) {
    List<String> urls = new ArrayList<>();
    String scheme = null;
    for (String part : commaSeparatedUrls.split(",")) {
      String url = part.trim();
      if (url.isEmpty()) {
        continue;
      }
      if (url.contains("://")) {
        scheme = scheme == null ? url.substring(0, url.indexOf("://")) : scheme;
      } else if (scheme != null) {
        url = scheme + "://" + url;
      }
      urls.add(url);
    }
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("no Elasticsearch URL in '" + commaSeparatedUrls + "'");
    }
    return urls;
  }

  /** {@code scheme://host:port} of a node URL, without credentials, path or query. */
  private static URI nodeAddress(String url) {
    URI u = uri(url);
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase();
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("Elasticsearch URL '" + redacted(url)
          + "' must start with http:// or https://");
    }
    if (u.getHost() == null) {
      throw new IllegalArgumentException("Elasticsearch URL '" + redacted(url) + "' has no host");
    }
    if (u.getRawUserInfo() != null) {
      throw new IllegalArgumentException("Elasticsearch URL '" + redacted(url) + "' must not hold"
          + " credentials (they would show in logs); set " + USERNAME_ENV + " and " + PASSWORD_ENV
          + " instead");
    }
    if ((u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/"))
        || u.getRawQuery() != null || u.getRawFragment() != null) {
      throw new IllegalArgumentException("Elasticsearch URL '" + redacted(url)
          + "' must be a node's address only, http(s)://host:port, without a path or query");
    }
    try {
      return new URI(scheme, null, u.getHost(), u.getPort(), null, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Elasticsearch URL '" + redacted(url) + "': "
          + e.getMessage(), e);
    }
  }

  private static URI uri(String url) {
    try {
      return new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Elasticsearch URL '" + redacted(url)
          + "' is not a URL: " + e.getReason(), e);
    }
  }

  /** The URL without any user info, for messages. */
  public static String redacted(String url) {
    return url.replaceFirst("://[^/@]*@", "://");
  }

  public List<URI> nodes() {
    return nodes;
  }

  public JsonNode get(String path) throws IOException {
    return send("GET", path, null);
  }

  public JsonNode put(String path, String jsonBody) throws IOException {
    return send("PUT", path, jsonBody);
  }

  public JsonNode post(String path, String jsonBody) throws IOException {
    return send("POST", path, jsonBody);
  }

  public JsonNode delete(String path) throws IOException {
    return send("DELETE", path, null);
  }

  /** A call whose answer is JSON, e.g. {@code send("PUT", "/_index_template/x", body)}. */
  public JsonNode send(String method, String path, @Nullable String body) throws IOException {
    return send(method, path, body, "application/json", in -> {
      JsonNode json = MAPPER.readTree(in);
      return json == null ? MAPPER.createObjectNode() : json;
    });
  }

  /** Reads a successful answer's body as it streams in. */
  @FunctionalInterface
  public interface BodyReader<T> {
    T read(InputStream body) throws IOException;
  }

  /**
   * Sends one call to a node of the cluster and reads its successful answer with {@code reader}.
   * The calls made through here are idempotent, so a node that fails to answer is replaced by
   * the next one.
   *
   * @param path the path and query, e.g. {@code /livemetrics-aggregates/_search?size=0}
   * @param contentType of {@code body}: {@code application/json}, or {@code application/x-ndjson}
   *     for {@code _bulk}
   * @throws ElasticsearchException when the cluster answers with an error status
   * @throws IOException naming every node when none could be reached
   */
  public <T> T send(String method, String path, @Nullable String body, String contentType,
      BodyReader<T> reader) throws IOException {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/': " + path);
    }
    List<String> failures = new ArrayList<>();
    int start = current;
    for (int i = 0; i < nodes.size(); i++) {
      int n = (start + i) % nodes.size();
      URI node = nodes.get(n);
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node + path))
          .timeout(REQUEST_TIMEOUT)
          .header("Accept", "application/json")
          .method(method, body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
      if (body != null) {
        request.header("Content-Type", contentType);
      }
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      HttpResponse<InputStream> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        failures.add(node + " (" + describe(e) + ")");
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted during " + method + " " + path + " at " + node, e);
      }
      current = n;
      try (InputStream in = response.body()) {
        if (response.statusCode() / 100 != 2) {
          throw ElasticsearchException.of(node, method, path, response.statusCode(),
              in.readAllBytes());
        }
        return reader.read(in);
      }
    }
    throw new IOException("Elasticsearch is unreachable for " + method + " " + path + ": "
        + String.join(", ", failures));
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    if (message == null && e.getCause() != null) {
      message = e.getCause().getMessage();
    }
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  @Override
  public String toString() {
    return nodes.stream().map(URI::toString).collect(Collectors.joining(","));
  }
}
