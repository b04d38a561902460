package org.livemetrics.api;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.query.TwoTenants;

/**
 * Issue 11's API items against {@code serve}'s own server over real HTTP (raw sockets where a
 * client library would refuse to send the request): the header read deadline, 400s that name the
 * parameter (bad percent-encoding, control characters, bucket limits), tokens not in livemetrics'
 * format, weak token entries, and the plain-HTTP warning.
 */
public class ApiHardeningTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final Clock NOON =
      Clock.fixed(Instant.parse("2020-02-15T12:00:00Z"), ZoneOffset.UTC);
  private static final String TOKEN = AccessTokensTest.TOKEN_ALL;
  private static final long HEADER_TIMEOUT_MS = 1_000;
  private static ServeCommand.Serving serving;
  private static URI uri;

  @BeforeClass
  public static void serve() throws Exception {
    Path store = TwoTenants.writeParquet(TMP.newFolder("store").toPath());
    serving = ServeCommand.start(new String[] {"--store", store.toString(), "--port", "0",
        "--header-timeout", "1"}, AccessTokensTest.ENTRY_ALL + " *", NOON);
    uri = serving.server.uri();
  }

  @AfterClass
  public static void stop() {
    if (serving != null) {
      serving.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Slow loris

  @Test
  public void aClientSendingHeadersSlowlyIsCutOffAtTheDeadline() throws Exception {
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(100);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      long start = System.nanoTime();
      out.write(("GET /v1/events/accounts/alpha?metrics=concurrent_sessions HTTP/1.1\r\n"
          + "Host: localhost\r\n").getBytes(StandardCharsets.US_ASCII));
      boolean closed = false;
      // A header byte every 100 ms (each read times out after 100 ms), never the blank line;
      // Jetty's idle timeout (30 s) would restart at every byte.
      while (!closed && System.nanoTime() - start < 8_000_000_000L) {
        try {
          out.write('a');
          out.flush();
          closed = in.read() == -1;
        } catch (SocketTimeoutException e) {
          // nothing yet: keep trickling
        } catch (IOException e) {
          closed = true; // reset by the server
        }
      }
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      System.out.println("slow client cut off after " + elapsedMs + " ms (deadline "
          + HEADER_TIMEOUT_MS + " ms)");
      assertTrue("the server kept a slow client's connection for " + elapsedMs + " ms", closed);
      assertThat(elapsedMs, greaterThanOrEqualTo(HEADER_TIMEOUT_MS - 100));
      assertThat(elapsedMs, lessThan(HEADER_TIMEOUT_MS + 3_000));
    }
  }

  @Test
  public void aClientSendingHeadersInTimeIsAnsweredAndKeptAlive() throws Exception {
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(10_000);
      String request = "GET /v1/events/accounts/alpha?metrics=concurrent_sessions&"
          + TwoTenants.RANGE + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN
          + "\r\n\r\n";
      for (int i = 0; i < 2; i++) { // twice on one connection
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        String response = readResponse(socket.getInputStream());
        assertThat(response, startsWith("HTTP/1.1 200"));
        assertThat(response, containsString("\"concurrent_sessions\":4"));
      }
    }
  }

  /** One response with a Content-Length body. */
  private static String readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int length = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      buffer.write(b);
      String text = buffer.toString(StandardCharsets.US_ASCII);
      int headersEnd = text.indexOf("\r\n\r\n");
      if (headersEnd >= 0 && length < 0) {
        var m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
        length = m.find() ? headersEnd + 4 + Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
      }
      if (length >= 0 && buffer.size() >= length) {
        break;
      }
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }

  /** A request as sent, byte for byte, whatever a URI class would say of it. */
  private static String raw(String target) throws IOException {
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n"
          + "Authorization: Bearer " + TOKEN + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.UTF_8));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static JsonNode badRequest(String target, String parameter) throws IOException {
    String response = raw(target);
    assertThat(target + " → " + response, response, startsWith("HTTP/1.1 400"));
    JsonNode error = Http.JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4))
        .path("error");
    assertEquals(target + " → " + response, parameter, error.path("parameter").asText());
    return error;
  }

  // ---------------------------------------------------------------------------------------------
  // Every 400 names the parameter

  @Test
  public void badPercentEncodingNamesTheParameter() throws Exception {
    String events = "/v1/events/accounts/alpha?dimensions=video&metrics=video_view&";
    assertThat(badRequest(events + "where=video==%zz", "where").path("message").asText(),
        containsString("malformed URL encoding"));
    badRequest(events + "where=video==55%5", "where");
    // Not UTF-8: a lone continuation byte, an overlong encoding.
    assertThat(badRequest(events + "where=video==%C3%28", "where").path("message").asText(),
        containsString("not UTF-8"));
    badRequest(events + "where=video==%C0%AF", "where");
    // A name that does not decode is named as it was sent.
    badRequest("/v1/events/accounts/alpha?metr%zzics=video_view", "metr%zzics");
    // The path's account.
    badRequest("/v1/events/accounts/al%zzpha?dimensions=video&metrics=video_view"
        + "&where=video==1", "path");
    badRequest("/v1/events/accounts/alpha/videos/5555/export?format=xlsx&from=%zz", "from");
    badRequest("/v1/events/accounts/alpha/videos/55%zz55/export?format=xlsx", "path");
  }

  @Test
  public void requestsThatAreNotHttpNameTheRequest() throws Exception {
    // A raw control character or space in the request line: Jetty's parser refuses it.
    assertThat(badRequest("/v1/events/accounts/alpha?where=video==55\u000155", "request")
        .path("message").asText(), containsString("Illegal character"));
    badRequest("/v1/events/accounts/al pha?metrics=video_view", "request");
  }

  @Test
  public void controlCharactersNameTheParameter() throws Exception {
    String events = "/v1/events/accounts/alpha?dimensions=video&metrics=video_view&";
    // 5555 plus NUL is not 5555: refused, never matched.
    assertThat(badRequest(events + "where=video==5555%00", "where").path("message").asText(),
        containsString("control character U+0000"));
    badRequest(events + "where=video==55%0A55", "where");
    badRequest("/v1/events/accounts/alpha?dimensions=video%07&metrics=video_view"
        + "&where=video==1", "dimensions");
    badRequest("/v1/events/accounts/alpha?dimensions=video&metrics=video_view%C2%85"
        + "&where=video==1", "metrics"); // U+0085, a C1 control
    badRequest("/v1/events/accounts/al%00pha?dimensions=video&metrics=video_view"
        + "&where=video==1", "path");
    badRequest("/v1/streams/accounts/alpha?where=channel==a%1Fb", "where");
    badRequest("/v1/events/accounts/alpha/videos/5555/export?format=xlsx%00", "format");
  }

  @Test
  public void bucketLimitsAreReportedAsLimits() throws Exception {
    String series = "/v1/timeseries/accounts/alpha?dimensions=video&metrics=video_view"
        + "&where=video==5555&";
    assertThat(badRequest(series + "bucket_duration=1000000000m", "bucket_duration")
        .path("message").asText(), containsString("at most 999999999m"));
    assertThat(badRequest(series + "bucket_duration=99999999999999999999999h", "bucket_duration")
        .path("message").asText(), containsString("at most 999999999h"));
    assertThat(badRequest(series + "bucket_duration=0m", "bucket_duration")
        .path("message").asText(), containsString("at least 1m"));
    assertThat(badRequest(series + "bucket_limit=3000000000", "bucket_limit")
        .path("message").asText(), containsString("at most 2147483647"));
    // Still not numbers at all.
    assertThat(badRequest(series + "bucket_duration=soon", "bucket_duration")
        .path("message").asText(), containsString("is not a duration"));
    assertThat(badRequest(series + "bucket_limit=-5", "bucket_limit")
        .path("message").asText(), containsString("not a positive whole number"));
  }

  // ---------------------------------------------------------------------------------------------
  // Tokens

  @Test
  public void aTokenNotInTheFormatIsRefusedBeforeAnyLookup() throws Exception {
    for (String token : new String[] {"abc", "", "password", TOKEN.replace('r', 'R')}) {
      Http.Response r = Http.get(uri, "/v1/events/accounts/alpha?metrics=concurrent_sessions",
          token);
      assertEquals(token, 401, r.status());
    }
    Http.Response r = Http.get(uri, "/v1/events/accounts/alpha?metrics=concurrent_sessions",
        "password");
    assertThat(r.text(), containsString("not a livemetrics token"));
  }

  @Test
  public void serveRefusesToStartOnAWeakEntry() throws Exception {
    Path tokens = TMP.newFile("weak-tokens").toPath();
    // SHA-256 of "" with its right check characters (Python: hashlib, zlib.crc32).
    Files.writeString(tokens, AccessTokensTest.ENTRY_1234 + " 1234\nlm_sha256:"
        + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855:0uPj5m *\n");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = ServeCommand.run(new String[] {"--store", TMP.getRoot().toString(), "--port",
        "0", "--tokens", tokens.toString()}, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(ServeCommand.USAGE_ERROR, status);
    assertThat(err.toString(StandardCharsets.UTF_8), containsString("error: tokens: "
        + tokens + " entry 2: the hash of a well-known weak string (the empty string)"));
  }

  // ---------------------------------------------------------------------------------------------
  // Plain HTTP beyond loopback

  @Test
  public void plainHttpOnANonLoopbackAddressIsWarnedAbout() {
    assertThat(ServeCommand.plainHttpWarning("0.0.0.0").orElseThrow(),
        containsString("warning: serving plain HTTP on 0.0.0.0"));
    assertTrue(ServeCommand.plainHttpWarning("192.0.2.10").isPresent());
    assertTrue(ServeCommand.plainHttpWarning("::").isPresent());
    for (String loopback : new String[] {"127.0.0.1", "127.0.0.2", "::1", "localhost"}) {
      assertFalse(loopback, ServeCommand.plainHttpWarning(loopback).isPresent());
    }
  }
}
