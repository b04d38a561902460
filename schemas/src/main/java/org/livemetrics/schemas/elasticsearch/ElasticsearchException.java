package org.livemetrics.schemas.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Elasticsearch answered a call with an error status; the message says which call and why. */
public final class ElasticsearchException extends IOException {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final int status;
  private final @Nullable String type;

  private ElasticsearchException(String message, int status, @Nullable String type) {
    super(message);
    this.status = status;
    this.type = type;
  }

  static ElasticsearchException of(URI node, String method, String path, int status,
      byte[] body) {
    String type = null;
    String reason = new String(body, StandardCharsets.UTF_8);
    try {
      // {"error":{"root_cause":[...],"type":"index_not_found_exception","reason":"no such index"}}
      JsonNode error = MAPPER.readTree(body).path("error");
      if (error.isObject()) {
        type = error.path("type").asText(null);
        reason = type + ": " + error.path("reason").asText("");
      }
    } catch (IOException notJson) {
      // keep the raw body
    }
    if (reason.length() > 1000) {
      reason = reason.substring(0, 1000) + "…";
    }
    return new ElasticsearchException("Elasticsearch at " + node + " answered " + status + " to "
        + method + " " + path + ": " + reason, status, type);
  }

  /** The HTTP status, e.g. 404. */
  public int status() {
    return status;
  }

  /** Elasticsearch's error type, e.g. {@code index_not_found_exception}, when it gave one. */
  public @Nullable String type() {
    return type;
  }
}
