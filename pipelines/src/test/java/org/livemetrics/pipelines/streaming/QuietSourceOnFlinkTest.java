package org.livemetrics.pipelines.streaming;

import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.ClassRule;
import org.livemetrics.testdata.services.LocalServer;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.pipelines.kinesis.LocalStreams;

/**
 * The last records of a quiet source reach a final file on Flink without more data coming.
 *
 * <p>Beam's Flink runner, by default, holds what an operator emits while finishing a bundle in a
 * checkpoint until that operator's next element or watermark. WriteFiles hands its written files
 * to finalization from a finishBundle, so when a source went quiet with its watermark held (here a
 * one-hour idle threshold), its last file stayed temporary: seen on the broadcast archive, whose
 * source is quiet most of the time. {@link StreamingPipeline#finishBundlesBeforeCheckpoints} ends
 * bundles before the barrier instead. Bundles here end at checkpoints only ({@code
 * --maxBundleTimeMills} of ten minutes), so without it this fails every time, not now and then.
 */
public class QuietSourceOnFlinkTest {
  @ClassRule public static final LocalStreams KINESIS = new LocalStreams();
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test(timeout = 300_000)
  public void aQuietSourcesLastRecordsAreArchivedWithoutMoreData() throws Exception {
    String stream = KINESIS.newStream(1);
    List<byte[]> records = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      records.add(("{\"metric_type\":\"PLAY\",\"event_time\":1763787600000,"
          + "\"channel_watched\":\"v0\",\"session_id\":\"q" + i + "\"}")
          .getBytes(StandardCharsets.UTF_8));
    }
    FlinkStreamingJob.put(KINESIS.client(), stream, records);

    int restPort = LocalServer.freePort();
    FlinkRest rest = new FlinkRest(restPort);
    Path archive = tmp.newFolder("archive").toPath();
    List<String> args = new ArrayList<>(KINESIS.server().kinesisArgs(stream));
    args.addAll(List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=1",
        "--flinkConfDir=" + FlinkRest.writeConf(tmp.newFolder("flink-conf").toPath(), restPort),
        "--checkpointingInterval=1000", "--maxBundleTimeMills=600000",
        "--fingerprintSecret=test-secret", "--flushInterval=PT1S",
        "--kinesisInitialPosition=TRIM_HORIZON", "--watermarkIdleThreshold=PT1H",
        // Events of 2025 put into Kinesis now: their arrival is now, far past any late partition.
        "--latePartitions=1000000",
        "--streamId=quiet1", "--archive=" + archive, "--output=" + tmp.newFolder("store"),
        "--deadLetters=" + tmp.newFolder("dead-letters")));
    FlinkStreamingJob job = FlinkStreamingJob.start(args);
    String jobId = rest.runningJob(Duration.ofMinutes(2), job::check);
    try {
      StreamingOnFlinkTest.awaitArchived(archive, records.size(), Duration.ofSeconds(90), job);
      assertEquals(records.size(), StreamingOnFlinkTest.archivedLines(archive));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; job exceptions " + rest.exceptions(jobId), e);
    } finally {
      rest.cancel(jobId);
      job.await();
    }
  }
}
