package org.livemetrics.api;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.query.QueryException;

/**
 * A request the API refuses, and its JSON body:
 * {@code {"error":{"status":400,"parameter":"metrics","message":"unknown metric 'ccuu'; …"}}}.
 * {@code parameter} names the query parameter at fault and is present for 400 answers only.
 */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final JsonFactory JSON = new JsonFactory();

  private final int status;
  private final @Nullable String parameter;
  private final Map<String, String> headers;

  private ApiError(int status, @Nullable String parameter, String message,
      Map<String, String> headers) {
    super(message);
    this.status = status;
    this.parameter = parameter;
    this.headers = headers;
  }

  static ApiError badRequest(QueryException e) {
    return new ApiError(400, e.parameter(), e.getMessage(), Map.of());
  }

  static ApiError badRequest(String parameter, String message) {
    return new ApiError(400, parameter, message, Map.of());
  }

  /**
   * 401 with the challenge RFC 6750 asks for; {@code error="invalid_token"} only when a token was
   * presented, so clients can tell "log in" from "your token is wrong".
   */
  static ApiError unauthorized(String message, boolean tokenPresented) {
    String challenge = "Bearer realm=\"livemetrics\""
        + (tokenPresented ? ", error=\"invalid_token\"" : "");
    return new ApiError(401, null, message, Map.of("WWW-Authenticate", challenge));
  }

  static ApiError forbidden(String message) {
    return new ApiError(403, null, message, Map.of());
  }

  static ApiError notFound(String message) {
    return new ApiError(404, null, message, Map.of());
  }

  static ApiError methodNotAllowed(String method) {
    return new ApiError(405, null, method + " is not allowed; the API answers GET only",
        Map.of("Allow", "GET"));
  }

  /** Any other status Javalin or Jetty decided on. */
  static ApiError of(int status, String message) {
    return new ApiError(status, null, message, Map.of());
  }

  static ApiError internal(String message) {
    return new ApiError(500, null, message, Map.of());
  }

  int status() {
    return status;
  }

  @Nullable String parameter() {
    return parameter;
  }

  Map<String, String> headers() {
    return new LinkedHashMap<>(headers);
  }

  /** The JSON body, UTF-8. */
  byte[] body() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeObjectFieldStart("error");
      g.writeNumberField("status", status);
      if (parameter != null) {
        g.writeStringField("parameter", parameter);
      }
      g.writeStringField("message", getMessage());
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
