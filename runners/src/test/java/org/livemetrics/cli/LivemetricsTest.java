package org.livemetrics.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.Test;

/** The launcher's dispatch and usage errors (each subcommand is tested in its own module). */
public class LivemetricsTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) throws Exception {
    return Livemetrics.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  public void helpListsEveryCommand() throws Exception {
    assertEquals(0, run("help"));
    for (String c : new String[] {"generate", "backfill", "query", "export", "serve", "videos"}) {
      assertThat(out.toString(StandardCharsets.UTF_8), containsString("  " + c + " "));
    }
  }

  @Test
  public void unknownCommandIsAUsageError() throws Exception {
    assertEquals(2, run("frobnicate"));
    assertThat(err.toString(StandardCharsets.UTF_8), containsString("unknown command 'frobnicate'"));
    assertEquals(2, run());
  }

  @Test
  public void backfillReportsBadOptionsWithExitTwo() throws Exception {
    assertEquals(2, run("backfill", "--archive=/nonexistent", "--output=/tmp/x", "--from=never", "--to=2026-11-22T06",
        "--fingerprintSecret=s", "--runner=DirectRunner"));
    assertThat(err.toString(StandardCharsets.UTF_8), containsString("--from"));
    err.reset();
    assertEquals(2, run("backfill", "--store=/tmp/x"));
    assertThat(err.toString(StandardCharsets.UTF_8), containsString(
        "error: missing required options --archive <dir|s3://bucket/prefix>, --from <time>, --to <time>"));
  }

  @Test
  public void defaultRunnerIsFlink() {
    assertEquals("--runner=FlinkRunner", BackfillCommand.withDefaultRunner(new String[] {"--a=b"})[1]);
    assertEquals(1, BackfillCommand.withDefaultRunner(new String[] {"--runner=DirectRunner"}).length);
  }
}
