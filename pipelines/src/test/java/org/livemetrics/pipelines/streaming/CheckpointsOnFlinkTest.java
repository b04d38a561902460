package org.livemetrics.pipelines.streaming;

import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_VIEW_FIELD;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.pipelines.kinesis.LocalStreams;
import org.livemetrics.query.AggregateSelection;
import org.livemetrics.query.ParquetAggregateStore;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.testdata.services.LocalServer;

/**
 * The streaming job with checkpoints on a realistic volume: 30,000 records in a real kinesalite,
 * the job on the embedded FlinkRunner checkpointing every second. Its checkpoints must hold the
 * job's real state (the windows of 30,000 sessions, the re-read filter, the Kinesis positions,
 * pending files): the job must never restart, checkpoints must complete once every record is in
 * the state, and every record must be counted exactly once.
 *
 * <p>Before the fix, the embedded engine kept checkpoints in the JobManager's memory (at most 5 MB
 * a state) and the re-read filter kept every record's id: no checkpoint completed, and the job
 * restarted from the start of the stream again and again without a word at the default log level.
 */
public class CheckpointsOnFlinkTest {
  /** 2026-11-22T05:00Z: the records' minutes follow it. */
  private static final long BASE = 1795323600000L;
  private static final int RECORDS = 30_000;
  private static final int VIDEOS = 3;
  private static final int MINUTES = 10;

  @ClassRule public static final LocalStreams KINESIS = new LocalStreams();
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test(timeout = 600_000)
  public void aJobCheckpointsItsStateWithoutRestartingAndCountsEveryRecordOnce() throws Exception {
    String stream = KINESIS.newStream(2);
    // Record i: a PLAY of its own session, video v(i % 3), minute (i / 3) % 10, second i % 60.
    // Each (video, minute) gets 30,000 / 30 = 1,000 records, each a distinct session: video_view
    // and ccu are 1,000 per row. The minutes cycle, so the stream is up to 9 minutes out of order.
    List<byte[]> records = new ArrayList<>(RECORDS);
    for (int i = 0; i < RECORDS; i++) {
      long time = BASE + (i / VIDEOS) % MINUTES * 60_000L + (i % 60) * 1_000L;
      records.add(("{\"metric_type\":\"PLAY\",\"event_time\":" + time + ",\"channel_watched\":\"v"
          + (i % VIDEOS) + "\",\"session_id\":\"s" + i + "\",\"ip_address\":\"192.0.2." + (i % 250)
          + "\",\"user_agent\":\"checkpoint-test/" + i + "\"}").getBytes(StandardCharsets.UTF_8));
    }
    Map<String, Long> expected = new TreeMap<>();
    for (int v = 0; v < VIDEOS; v++) {
      for (int m = 0; m < MINUTES; m++) {
        expected.put("v" + v + "@" + (BASE + m * 60_000L), 1000L);
      }
    }
    long put = System.nanoTime();
    FlinkStreamingJob.put(KINESIS.client(), stream, records);
    // Half an hour after the last minute: every shard's watermark passes it and its lateness.
    int probes = FlinkStreamingJob.putWatermarkProbes(
        KINESIS.client(), stream, BASE + (MINUTES + 30) * 60_000L);
    System.out.printf("put %d records in %d ms%n", RECORDS + probes, (System.nanoTime() - put) / 1_000_000);

    int restPort = LocalServer.freePort();
    FlinkRest rest = new FlinkRest(restPort);
    Path store = tmp.newFolder("store").toPath();
    Path archive = tmp.newFolder("archive").toPath();
    List<String> args = new ArrayList<>(KINESIS.server().kinesisArgs(stream));
    args.addAll(List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2",
        "--flinkConfDir=" + FlinkRest.writeConf(tmp.newFolder("flink-conf").toPath(), restPort),
        "--checkpointingInterval=1000", "--fingerprintSecret=test-secret", "--streamId=ckpt1",
        "--output=" + store, "--archive=" + archive, "--flushInterval=PT2S",
        "--earlyFiringSeconds=1", "--kinesisInitialPosition=TRIM_HORIZON",
        "--maxWatermarkDelay=PT15M", "--watermarkIdleThreshold=PT1H",
        // Events of 2026-11-22 put into Kinesis now: the arrival rule must reach back to them.
        "--latePartitions=1000000"));
    FlinkStreamingJob job = FlinkStreamingJob.start(args);
    String jobId = rest.runningJob(Duration.ofMinutes(2), job::check);
    Runnable healthy = () -> {
      job.check();
      rest.assertHealthy(jobId);
    };
    try {
      StreamingOnFlinkTest.awaitArchived(archive, RECORDS + probes, Duration.ofMinutes(4),
          healthy);
      // Checkpoints that complete from now on hold every record's state.
      long completedWithAll = rest.checkpoints(jobId).path("counts").path("completed").asLong();
      awaitViews(store, expected, Duration.ofMinutes(2), healthy);
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      JsonNode checkpoints = rest.checkpoints(jobId);
      while (checkpoints.path("counts").path("completed").asLong() < completedWithAll + 3
          && System.nanoTime() < deadline) {
        healthy.run();
        Thread.sleep(200);
        checkpoints = rest.checkpoints(jobId);
      }
      healthy.run();
      JsonNode latest = checkpoints.path("latest").path("completed");
      System.out.printf("checkpoints: %s; latest: state %d bytes, checkpointed %d bytes%n",
          checkpoints.path("counts"), latest.path("state_size").asLong(),
          latest.path("checkpointed_size").asLong());
      assertTrue("3 checkpoints complete after every record was read: " + checkpoints.path("counts"),
          checkpoints.path("counts").path("completed").asLong() >= completedWithAll + 3);
      // Two more flushes: nothing arrives later that would count something twice.
      Thread.sleep(4_000);
      assertEquals(expected, views(store));
      assertEquals("every record archived exactly once", RECORDS + probes,
          StreamingOnFlinkTest.archivedLines(archive));
      healthy.run();
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; job exceptions " + rest.exceptions(jobId), e);
    } finally {
      rest.cancel(jobId);
      job.await();
    }
  }

  /**
   * A job whose checkpoints fail says so, with the cause, and so does its restart: checkpoints that
   * must complete within 10 ms (Flink's least timeout) all expire, and Flink, tolerating no failed
   * checkpoint, restarts the job. {@link FlinkJobWatch} (the job's own logs its lines at WARN; a
   * second one here collects them) must report both.
   */
  @Test(timeout = 300_000)
  public void failedCheckpointsAndRestartsAreReportedWithTheirCause() throws Exception {
    String stream = KINESIS.newStream(1);
    FlinkStreamingJob.put(KINESIS.client(), stream, List.of(("{\"metric_type\":\"PLAY\","
        + "\"event_time\":" + BASE + ",\"channel_watched\":\"v0\",\"session_id\":\"s0\"}")
        .getBytes(StandardCharsets.UTF_8)));
    int restPort = LocalServer.freePort();
    FlinkRest rest = new FlinkRest(restPort);
    List<String> args = new ArrayList<>(KINESIS.server().kinesisArgs(stream));
    args.addAll(List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=1",
        "--flinkConfDir=" + FlinkRest.writeConf(tmp.newFolder("flink-conf").toPath(), restPort),
        "--jobName=troubled", "--checkpointingInterval=500", "--checkpointTimeoutMillis=10",
        "--fingerprintSecret=test-secret", "--streamId=trouble1",
        "--output=" + tmp.newFolder("store"), "--kinesisInitialPosition=TRIM_HORIZON",
        "--latePartitions=1000000"));
    FlinkStreamingJob job = FlinkStreamingJob.start(args);
    String jobId = rest.runningJob(Duration.ofMinutes(2), job::check);
    List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
    FlinkJobWatch watch = new FlinkJobWatch("http://127.0.0.1:" + restPort, "troubled",
        Duration.ofMillis(500), lines::add);
    try {
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      boolean checkpointSaid = false;
      boolean restartSaid = false;
      while (!(checkpointSaid && restartSaid) && System.nanoTime() < deadline) {
        job.check();
        try {
          watch.poll();
        } catch (java.io.IOException initializing) {
          // the JobManager answers 500 while it initializes
        }
        synchronized (lines) {
          checkpointSaid = lines.stream().anyMatch(l -> l.matches("Flink job troubled: "
              + "checkpoint \\d+ failed after \\d+ ms: Checkpoint expired before completing\\..*"));
          restartSaid = lines.stream().anyMatch(l -> l.matches("Flink job troubled failed at \\S+ "
              + "and restarts from its last completed checkpoint: .*Exceeded checkpoint tolerable "
              + "failure threshold\\. The latest checkpoint failed due to Checkpoint expired "
              + "before completing.*"));
        }
        Thread.sleep(500);
      }
      lines.forEach(System.out::println);
      assertTrue("a failed checkpoint and a restart reported with their causes: " + lines,
          checkpointSaid && restartSaid);
    } finally {
      rest.cancel(jobId);
      job.await();
    }
  }

  /** Waits until the store's {video} rows have the expected views (and ccu), checking the job. */
  private static void awaitViews(Path store, Map<String, Long> expected, Duration timeout,
      Runnable check) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Long> actual = Map.of();
    while (System.nanoTime() < deadline) {
      check.run();
      if (Files.exists(store.resolve("aggregates"))) {
        actual = views(store);
        if (actual.equals(expected)) {
          return;
        }
      }
      Thread.sleep(1_000);
    }
    throw new AssertionError("views per video and minute after " + timeout + ": expected "
        + expected + ", streamed " + actual);
  }

  /** video@minute -> video_view of the {video} rows, checking that ccu equals it (one session each). */
  private static Map<String, Long> views(Path store) throws Exception {
    Map<String, Long> out = new TreeMap<>();
    try (ParquetAggregateStore s = new ParquetAggregateStore(store.toString())) {
      for (MinuteAggregate r : s.readAll(new AggregateSelection("default", DimensionSet.VIDEO,
          Set.of(), Set.of(), BASE, BASE + 24 * 3_600_000L, true))) {
        out.put(r.video + "@" + r.minute, r.count(VIDEO_VIEW_FIELD));
        assertEquals("ccu of " + r.video + "@" + r.minute, r.count(VIDEO_VIEW_FIELD), r.ccu);
      }
    }
    return out;
  }
}
