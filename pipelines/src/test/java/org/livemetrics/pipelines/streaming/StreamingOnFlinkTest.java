package org.livemetrics.pipelines.streaming;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.ClassRule;
import org.livemetrics.testdata.services.LocalServer;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.pipelines.backfill.Backfill;
import org.livemetrics.pipelines.backfill.BackfillOptions;
import org.livemetrics.pipelines.io.LocalArchive;
import org.livemetrics.pipelines.kinesis.LocalStreams;
import org.livemetrics.query.AggregateSelection;
import org.livemetrics.query.ParquetAggregateStore;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.testdata.ReferenceMetrics;
import org.livemetrics.testdata.SampleArchive;

/**
 * The streaming pipeline on the embedded FlinkRunner in streaming mode, reading a real local
 * Kinesis (kinesalite): the sample archive's records go in, half before and half after the job is
 * stopped with a savepoint and resumed from it. Once the stream is complete, the aggregates equal
 * the backfill of the same archive row for row (nothing lost, nothing counted twice), and the raw
 * archive the stream kept holds every record exactly once.
 */
public class StreamingOnFlinkTest {
  private static final long FROM = java.time.Instant.parse("2026-11-22T05:00:00Z").toEpochMilli();
  private static final long TO = java.time.Instant.parse("2026-11-22T07:00:00Z").toEpochMilli();

  @ClassRule public static final LocalStreams KINESIS = new LocalStreams();
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test(timeout = 900_000)
  public void aJobStoppedWithASavepointAndResumedFromItNeitherLosesNorDoubleCounts() throws Exception {
    String stream = KINESIS.newStream(2);
    List<byte[]> records = new ArrayList<>();
    LocalArchive.forEachRecord(SampleArchive.locate(), (r, object, line) -> records.add(r));
    int half = records.size() / 2;
    Path store = tmp.newFolder("store").toPath();
    Path archive = tmp.newFolder("archive").toPath();
    int restPort = LocalServer.freePort();
    Path conf = FlinkRest.writeConf(tmp.newFolder("flink-conf").toPath(), restPort);
    FlinkRest rest = new FlinkRest(restPort);

    // First, alone: the DirectRunner's batch backfill took over 14 minutes on this 2-core machine
    // under load while the streaming job ran beside it (its watermark bookkeeping), so the
    // expected rows come from the embedded Flink engine's backfill, before the stream starts.
    List<String> expected = backfillRows();
    List<String> args = new ArrayList<>(KINESIS.server().kinesisArgs(stream));
    args.addAll(List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2",
        "--checkpointingInterval=1000", "--flinkConfDir=" + conf, "--fingerprintSecret=test-secret",
        "--streamId=restart1", "--output=" + store, "--archive=" + archive, "--flushInterval=PT2S",
        "--earlyFiringSeconds=1", "--kinesisInitialPosition=TRIM_HORIZON",
        // The sample's events are days old and up to 12 minutes out of order: the watermark
        // follows their event time only, 15 minutes behind, so none is too late.
        "--maxWatermarkDelay=PT15M", "--watermarkIdleThreshold=PT1H",
        // The sample's days-old events put into Kinesis now: their arrival is now, so the arrival
        // rule must reach back that far (an operator replaying an archive does the same).
        "--latePartitions=1000000"));

    FlinkStreamingJob.put(KINESIS.client(), stream, records.subList(0, half));
    FlinkStreamingJob first = FlinkStreamingJob.start(args);
    String jobId = rest.runningJob(Duration.ofMinutes(2), first::check);
    awaitArchived(archive, half, Duration.ofMinutes(6), () -> {
      first.check();
      rest.assertHealthy(jobId);
    });
    // The upgrade procedure of the Flink Kubernetes Operator's savepoint mode: stop with a
    // savepoint, not draining. (-Dlivemetrics.upgrade=cancel: savepoint, then cancel, the manual
    // procedure; both pass.)
    String savepoint;
    if ("cancel".equals(System.getProperty("livemetrics.upgrade"))) {
      savepoint = rest.savepoint(jobId, tmp.newFolder("savepoints").toPath());
      rest.cancel(jobId);
    } else {
      savepoint = rest.stopWithSavepoint(jobId, tmp.newFolder("savepoints").toPath());
    }
    first.await();

    FlinkStreamingJob.put(KINESIS.client(), stream, records.subList(half, records.size()));
    // Half an hour after the sample: every shard's watermark passes its last minute + lateness.
    int probes = FlinkStreamingJob.putWatermarkProbes(KINESIS.client(), stream, TO + 30 * 60_000L);
    List<String> resumed = new ArrayList<>(args);
    resumed.add("--savepointPath=" + savepoint);
    FlinkStreamingJob second = FlinkStreamingJob.start(resumed);
    String secondId = rest.runningJob(Duration.ofMinutes(2), second::check);
    try {
      // A restart would replay records the test could not tell from lost or doubled ones: none.
      awaitEqual(store, expected, Duration.ofMinutes(5), () -> {
        second.check();
        rest.assertHealthy(secondId);
      });
      // Two more flushes: nothing arrives later that would count something twice.
      Thread.sleep(5_000);
      List<String> after = streamedRows(store);
      assertTrue(difference(expected, after), expected.equals(after));
      assertEquals("every record archived exactly once",
          records.size() + probes, archivedLines(archive));
    } finally {
      rest.cancel(secondId);
      second.await();
    }
  }

  /** The backfill of the original sample archive: the expected aggregates. */
  private List<String> backfillRows() throws Exception {
    Path out = tmp.newFolder("backfill").toPath();
    Backfill.run(PipelineOptionsFactory.fromArgs("--archive=" + SampleArchive.locate(),
            "--output=" + out, "--from=2026-11-22T05", "--to=2026-11-22T07",
            "--fingerprintSecret=test-secret", "--runner=FlinkRunner", "--flinkMaster=[local]")
        .as(BackfillOptions.class));
    return rows(out);
  }

  private static List<String> streamedRows(Path store) throws IOException {
    return rows(store);
  }

  private static List<String> rows(Path store) throws IOException {
    List<String> out = new ArrayList<>();
    try (ParquetAggregateStore s = new ParquetAggregateStore(store.toString())) {
      for (DimensionSet set : DimensionSet.values()) {
        for (MinuteAggregate r : s.readAll(new AggregateSelection(ReferenceMetrics.DEFAULT_ACCOUNT,
            set, Set.of(), Set.of(), FROM, TO - 60_000, true))) {
          out.add(r + " sketches=" + java.util.Arrays.hashCode(r.sessionSketch) + "/"
              + java.util.Arrays.hashCode(r.fingerprintSketch));
        }
      }
    }
    out.sort(null);
    return out;
  }

  private static void awaitEqual(Path store, List<String> expected, Duration timeout,
      Runnable check) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> actual = List.of();
    while (System.nanoTime() < deadline) {
      check.run();
      if (Files.exists(store.resolve("aggregates"))) {
        actual = streamedRows(store);
        if (actual.equals(expected)) {
          return;
        }
      }
      Thread.sleep(1_000);
    }
    throw new AssertionError("streamed aggregates differ after " + timeout + ": "
        + difference(expected, actual) + "; dead letters: " + deadLetterReasons(store));
  }

  static java.util.Map<String, Long> deadLetterReasons(Path store) throws IOException {
    java.util.Map<String, Long> reasons = new java.util.TreeMap<>();
    Path dir = store.resolve("dead-letter");
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
          for (String line : Files.readAllLines(f)) {
            reasons.merge(line.replaceAll("^\\{\"reason\":\"([^\"]*)\".*", "$1"), 1L, Long::sum);
          }
        }
      }
    }
    return reasons;
  }

  /** Rows only in one side (first 20 of each), so a failure says what differs. */
  static String difference(List<String> expected, List<String> actual) {
    List<String> missing = new ArrayList<>(expected);
    missing.removeAll(new java.util.HashSet<>(actual));
    List<String> extra = new ArrayList<>(actual);
    extra.removeAll(new java.util.HashSet<>(expected));
    return expected.size() + " expected, " + actual.size() + " streamed; only expected ("
        + missing.size() + "): " + missing.subList(0, Math.min(20, missing.size()))
        + "; only streamed (" + extra.size() + "): " + extra.subList(0, Math.min(20, extra.size()));
  }

  static void awaitArchived(Path archive, long count, Duration timeout, FlinkStreamingJob job)
      throws Exception {
    awaitArchived(archive, count, timeout, job::check);
  }

  /** As above, calling {@code check} (which throws when the job is in trouble) while it waits. */
  static void awaitArchived(Path archive, long count, Duration timeout, Runnable check)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long n = 0;
    while (System.nanoTime() < deadline) {
      check.run();
      n = archivedLines(archive);
      if (n >= count) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("archived " + n + " of " + count + " records within " + timeout);
  }

  /** Lines in the final (not temporary) gzip files under {@code archive}. */
  static long archivedLines(Path archive) throws IOException {
    long n = 0;
    try (Stream<Path> files = Files.walk(archive)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".gz") && !p.toString().contains(".temp-beam")).toList()) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
          n += new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().count();
        }
      }
    }
    return n;
  }
}
