package org.livemetrics.api;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's answer to requests it refuses before any handler runs (a request line over 8 KB: 414,
 * headers over 8 KB: 431, a malformed URI: 400): the API's JSON error instead of an HTML page.
 * A 400 names its parameter as every 400 of the API does: {@code path} when the path does not
 * decode (bad percent-encoding, {@code %00}: Jetty's generic "Bad Request", or a reason about the
 * URI), {@code request} when the request is not HTTP (a raw control character or space in the
 * request line, a malformed header, no Host).
 */
final class JsonErrorHandler extends ErrorHandler {
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json"));
    String message = switch (status) {
      case 414 -> "the request line is longer than 8 KB; ask for fewer videos per request";
      case 431 -> "the request headers are larger than 8 KB";
      default -> "malformed request" + (reason == null ? "" : ": " + reason);
    };
    if (status == 400) {
      boolean path = reason == null || reason.equals("Bad Request") || reason.contains("URI");
      return ByteBuffer.wrap(ApiError.badRequest(path ? "path" : "request", path
          ? "malformed path: bad percent-encoding or a control character (%00-%1F, %7F)"
          : message).body());
    }
    return ByteBuffer.wrap(ApiError.of(status, message).body());
  }
}
