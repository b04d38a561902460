package org.livemetrics.query;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.livemetrics.query.Rows.t;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The CLI's contract: the body on stdout, or one {@code error: <parameter>: …} line and status. */
public class QueryCommandTest {
  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();

  private static Path store;

  @BeforeClass
  public static void writeStore() throws IOException {
    store = tmp.newFolder("store").toPath();
    new ParquetStoreWriter(store).writeAll("r", List.of(
        Rows.video("5555", "2020-02-15T10:00").sessions(1, 3).views(2).build()));
    // An hour whose only file is unreadable, to see how a store failure is reported.
    Files.writeString(new ParquetStoreWriter(store).partition("2020-02-16T10")
        .resolve("part-r-00000.parquet"), "not parquet");
  }

  /** What one command run printed and returned; shared with the Elasticsearch store's tests. */
  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = QueryCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  private static Run query(String uri, String... moreArgs) {
    List<String> args = new ArrayList<>(List.of("--store", store.toString(), "--now",
        Long.toString(t("2020-02-15T12:00"))));
    args.addAll(Arrays.asList(moreArgs));
    args.add(uri);
    return run(args.toArray(new String[0]));
  }

  private static void assertBadRequest(String parameter, Run r) {
    assertEquals(r.err, QueryCommand.BAD_REQUEST, r.status);
    assertEquals("", r.out);
    assertThat(r.err, startsWith("error: " + parameter + ": "));
    assertEquals("one line: " + r.err, 1, r.err.lines().count());
  }

  private static final String TS = "/v1/timeseries/accounts/1234";
  private static final String EV = "/v1/events/accounts/1234";
  private static final String OK_PARAMS = "?dimensions=video&metrics=ccu&where=video==5555";

  @Test
  public void printsTheCompactBodyAndANewline() {
    Run r = query(TS + OK_PARAMS + "&from=" + t("2020-02-15T10:00"));
    assertEquals("", r.err);
    assertEquals(0, r.status);
    assertEquals("{\"ccu\":{\"data\":[{\"dimensions\":{\"account\":\"1234\",\"video\":\"5555\"},"
        + "\"points\":[{\"timestamp\":" + t("2020-02-15T10:00") + ",\"value\":3}]}]}}\n", r.out);
  }

  @Test
  public void acceptsOptionsWithEqualsSigns() {
    Run r = run("--store=" + store, "--now=" + t("2020-02-15T12:00"),
        EV + "?dimensions=video&metrics=video_view&where=video==5555");
    assertEquals(r.err, 0, r.status);
    assertEquals("{\"data\":[{\"dimensions\":{\"account\":\"1234\",\"video\":\"5555\"},"
        + "\"totals\":{\"video_view\":2}}]}\n", r.out);
  }

  @Test
  public void nowDecidesTheDefaultRange() {
    // The row at 2020-02-15T10:00 is more than 32 days before 2020-03-20.
    Run r = query(EV + "?dimensions=video&metrics=video_view&where=video==5555",
        "--now", Long.toString(t("2020-03-20T00:00")));
    assertEquals("{\"data\":[]}\n", r.out);
  }

  @Test
  public void badRequestsNameTheParameter() {
    assertBadRequest("metrics", query(TS + "?dimensions=video&metrics=ccu,views"
        + "&where=video==5555"));
    assertBadRequest("metrics", query(TS + "?dimensions=video&metrics=ccu,,ccu&where=video==5555"));
    assertBadRequest("metrics", query(TS + "?dimensions=video&metrics=ccu,ccu&where=video==5555"));
    assertBadRequest("dimensions", query(TS + "?dimensions=video,city&metrics=ccu"
        + "&where=video==5555"));
    assertBadRequest("dimensions", query(TS + "?dimensions=country&metrics=ccu"
        + "&where=video==5555"));
    assertBadRequest("dimensions", query(TS + "?dimensions=video,country,device_type&metrics=ccu"
        + "&where=video==5555"));
    assertBadRequest("where", query(TS + "?dimensions=video&metrics=ccu&where=video=5555"));
    assertBadRequest("where", query(TS + "?dimensions=video&metrics=ccu&where=video==5555,"));
    assertBadRequest("where", query(TS + "?dimensions=video&metrics=ccu&where=city==Paris"));
    assertBadRequest("where", query(TS + "?dimensions=video,country&metrics=ccu"
        + "&where=country==US"));
    assertBadRequest("where", query(TS + "?dimensions=video&metrics=ccu"
        + "&where=video==5555;country==US"));
    assertBadRequest("where", query(TS + "?dimensions=video,device_type&metrics=ccu"
        + "&where=video==5555;device_type==phone"));
    assertBadRequest("where", query(TS + "?dimensions=video&metrics=ccu"
        + "&where=video==5555;video==5556"));
    assertBadRequest("bucket_limit", query(TS + OK_PARAMS + "&bucket_duration=1h&bucket_limit=5"));
    for (String d : List.of("5s", "0m", "h", "1.5h", "-1d", "1 h", "")) {
      assertBadRequest("bucket_duration", query(TS + OK_PARAMS + "&bucket_duration=" + d));
    }
    for (String n : List.of("0", "-2", "x", "")) {
      assertBadRequest("bucket_limit", query(TS + OK_PARAMS + "&bucket_limit=" + n));
    }
    assertBadRequest("bucket_duration", query(EV + OK_PARAMS + "&bucket_duration=1h"));
    assertBadRequest("bucket_limit", query(EV + OK_PARAMS + "&bucket_limit=1"));
    assertBadRequest("from", query(TS + OK_PARAMS + "&from=yesterday"));
    assertBadRequest("from", query(TS + OK_PARAMS + "&from=1.5e12"));
    assertBadRequest("to", query(TS + OK_PARAMS + "&to=now"));
    assertBadRequest("to", query(TS + OK_PARAMS + "&from=1581768000000&to=1581767999999"));
    assertBadRequest("from", query(TS + OK_PARAMS + "&from=" + t("2020-02-15T12:01")));
    assertBadRequest("limit", query(TS + OK_PARAMS + "&limit=5"));
    assertBadRequest("metrics", query(TS + OK_PARAMS + "&metrics=ccu"));
  }

  @Test
  public void missingRequiredParametersAreNamed() {
    assertBadRequest("dimensions", query(TS + "?metrics=ccu&where=video==5555"));
    assertBadRequest("metrics", query(TS + "?dimensions=video&where=video==5555"));
    assertBadRequest("where", query(TS + "?dimensions=video&metrics=ccu"));
    assertBadRequest("metrics", query(TS + "?dimensions=video&metrics=&where=video==5555"));
    assertBadRequest("dimensions", query(TS));
  }

  @Test
  public void unknownEndpointsAreBadPaths() {
    assertBadRequest("path", query("/v1/sessions/accounts/1234" + OK_PARAMS));
    assertBadRequest("path", query("/v2/timeseries/accounts/1234" + OK_PARAMS));
    assertBadRequest("path", query("/v1/timeseries/1234" + OK_PARAMS));
    assertBadRequest("path", query("/v1/events/accounts/1234/videos/5555/export?format=xlsx"));
  }

  @Test
  public void tooManyPointsNamesTheBucketParameterAndTheLimit() {
    // 10:00 to 12:00 at one minute is 121 points.
    Run r = query(TS + OK_PARAMS + "&from=" + t("2020-02-15T10:00"), "--max-points", "100");
    assertBadRequest("bucket_duration", r);
    assertThat(r.err, containsString("limit of 100"));
    assertEquals(0, query(TS + OK_PARAMS + "&from=" + t("2020-02-15T10:00")
        + "&bucket_duration=2m", "--max-points", "100").status);
  }

  @Test
  public void usageErrorsAreBadRequestsToo() {
    String uri = EV + OK_PARAMS;
    assertBadRequest("store", run(uri));
    assertBadRequest("store", run("--store", store.resolve("missing").toString(), uri));
    assertBadRequest("store", run("--store", "http://localhost:9200/Not-An-Alias", uri));
    assertBadRequest("store", run("--store", "http://localhost:9200,ftp://x", uri));
    assertBadRequest("store", run(uri, "--store"));
    assertBadRequest("request", run("--store", store.toString()));
    assertBadRequest("request", run("--store", store.toString(), uri, uri));
    assertBadRequest("now", run("--store", store.toString(), "--now", "noon", uri));
    assertBadRequest("max-points", run("--store", store.toString(), "--max-points", "0", uri));
    assertBadRequest("options", run("--store", store.toString(), "--noSuchOption=1", uri));
  }

  @Test
  public void helpPrintsUsage() {
    Run r = run("--help");
    assertEquals(0, r.status);
    assertThat(r.out, startsWith("usage: livemetrics query --store"));
  }

  @Test
  public void anUnreadableStoreExitsWithOne() {
    Run r = query(EV + OK_PARAMS + "&from=" + t("2020-02-16T10:00") + "&to="
        + t("2020-02-16T10:59"), "--now", Long.toString(t("2020-02-17T00:00")));
    assertEquals(QueryCommand.STORE_FAILED, r.status);
    assertEquals("", r.out);
    assertThat(r.err, startsWith("error: store: "));
    assertThat(r.err, containsString("hour=2020-02-16T10/part-r-00000.parquet"));
  }
}
