package org.livemetrics.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Test;

/**
 * The one options convention of every command (issue 15), in process: both spellings reach the
 * implementation the same way, unknown options get a "did you mean", help is for people.
 */
public class CommandLineConventionTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

  private int run(String... args) throws Exception {
    return Livemetrics.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), errStream);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  public void bothSpellingsReachTheImplementationAlike() throws Exception {
    CliCommand backfill = Commands.backfill();
    List<String> expected = List.of("--archive=testdata/sample", "--output=/tmp/s",
        "--from=2026-11-22T05", "--to=1795334400000", "--flinkMaster=host:8081", "--dryRun");
    assertEquals(expected, backfill.parse(new String[] {"--archive", "testdata/sample",
        "--store", "/tmp/s", "--from", "2026-11-22T05", "--to", "1795334400000", "--flinkMaster",
        "host:8081", "--dryRun"}, errStream));
    assertEquals(expected, backfill.parse(new String[] {"--archive=testdata/sample",
        "--store=/tmp/s", "--from=2026-11-22T05", "--to=1795334400000", "--flinkMaster=host:8081",
        "--dryRun"}, errStream));
    assertEquals("", err());
  }

  @Test
  public void generateGetsTheSpaceSeparatedFormItReads() throws Exception {
    assertEquals(List.of("--out", "/tmp/a", "--viewers", "5", "--benchmark"),
        Commands.generate().parse(new String[] {"--out=/tmp/a", "--viewers", "5", "--benchmark"},
            errStream));
  }

  @Test
  public void theOldOutputStillWorksWithADeprecationLine() throws Exception {
    assertEquals(List.of("--output=/tmp/s", "--archive=a", "--from=2026-11-22", "--to=2026-11-23"),
        Commands.backfill().parse(new String[] {"--output", "/tmp/s", "--archive", "a", "--from",
            "2026-11-22", "--to", "2026-11-23"}, errStream));
    assertEquals("livemetrics backfill: --output is deprecated, use --store (same meaning)\n", err());
  }

  @Test
  public void anUnknownOptionGetsTheClosestKnownOne() throws Exception {
    assertEquals(2, run("export", "--store", "/s", "--output", "x.xlsx"));
    assertEquals("error: unknown option '--output' (did you mean '--out'?) (see: livemetrics export"
        + " --help)\n", err());
    err.reset();
    assertEquals(2, run("backfill", "--stor=/tmp/s"));
    assertThat(err(), containsString("unknown option '--stor' (did you mean '--store'?)"));
    err.reset();
    assertEquals(2, run("backfill", "--flinkMastr", "x"));
    assertThat(err(), containsString("unknown option '--flinkMastr' (did you mean '--flinkMaster'?)"));
    err.reset();
    assertEquals(2, run("qurey"));
    assertThat(err(), startsWith("error: unknown command 'qurey' (did you mean 'query'?)"));
  }

  @Test
  public void aMissingValueIsNamed() throws Exception {
    assertEquals(2, run("query", "--store"));
    assertThat(err(), containsString("--store needs a value"));
  }

  @Test
  public void helpStartsWithTheUsageLineAndMarksRequiredOptions() throws Exception {
    assertEquals(0, run("backfill", "--help"));
    String help = out();
    assertThat(help, startsWith("usage: livemetrics backfill --archive <dir|s3://bucket/prefix>"
        + " --from <time> --store <dir|s3://bucket/prefix> --to <time> [options]\n"));
    assertThat(help, containsString("\nRequired:\n  --archive <dir|s3://bucket/prefix>\n"));
    assertThat(help, containsString("\nEngine (optional):\n  --runner <FlinkRunner|DirectRunner|"
        + "DataflowRunner>\n                            The engine that runs the pipeline. (default:"
        + " FlinkRunner, with Flink\n                            embedded in this process unless"
        + " --flinkMaster names a cluster)\n"));
    assertThat(help, containsString("\nExamples:\n  livemetrics backfill --archive testdata/sample"));
    assertThat(help, containsString("--help=all` also lists the"));
    // Beam's generic options and AWS wait for --help=all.
    assertThat(help, not(containsString("--awsCredentialsProvider")));
    assertThat(help, not(containsString("--output")));
    out.reset();
    assertEquals(0, run("backfill", "--help=all"));
    assertThat(out(), containsString("  --awsCredentialsProvider <value>"));
  }

  @Test
  public void everyCommandHasAUsageLineFirstAndExamples() throws Exception {
    for (String c : List.of("generate", "backfill", "stream", "replay", "demo", "query", "export",
        "serve", "videos")) {
      out.reset();
      assertEquals(c, 0, run(c, "--help"));
      assertThat(c, out(), startsWith("usage: livemetrics " + c));
      assertThat(c, out(), containsString("\nExamples:\n"));
    }
    out.reset();
    assertEquals(0, run("export", "-h"));
    assertThat(out(), startsWith("usage: livemetrics export --store <dir|s3://bucket/prefix> --account <account>"
        + " --video <video> --out <file.xlsx> [options]\n"));
  }

  @Test
  public void completionScriptNamesTheCommands() throws Exception {
    assertEquals(0, run("completion", "bash"));
    assertThat(out(), containsString("generate backfill stream replay demo query export serve videos"));
    assertEquals(2, run("completion", "fish"));
  }

  @Test
  public void helpListsCommandsWithoutArguments() throws Exception {
    assertEquals(2, run());
    assertThat(err(), startsWith("usage: livemetrics <command> [options]\n"));
    assertTrue(err().contains("  completion "));
  }

  @Test
  public void aWrongValueIsNamedByItsOption() throws Exception {
    assertEquals(2, run("backfill", "--archive", "a", "--store", "s", "--from", "2026-11-22",
        "--to", "2026-11-23", "--parallelism", "x"));
    assertEquals("error: --parallelism: 'x' is not a whole number (see: livemetrics backfill"
        + " --help)\n", err());
    err.reset();
    assertEquals(2, run("query", "--store", "s", "--stableUniqueNames", "WARNIN", "/v1/x"));
    assertThat(err(), startsWith("error: --stableUniqueNames: 'WARNIN' is not one of OFF, WARNING,"
        + " ERROR (did you mean 'WARNING'?)"));
  }
}
