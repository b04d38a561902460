package org.livemetrics.api;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.query.QueryException;

/** {@code livemetrics serve}: its options, the token helpers, and a real process end to end. */
public class ServeCommandTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final String TOKEN = AccessTokensTest.TOKEN_1234;
  private static final String ENTRY = AccessTokensTest.ENTRY_1234 + " 1234";

  private record Run(int status, String out, String err) {}

  private static Run serve(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = ServeCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  // ---------------------------------------------------------------------------------------------
  // Token helpers

  @Test
  public void hashTokenPrintsTheLineToAdd() {
    Run r = serve("--hash-token", TOKEN, "--accounts", "1234");
    assertEquals(r.err(), 0, r.status());
    assertEquals(ENTRY + "\n", r.out());
  }

  @Test
  public void hashTokenReadsTheTokenFromStdinWithADash() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ServeCommand.printTokenLine(
        ServeCommand.Arguments.parse(new String[] {"--hash-token", "-", "--accounts=1234"}),
        new ByteArrayInputStream((TOKEN + "\n").getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8));
    assertEquals(ENTRY + "\n", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  public void newTokenPrintsATokenAndItsLine() throws Exception {
    Run r = serve("--new-token", "--accounts", "1234,5678");
    assertEquals(r.err(), 0, r.status());
    List<String> lines = r.out().lines().filter(l -> !l.startsWith("#")).toList();
    assertEquals(2, lines.size());
    String token = lines.get(0);
    assertTrue(token, AccessTokens.isWellFormed(token));
    String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(token.getBytes(StandardCharsets.UTF_8)));
    assertThat(lines.get(1), startsWith("lm_sha256:" + digest + ":"));
    assertThat(lines.get(1), endsWith(" 1234,5678"));
  }

  @Test
  public void tokenHelpersNeedAccountsAndALongToken() {
    Run noAccounts = serve("--new-token");
    assertEquals(2, noAccounts.status());
    assertThat(noAccounts.err(), startsWith("error: accounts: is required"));
    Run notOurs = serve("--hash-token", "secret-but-not-ours-0001", "--accounts", "1");
    assertEquals(2, notOurs.status());
    assertThat(notOurs.err(), containsString("error: hash-token: not a livemetrics token"));
  }

  // ---------------------------------------------------------------------------------------------
  // Serving options

  @Test
  public void usageErrorsNameTheOption() throws Exception {
    Run noStore = serve("--port", "0");
    assertEquals(2, noStore.status());
    assertThat(noStore.err(), startsWith("error: store: is required"));
    Run badPort = serve("--store", tmp.getRoot().toString(), "--port", "http");
    assertEquals(2, badPort.status());
    assertThat(badPort.err(), startsWith("error: port: 'http' is not a whole number"));
    Run stray = serve("--store", tmp.getRoot().toString(), "extra");
    assertEquals(2, stray.status());
    assertThat(stray.err(), startsWith("error: arguments: unexpected 'extra'"));
    assertEquals(0, serve("--help").status());

    QueryException noTokens = assertThrows(QueryException.class, () -> ServeCommand.start(
        new String[] {"--store", tmp.getRoot().toString(), "--port", "0"}, null,
        Clock.systemUTC()));
    assertEquals("tokens", noTokens.parameter());
    QueryException noDirectory = assertThrows(QueryException.class, () -> ServeCommand.start(
        new String[] {"--store", tmp.getRoot() + "/missing", "--port", "0"}, ENTRY,
        Clock.systemUTC()));
    assertEquals("store", noDirectory.parameter());
    QueryException badBeamOption = assertThrows(QueryException.class, () -> ServeCommand.start(
        new String[] {"--store", tmp.getRoot().toString(), "--notABeamOption=1"}, ENTRY,
        Clock.systemUTC()));
    assertEquals("options", badBeamOption.parameter());
  }

  @Test
  public void aTakenPortFailsToStart() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      Path tokens = tmp.newFile("tokens").toPath();
      Files.writeString(tokens, ENTRY + "\n");
      Run r = serve("--store", tmp.getRoot().toString(), "--tokens", tokens.toString(),
          "--port", Integer.toString(taken.getLocalPort()));
      assertEquals(r.err(), 1, r.status());
      assertThat(r.err(), startsWith("error: cannot listen on 127.0.0.1:" + taken.getLocalPort()));
    }
  }

  @Test
  public void startServesWithTokensFromTheEnvironment() {
    try (ServeCommand.Serving serving = ServeCommand.start(new String[] {
        "--store", tmp.getRoot().toString(), "--port=0", "--bind=127.0.0.1",
        "--max-videos=2"}, ENTRY, Clock.systemUTC())) {
      URI uri = serving.server.uri();
      assertThat(serving.describe(), startsWith("livemetrics serve: listening on " + uri));
      // An empty store answers with no data.
      assertEquals("{\"data\":[]}", Http.get(uri, "/v1/events/accounts/1234?dimensions=video"
          + "&metrics=video_view&where=video==5555", TOKEN).text());
      assertEquals(400, Http.get(uri, "/v1/events/accounts/1234?dimensions=video"
          + "&metrics=video_view&where=video==1,2,3", TOKEN).status());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // A real process

  /**
   * {@code java … ServeCommand} on the sample store: answers, then stops cleanly on SIGTERM. Also
   * prints the time from starting the process to the first successful answer (not asserted: the
   * machine is shared; see api/README.md, "Start-up time", for the measured figure).
   */
  @Test
  public void aServerProcessAnswersAndStopsOnSigterm() throws Exception {
    Path store = SampleStore.get();
    Path tokens = tmp.newFile("tokens").toPath();
    Files.writeString(tokens, AccessTokensTest.ENTRY_1234 + " default\n");
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    Path stdout = tmp.newFile("stdout").toPath();
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath, ServeCommand.class.getName(),
        "--store", store.toString(), "--port", "0", "--tokens", tokens.toString())
        .redirectOutput(stdout.toFile())
        .redirectError(tmp.newFile("stderr").toPath().toFile());
    pb.environment().remove(AccessTokens.ENVIRONMENT_VARIABLE);
    long started = System.nanoTime();
    Process process = pb.start();
    try {
      String first = firstLine(stdout, process);
      assertThat(first, startsWith("livemetrics serve: listening on http://"));
      Matcher m = Pattern.compile("on (http://\\S+) ").matcher(first);
      assertTrue(first, m.find());
      URI uri = URI.create(m.group(1));
      String request = "/v1/timeseries/accounts/default?dimensions=video&metrics=ccu"
          + "&where=video==6373141262112&bucket_limit=1";
      Http.Response r = Http.get(uri, request, TOKEN);
      long firstAnswerMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertEquals(r.toString(), 200, r.status());
      // The sample's peak ccu for this video (testdata/README.md): 31.
      assertEquals(31, r.json().path("ccu").path("data").get(0).path("points").get(0)
          .path("value").asLong());
      System.out.println("serve process: first successful answer " + firstAnswerMs
          + " ms after the process started");

      process.destroy(); // SIGTERM
      assertTrue("the server did not stop within 15 s", process.waitFor(15, TimeUnit.SECONDS));
      assertEquals(List.of(first, "livemetrics serve: stopped"), Files.readAllLines(stdout));
      assertEquals(143, process.exitValue()); // 128 + SIGTERM, after the shutdown hook ran
    } finally {
      process.destroyForcibly();
    }
  }

  /** The first line the process prints, waiting up to 60 s for it. */
  private static String firstLine(Path stdout, Process process) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String text = Files.readString(stdout, StandardCharsets.UTF_8);
      if (text.contains("\n")) {
        return text.substring(0, text.indexOf('\n'));
      }
      if (!process.isAlive()) {
        throw new AssertionError("the server exited with " + process.exitValue());
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the server printed nothing within 60 s");
  }
}
