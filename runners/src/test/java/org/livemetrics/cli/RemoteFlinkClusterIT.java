package org.livemetrics.cli;

import static org.livemetrics.schemas.family.AudienceFamily.ALIVE_SS_AD_START_FIELD;
import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_IMPRESSION_FIELD;
import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_SECONDS_VIEWED_MS_FIELD;
import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_VIEW_FIELD;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.query.AggregateSelection;
import org.livemetrics.query.ParquetAggregateStore;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.testdata.ReferenceMetrics;
import org.livemetrics.testdata.SampleArchive;

/**
 * The deployable artifact on a real (standalone) Flink cluster: runners/flink/local-cluster.sh
 * starts a JobManager and a TaskManager from the shaded job jar, {@code java -jar livemetrics.jar
 * backfill --flinkMaster=…} submits the sample backfill to it, and every stored row must equal the
 * independent reference.
 */
public class RemoteFlinkClusterIT {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final Path ROOT = Path.of(System.getProperty("livemetrics.root", ".."));
  private static final Path JAR = Path.of(System.getProperty("livemetrics.jar", "target/livemetrics.jar"));
  private static final int PORT = 18_000 + (int) (ProcessHandle.current().pid() % 1000);
  private static Path clusterDir;

  @BeforeClass
  public static void startCluster() throws Exception {
    clusterDir = TMP.newFolder("flink").toPath();
    assertEquals("cluster start (logs in " + clusterDir + ")", 0, script("start", String.valueOf(PORT)));
  }

  @AfterClass
  public static void stopCluster() throws Exception {
    script("stop");
  }

  private static int script(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("runners/flink/local-cluster.sh").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
    pb.environment().put("FLINK_LOCAL_DIR", clusterDir.toString());
    pb.environment().put("LIVEMETRICS_JAR", JAR.toAbsolutePath().toString());
    Process p = pb.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    return p.exitValue();
  }

  @Test
  public void backfillOnTheClusterMatchesTheReference() throws Exception {
    Path store = TMP.newFolder("store").toPath();
    Path log = TMP.newFile("backfill.log").toPath();
    Process backfill = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
            "-Daws.cborEnabled=false", "-jar", JAR.toAbsolutePath().toString(), "backfill",
            "--runner=FlinkRunner", "--flinkMaster=127.0.0.1:" + PORT, "--parallelism=2",
            "--archive=" + SampleArchive.locate(), "--output=" + store,
            "--from=2026-11-22T05", "--to=2026-11-22T07", "--fingerprintSecret=cluster")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue("backfill timed out", backfill.waitFor(600, TimeUnit.SECONDS));
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(output, 0, backfill.exitValue());
    assertTrue(output, output.contains("committed [2026-11-22T05:00Z, 2026-11-22T07:00Z)"));

    long from = Instant.parse("2026-11-22T05:00:00Z").toEpochMilli();
    long to = Instant.parse("2026-11-22T07:00:00Z").toEpochMilli();
    ReferenceMetrics.Result expected = ReferenceMetrics.withDefaults().compute(SampleArchive.locate());
    Map<String, String> want = new TreeMap<>();
    expected.rows().forEach((k, r) -> {
      if (k.minuteStartMs() >= from && k.minuteStartMs() < to) {
        want.put(k.dimensionSet() + "|" + k.video() + "|" + k.secondary() + "|" + k.minuteStartMs(),
            r.videoImpression() + "/" + r.videoView() + "/" + r.aliveSsAdStart() + "/"
                + r.videoSecondsViewedMs() + "/" + r.ccu() + "/" + r.fingerprintCount());
      }
    });
    Map<String, String> got = new TreeMap<>();
    try (ParquetAggregateStore s = new ParquetAggregateStore(store.toString())) {
      for (DimensionSet set : DimensionSet.values()) {
        s.read(new AggregateSelection("default", set, Set.of(), Set.of(), from, to - 60_000, false),
            (MinuteAggregate r) -> got.put(set.id() + "|" + r.video + "|"
                    + (r.secondaryValue() == null ? "" : r.secondaryValue()) + "|" + r.minute,
                r.count(VIDEO_IMPRESSION_FIELD) + "/" + r.count(VIDEO_VIEW_FIELD) + "/"
                    + r.count(ALIVE_SS_AD_START_FIELD) + "/"
                    + r.count(VIDEO_SECONDS_VIEWED_MS_FIELD) + "/" + r.ccu + "/"
                    + r.fingerprintCount));
      }
    }
    assertEquals(want, got);
  }
}
