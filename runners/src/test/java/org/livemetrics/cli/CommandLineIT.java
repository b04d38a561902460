package org.livemetrics.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The command line as a user meets it (issue 15), at the process level: the shaded jar and
 * bin/livemetrics (LIVEMETRICS_SKIP_BUILD=1) run as real processes, each with its own
 * java.io.tmpdir, so "nothing left behind" is an exact check; signals are real SIGINT/SIGTERM.
 */
public class CommandLineIT {
  private static final Path ROOT = Path.of(System.getProperty("livemetrics.root", ".."));
  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  /** A started process and the files its output goes to. */
  private record Run(Process process, Path outFile, Path errFile) {
    String out() throws IOException {
      return Files.readString(outFile, StandardCharsets.UTF_8);
    }

    String err() throws IOException {
      return Files.readString(errFile, StandardCharsets.UTF_8);
    }

    int waitFor(Duration d) throws Exception {
      assertTrue("still running after " + d, process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS));
      return process.exitValue();
    }
  }

  private Run start(Path tmp, Map<String, String> env, List<String> command) throws IOException {
    Path out = temp.newFile().toPath();
    Path err = temp.newFile().toPath();
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().putAll(env);
    pb.environment().put("TMPDIR", tmp.toString());
    return new Run(pb.start(), out, err);
  }

  /** bin/livemetrics, as a user runs it, on the jar the build made. */
  private Run livemetrics(Path tmp, String... args) throws IOException {
    List<String> c = new ArrayList<>(List.of(ROOT.resolve("bin/livemetrics").toString()));
    c.addAll(Arrays.asList(args));
    return start(tmp, Map.of("LIVEMETRICS_SKIP_BUILD", "1",
        "LIVEMETRICS_JAVA_OPTS", "-Xmx1g -XX:-UsePerfData"), c);
  }

  private static List<Path> entries(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  private static void poll(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue("timed out waiting for " + what, System.nanoTime() < deadline);
      Thread.sleep(100);
    }
  }

  private static void signal(Process p, String name) throws Exception {
    assertEquals(0, new ProcessBuilder("kill", "-" + name, String.valueOf(p.pid())).start().waitFor());
  }

  private static void assertNoStackTrace(String stderr) {
    assertThat(stderr, not(containsString("Exception")));
    assertThat(stderr, not(containsString("\tat ")));
  }

  @Test
  public void demoHelpInstallsAndStartsNothing() throws Exception {
    Path tmp = temp.newFolder("tmp").toPath();
    Path services = temp.newFolder("services").toPath();
    Run r = start(tmp, Map.of("LIVEMETRICS_SKIP_BUILD", "1",
            "LIVEMETRICS_SERVICES_DIR", services.toString(), "LIVEMETRICS_JAVA_OPTS", "-Xmx512m"),
        List.of(ROOT.resolve("bin/livemetrics").toString(), "demo", "--help"));
    assertEquals(r.err(), 0, r.waitFor(Duration.ofMinutes(1)));
    assertThat(r.out(), startsWith("usage: livemetrics demo [options]\n"));
    assertThat(r.out(), containsString("Needs Java 17, Maven and npm"));
    assertEquals("", r.err());
    assertEquals(List.of(), entries(services));
    assertEquals(List.of(), entries(tmp));
  }

  @Test
  public void noArgumentsAndHelpListTheCommands() throws Exception {
    Path tmp = temp.newFolder("tmp").toPath();
    Run help = start(tmp, Map.of("LIVEMETRICS_SKIP_BUILD", "1"),
        List.of(ROOT.resolve("bin/livemetrics").toString(), "help"));
    assertEquals(0, help.waitFor(Duration.ofMinutes(1)));
    assertThat(help.out(), startsWith("usage: livemetrics <command> [options]\n"));
    assertThat(help.out(), containsString("\n  backfill    recompute"));
    Run none = start(tmp, Map.of("LIVEMETRICS_SKIP_BUILD", "1"),
        List.of(ROOT.resolve("bin/livemetrics").toString()));
    assertEquals(2, none.waitFor(Duration.ofMinutes(1)));
    assertThat(none.err(), startsWith("usage: livemetrics <command> [options]\n"));
    assertEquals(List.of(), entries(tmp));
  }

  @Test
  public void aBackfillLeavesNoTemporaryFileAndNoEmptyTempDirectoryInTheStore() throws Exception {
    Path tmp = temp.newFolder("tmp").toPath();
    Path store = temp.newFolder("store").toPath();
    // Both spellings in one command line.
    Run r = livemetrics(tmp, "backfill", "--archive", "testdata/sample", "--store=" + store,
        "--from", "2026-11-22T05:00:00Z", "--to=1795330800000", "--fingerprintSecret", "demo-secret",
        "--parallelism", "2");
    assertEquals(r.err(), 0, r.waitFor(Duration.ofMinutes(5)));
    assertThat(r.out(), containsString("aggregate rows"));
    assertEquals(List.of(), entries(tmp));
    try (Stream<Path> s = Files.walk(store)) {
      assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".temp-beam")).toList());
    }
  }

  /**
   * The build records the backfill's class archive for this jar (bin/record-class-archive), and
   * bin/livemetrics starts a backfill from it: most classes come from the archive, none of the
   * JVM's warnings reach stdout.
   */
  @Test
  public void aBackfillStartsFromTheClassArchiveTheBuildRecorded() throws Exception {
    Path archive = ROOT.resolve("runners/target/livemetrics-backfill.jsa");
    assertTrue(archive + " was not recorded by the build", Files.isRegularFile(archive));
    Path tmp = temp.newFolder("tmp").toPath();
    Path store = temp.newFolder("store").toPath();
    Path classLog = temp.newFolder("log").toPath().resolve("classes.log");
    // The wrapper's own JVM options (no LIVEMETRICS_JAVA_OPTS); the JVM reads this variable too.
    Run r = start(tmp, Map.of("LIVEMETRICS_SKIP_BUILD", "1",
            "JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + classLog),
        List.of(ROOT.resolve("bin/livemetrics").toString(), "backfill", "--archive",
            "testdata/sample", "--store", store.toString(), "--from", "2026-11-22T05",
            "--to", "2026-11-22T07", "--fingerprintSecret", "demo-secret"));
    assertEquals(r.err(), 0, r.waitFor(Duration.ofMinutes(5)));
    assertThat(r.out(), containsString(" committed ["));
    List<String> loaded = Files.readAllLines(classLog);
    long fromArchive = loaded.stream().filter(l -> l.contains("source: shared objects file (top)")).count();
    // About 14,000 of a backfill's 17,000 classes when the archive maps; 0 when the JVM refuses it.
    assertTrue(fromArchive + " of " + loaded.size() + " classes came from the class archive",
        fromArchive > loaded.size() / 2);
  }

  @Test
  public void sigintStopsABackfillCleanly() throws Exception {
    Path tmp = temp.newFolder("tmp").toPath();
    Path store = temp.newFolder("store").toPath();
    Run r = livemetrics(tmp, "backfill", "--archive", "testdata/sample", "--store", store.toString(),
        "--from", "2026-11-22T05", "--to", "2026-11-22T07", "--fingerprintSecret", "demo-secret",
        "--parallelism", "2");
    // Stopped once the embedded Flink runs: its RPC jar is in the run's directory.
    poll("the embedded Flink's files", Duration.ofMinutes(2), () -> {
      try (Stream<Path> s = Files.walk(tmp)) {
        return s.anyMatch(p -> p.getFileName().toString().startsWith("flink-rpc"));
      } catch (IOException | java.io.UncheckedIOException e) {
        return false;
      }
    });
    signal(r.process(), "INT");
    assertEquals(r.err(), 130, r.waitFor(Duration.ofMinutes(1)));
    assertThat(r.err(), containsString("livemetrics backfill: stopped (SIGINT)\n"));
    assertNoStackTrace(r.err());
    assertEquals(List.of(), entries(tmp));
  }

  @Test
  public void sigtermStopsServeCleanly() throws Exception {
    Path tmp = temp.newFolder("tmp").toPath();
    Path store = temp.newFolder("store").toPath();
    Run token = livemetrics(tmp, "serve", "--new-token", "--accounts", "default");
    assertEquals(token.err(), 0, token.waitFor(Duration.ofMinutes(1)));
    String line = token.out().lines().filter(l -> l.startsWith("lm_sha256:")).findFirst().orElseThrow();
    Path tokens = temp.newFile("tokens").toPath();
    Files.writeString(tokens, line + "\n");
    Run r = livemetrics(tmp, "serve", "--store", store.toString(), "--port", "0", "--tokens", tokens.toString());
    poll("listening", Duration.ofMinutes(1), () -> {
      try {
        return r.out().contains("listening on");
      } catch (IOException e) {
        return false;
      }
    });
    r.process().destroy(); // SIGTERM
    assertEquals(r.err(), 143, r.waitFor(Duration.ofMinutes(1)));
    assertThat(r.err(), containsString("livemetrics serve: stopped (SIGTERM)\n"));
    assertNoStackTrace(r.err());
    assertEquals(List.of(), entries(tmp));
  }

  @Test
  public void sigintStopsTheDemoWithItsServers() throws Exception {
    Path services = ROOT.resolve(".work/services");
    assumeTrue("scripts/services.sh demo installs the demo's servers",
        Files.isDirectory(services.resolve("node_modules/.bin"))
            && Files.isDirectory(services.resolve("elasticsearch-7.17.29")));
    Path tmp = temp.newFolder("tmp").toPath();
    // As root the demo's Elasticsearch runs as nobody, which must reach its directory in tmp.
    Files.setPosixFilePermissions(temp.getRoot().toPath(), PosixFilePermissions.fromString("rwx--x--x"));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
    Run r = start(tmp, Map.of("LIVEMETRICS_SKIP_BUILD", "1", "LIVEMETRICS_JAVA_OPTS", "-Xmx1g"),
        List.of(ROOT.resolve("bin/livemetrics").toString(), "demo", "--minutes", "1", "--viewers", "20"));
    try {
      poll("the demo's dashboard line", Duration.ofMinutes(4), () -> {
        try {
          return r.out().contains("dashboard (live numbers") || !r.process().isAlive();
        } catch (IOException e) {
          return false;
        }
      });
    } finally {
      if (!r.out().contains("dashboard (live numbers")) {
        r.process().descendants().forEach(ProcessHandle::destroyForcibly);
        r.process().destroyForcibly();
        throw new AssertionError("the demo did not start: " + r.out() + r.err());
      }
    }
    assertThat(r.out(), startsWith("livemetrics demo: runs about 2 minutes"));
    List<ProcessHandle> servers = r.process().descendants().toList();
    assertTrue("the demo runs its servers as child processes", !servers.isEmpty());
    signal(r.process(), "INT");
    assertEquals(r.err(), 130, r.waitFor(Duration.ofMinutes(1)));
    assertThat(r.err(), containsString("livemetrics demo: stopped (SIGINT)\n"));
    assertNoStackTrace(r.err());
    for (ProcessHandle p : servers) {
      assertTrue("left running: " + p.info().commandLine().orElse("pid " + p.pid()),
          !p.isAlive());
    }
    assertEquals(List.of(), entries(tmp));
  }
}
