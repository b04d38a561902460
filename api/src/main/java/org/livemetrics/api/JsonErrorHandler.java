package org.livemetrics.api;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's answer to requests it refuses before any handler runs (a request line over 8 KB: 414,
 * headers over 8 KB: 431, a malformed URI: 400): the API's JSON error instead of an HTML page.
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
    return ByteBuffer.wrap(ApiError.of(status, message).body());
  }
}
