package org.livemetrics.pipelines.streaming;

import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_IMPRESSION_FIELD;
import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_VIEW_FIELD;
import static org.junit.Assert.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.pipelines.kinesis.LocalStreams;
import org.livemetrics.query.AggregateSelection;
import org.livemetrics.query.AggregateStore;
import org.livemetrics.query.ElasticsearchAggregateStore;
import org.livemetrics.query.ParquetAggregateStore;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.testdata.HostileCorpus;
import org.livemetrics.testdata.services.LocalElasticsearch;
import org.livemetrics.testdata.services.LocalS3;
import org.livemetrics.testdata.services.LocalServer;
import org.livemetrics.testdata.services.ServerRule;

/**
 * The hostile corpus put into a real Kinesis (kinesalite) and read by the streaming job on the
 * embedded FlinkRunner, writing to a real Elasticsearch and to Parquet on a real S3 (s3rver): the
 * job never fails or restarts, the good events around each hostile record reach both sinks
 * exactly, and each hostile record is one dead letter with its reason.
 */
public class HostileStreamOnFlinkTest {
  @ClassRule public static final LocalStreams KINESIS = new LocalStreams();
  @ClassRule public static final ServerRule<LocalS3> S3 = ServerRule.of(new LocalS3("livemetrics"));
  @ClassRule
  public static final ServerRule<LocalElasticsearch> ES = ServerRule.of(new LocalElasticsearch());
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test(timeout = 600_000)
  public void theLiveJobStaysUpCountsTheGoodAndDeadLettersTheBad() throws Exception {
    long now = System.currentTimeMillis();
    long hour = Math.floorDiv(now, 3_600_000L) * 3_600_000L;
    // Every good event a moment ago; in the current hour unless the hour has just begun.
    long goodTime = Math.max(hour, now - 30_000L);
    String stream = KINESIS.newStream(1);
    List<byte[]> records = HostileCorpus.liveStreamRecords(hour, goodTime);
    FlinkStreamingJob.put(KINESIS.client(), stream, records);
    HostileCorpus.Expected expected = HostileCorpus.expectedOfStream();

    int restPort = LocalServer.freePort();
    FlinkRest rest = new FlinkRest(restPort);
    Path deadLetters = tmp.newFolder("dead-letters").toPath();
    List<String> args = new ArrayList<>(KINESIS.server().kinesisArgs(stream));
    args.addAll(S3.server().beamArgs());
    args.addAll(List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=1",
        "--checkpointingInterval=2000", "--fingerprintSecret=test-secret",
        "--flinkConfDir=" + FlinkRest.writeConf(tmp.newFolder("flink-conf").toPath(), restPort),
        "--elasticsearchUrl=" + ES.server().endpoint(), "--flushInterval=PT2S",
        "--earlyFiringSeconds=1", "--kinesisInitialPosition=TRIM_HORIZON",
        "--streamId=hostile1", "--output=s3://livemetrics/store",
        "--archive=s3://livemetrics/archive", "--deadLetters=" + deadLetters));
    FlinkStreamingJob job = FlinkStreamingJob.start(args);
    String jobId = rest.runningJob(Duration.ofMinutes(2), job::check);
    try {
      AggregateSelection good = new AggregateSelection(HostileCorpus.ACCOUNT, DimensionSet.VIDEO,
          Set.of(), Set.of(), hour - 3_600_000L, hour + 2 * 3_600_000L, false);
      long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
      String last = "";
      while (System.nanoTime() < deadline) {
        job.check();
        Map<String, Long> reasons = StreamingOnFlinkTest.deadLetterReasons(deadLetters);
        String counts = "";
        try (AggregateStore es = ElasticsearchAggregateStore.at(ES.server().endpoint())) {
          counts = counts(es, good);
        } catch (java.io.IOException noIndexYet) {
          // the first document creates the index
        }
        last = "dead letters " + reasons + ", Elasticsearch " + counts;
        if (reasons.equals(expected.deadLettersByReason())
            && counts.equals(expected.goodImpressions() + " impressions, " + expected.goodViews()
                + " views")) {
          break;
        }
        Thread.sleep(1000);
      }
      assertEquals("dead letters " + expected.deadLettersByReason() + ", Elasticsearch "
          + expected.goodImpressions() + " impressions, " + expected.goodViews() + " views", last);
      // The Parquet store on S3 holds the same good rows once its flush is in.
      FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.fromArgs(
          S3.server().beamArgs().toArray(String[]::new)).as(S3Options.class));
      String parquet = "";
      while (System.nanoTime() < deadline + Duration.ofMinutes(1).toNanos()) {
        try (AggregateStore store = new ParquetAggregateStore("s3://livemetrics/store")) {
          parquet = counts(store, good);
        } catch (java.io.IOException notYet) {
          // no committed file yet
        }
        if (parquet.equals(expected.goodImpressions() + " impressions, " + expected.goodViews() + " views")) {
          break;
        }
        Thread.sleep(1000);
      }
      assertEquals(expected.goodImpressions() + " impressions, " + expected.goodViews() + " views", parquet);
      assertEquals("no failure, no restart", "[]", rest.exceptions(jobId));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; job exceptions " + rest.exceptions(jobId), e);
    } finally {
      rest.cancel(jobId);
      job.await();
    }
  }

  private static String counts(AggregateStore store, AggregateSelection selection)
      throws java.io.IOException {
    long impressions = 0;
    long views = 0;
    for (MinuteAggregate r : store.readAll(selection)) {
      impressions += r.count(VIDEO_IMPRESSION_FIELD);
      views += r.count(VIDEO_VIEW_FIELD);
    }
    return impressions + " impressions, " + views + " views";
  }
}
