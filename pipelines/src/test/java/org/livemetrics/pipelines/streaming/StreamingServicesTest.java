package org.livemetrics.pipelines.streaming;

import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_SKETCH_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_SKETCH_FIELD;
import static org.livemetrics.schemas.family.AudienceFamily.ALIVE_SS_AD_START_FIELD;
import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_IMPRESSION_FIELD;
import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_SECONDS_VIEWED_MS_FIELD;
import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_VIEW_FIELD;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.pipelines.io.ElasticsearchSetup;
import org.livemetrics.pipelines.io.ElasticsearchSinkOptions;
import org.livemetrics.pipelines.io.LocalArchive;
import org.livemetrics.pipelines.kinesis.LocalStreams;
import org.livemetrics.pipelines.BroadcastExpectations;
import org.livemetrics.query.AggregateSelection;
import org.livemetrics.query.BroadcastSelection;
import org.livemetrics.query.QosSelection;
import org.livemetrics.query.StreamSelection;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.LatencySketch;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.StreamSession;
import org.livemetrics.testdata.BroadcastSample;
import org.livemetrics.query.AggregateStore;
import org.livemetrics.query.ElasticsearchAggregateStore;
import org.livemetrics.query.ParquetAggregateStore;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.elasticsearch.ElasticsearchConnection;
import org.livemetrics.testdata.ReferenceMetrics;
import org.livemetrics.testdata.SampleArchive;
import org.livemetrics.testdata.services.LocalServer;
import org.livemetrics.testdata.services.LocalElasticsearch;
import org.livemetrics.testdata.services.LocalS3;
import org.livemetrics.testdata.services.ServerRule;

/**
 * The streaming pipeline against the three real local servers, on the embedded FlinkRunner: the
 * sample's records put into Kinesis (kinesalite) come out in Elasticsearch, in the Parquet store
 * on S3 (s3rver) and in the raw archive on S3. Elasticsearch's rows equal {@link ReferenceMetrics}
 * (an independent implementation of the definitions), the Parquet store equals Elasticsearch, the
 * archive holds every record; and a second job replaying the same stream from its start leaves
 * Elasticsearch as it was.
 */
public class StreamingServicesTest {
  private static final long FROM = java.time.Instant.parse("2026-11-22T05:00:00Z").toEpochMilli();
  private static final long TO = java.time.Instant.parse("2026-11-22T07:00:00Z").toEpochMilli();

  @ClassRule public static final LocalStreams KINESIS = new LocalStreams();
  @ClassRule public static final ServerRule<LocalS3> S3 = ServerRule.of(new LocalS3("livemetrics"));
  @ClassRule
  public static final ServerRule<LocalElasticsearch> ES = ServerRule.of(new LocalElasticsearch());
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test(timeout = 900_000)
  public void kinesisInElasticsearchParquetAndArchiveOutAndAReplayChangesNothing() throws Exception {
    String stream = KINESIS.newStream(2);
    List<byte[]> records = new ArrayList<>();
    LocalArchive.forEachRecord(SampleArchive.locate(), (r, object, line) -> records.add(r));
    FlinkStreamingJob.put(KINESIS.client(), stream, records);
    int probes = FlinkStreamingJob.putWatermarkProbes(KINESIS.client(), stream, TO + 30 * 60_000L);
    // The broadcast sample on its own stream, then in every shard an event the metrics ignore
    // (another detail type) half an hour after the sample, to move that shard's watermark on.
    // Both end in a lone last flush of a quiet source: the case that once stayed temporary on
    // Flink (StreamingPipeline#finishBundlesBeforeCheckpoints).
    String broadcastStream = KINESIS.newStream(2);
    List<byte[]> broadcast = new ArrayList<>();
    BroadcastSample.deliveries().forEach(d -> broadcast.add(d.json().getBytes(StandardCharsets.UTF_8)));
    FlinkStreamingJob.put(KINESIS.client(), broadcastStream, broadcast);
    int broadcastProbes = FlinkStreamingJob.putIntoEveryShard(KINESIS.client(), broadcastStream,
        shardId -> "{\"version\":\"0\",\"id\":\"probe-" + shardId + "\","
            + "\"detail-type\":\"IVS Limit Breach\",\"source\":\"aws.ivs\","
            + "\"time\":\"2026-11-22T07:30:00Z\",\"resources\":[\"" + BroadcastSample.X
            + "\"],\"detail\":{}}");

    String es = ES.server().endpoint();
    int restPort = LocalServer.freePort();
    FlinkRest rest = new FlinkRest(restPort);
    List<String> common = new ArrayList<>(KINESIS.server().kinesisArgs(stream));
    common.addAll(S3.server().beamArgs());
    common.addAll(List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2",
        "--checkpointingInterval=2000", "--fingerprintSecret=test-secret",
        "--flinkConfDir=" + FlinkRest.writeConf(tmp.newFolder("flink-conf").toPath(), restPort),
        "--elasticsearchUrl=" + es, "--flushInterval=PT2S", "--earlyFiringSeconds=1",
        "--kinesisInitialPosition=TRIM_HORIZON",
        // Days-old events, up to 12 minutes out of order: a watermark by event time only.
        "--maxWatermarkDelay=PT15M", "--watermarkIdleThreshold=PT1H",
        // ... put into Kinesis now: their arrival is now, so the arrival rule must reach back.
        "--latePartitions=1000000",
        "--broadcastKinesisStream=" + broadcastStream, "--maxStreamDuration=PT2H",
        // X's Stream Start is delivered 31 minutes after its time, behind its End.
        "--allowedLateness=PT1H"));
    List<String> first = new ArrayList<>(common);
    Path deadLetters = tmp.newFolder("dead-letters").toPath();
    first.addAll(List.of("--streamId=svc1", "--output=s3://livemetrics/store",
        "--archive=s3://livemetrics/archive", "--deadLetters=" + deadLetters,
        "--broadcastArchive=s3://livemetrics/broadcast-archive"));

    SortedMap<String, String> expected = reference();
    FlinkStreamingJob job = FlinkStreamingJob.start(first);
    String jobId = rest.runningJob(Duration.ofMinutes(2), job::check);
    try (AggregateStore fromEs = ElasticsearchAggregateStore.at(es)) {
      awaitValues(fromEs, expected, job, Duration.ofMinutes(6));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; dead letters "
          + StreamingOnFlinkTest.deadLetterReasons(deadLetters)
          + ", job exceptions " + rest.exceptions(jobId) + "\n" + ES.server().diagnose() + "\n"
          + S3.server().diagnose() + "\n" + KINESIS.server().diagnose(), e);
    }
    // The Parquet store on S3 holds the same rows, sketches included, once its last flush is in.
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.fromArgs(
        S3.server().beamArgs().toArray(String[]::new)).as(S3Options.class));
    List<String> inEs;
    try (AggregateStore fromEs = ElasticsearchAggregateStore.at(es);
        AggregateStore parquet = new ParquetAggregateStore("s3://livemetrics/store")) {
      inEs = described(fromEs);
      awaitRows(parquet, inEs, job, Duration.ofMinutes(2));
    }
    assertEquals("every record in the raw archive", records.size() + probes,
        awaitArchived("s3://livemetrics/archive/**", records.size() + probes, job));
    assertEquals("every broadcast record in its raw archive", broadcast.size() + broadcastProbes,
        awaitArchived("s3://livemetrics/broadcast-archive/**", broadcast.size() + broadcastProbes,
            job));
    try (AggregateStore fromEs = ElasticsearchAggregateStore.at(es);
        AggregateStore parquet = new ParquetAggregateStore("s3://livemetrics/store")) {
      awaitBroadcast(fromEs, job, Duration.ofMinutes(3));
      // The stream rows are a handful, written to Parquet in one last flush.
      awaitBroadcast(parquet, job, Duration.ofMinutes(1));
      // QoS: Elasticsearch and Parquet hold the same rows, and the platforms of each minute add
      // up to the sessions the reference counts viewing in it.
      List<String> qosInEs = awaitQos(fromEs, job, Duration.ofMinutes(2));
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (!qos(parquet).equals(qosInEs) && System.nanoTime() < deadline) {
        Thread.sleep(1_000);
      }
      assertEquals(qosInEs, qos(parquet));
    }
    long documents = documents(es);
    rest.cancel(jobId);
    job.await();

    // A new job reading the whole stream again: each row is rewritten with the same value.
    List<String> replay = new ArrayList<>(common);
    replay.addAll(List.of("--streamId=svc2", "--deadLetters=" + tmp.newFolder("replay")));
    FlinkStreamingJob again = FlinkStreamingJob.start(replay);
    String againId = rest.runningJob(Duration.ofMinutes(2), again::check);
    try (AggregateStore fromEs = ElasticsearchAggregateStore.at(es)) {
      Thread.sleep(10_000);
      awaitRows(fromEs, inEs, again, Duration.ofMinutes(6));
    }
    assertEquals("no document added by the replay", documents, documents(es));
    rest.cancel(againId);
    again.await();
  }

  /** Polls until the store's broadcast minutes and streams are the hand-worked ones. */
  private static void awaitBroadcast(AggregateStore store, FlinkStreamingJob job, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      job.check();
      try {
        List<BroadcastMinute> minutes = new ArrayList<>();
        for (BroadcastMinute.Scope scope : BroadcastMinute.Scope.values()) {
          store.readBroadcast(new BroadcastSelection(scope, Set.of(), Set.of(), FROM, TO - 60_000),
              minutes::add);
        }
        BroadcastExpectations.checkMinutes(minutes);
        List<StreamSession> streams = new ArrayList<>();
        store.readStreams(new StreamSelection(BroadcastSample.ACCOUNT, Set.of(), Set.of(), FROM, TO),
            streams::add);
        BroadcastExpectations.checkStreams(streams, null);
        return;
      } catch (AssertionError | IOException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(store + ": broadcast rows after " + timeout, e);
        }
        Thread.sleep(1_000);
      }
    }
  }

  /** Polls until the platform rows of each minute add up to the reference's sessions. */
  private static List<String> awaitQos(AggregateStore store, FlinkStreamingJob job, Duration timeout)
      throws Exception {
    ReferenceMetrics.Result r = ReferenceMetrics.withDefaults().compute(SampleArchive.locate());
    SortedMap<Long, Long> want = new TreeMap<>();
    r.rows().forEach((k, row) -> {
      if (k.dimensionSet().equals(ReferenceMetrics.VIDEO) && k.minuteStartMs() >= FROM
          && k.minuteStartMs() < TO && row.ccu() > 0) {
        want.merge(k.minuteStartMs(), row.ccu(), Long::sum);
      }
    });
    long deadline = System.nanoTime() + timeout.toNanos();
    SortedMap<Long, Long> got = new TreeMap<>();
    while (System.nanoTime() < deadline) {
      job.check();
      got = new TreeMap<>();
      try {
        SortedMap<Long, Long> sessions = got;
        store.readQos(new QosSelection(ReferenceMetrics.DEFAULT_ACCOUNT,
            QosDimensionSet.CLIENT_PLATFORM, Set.of(), Set.of(), FROM, TO - 60_000, false),
            q -> sessions.merge(q.minute, q.concurrentSessions, Long::sum));
      } catch (IOException noIndexYet) {
        // the first QoS document creates the index
      }
      if (got.equals(want)) {
        return qos(store);
      }
      Thread.sleep(1_000);
    }
    assertEquals(store + ": QoS sessions per minute against the reference", want, got);
    throw new AssertionError("unreachable");
  }

  /** Every QoS row of the range, described with what its sketches answer. */
  private static List<String> qos(AggregateStore store) throws IOException {
    List<String> out = new ArrayList<>();
    for (QosDimensionSet set : QosDimensionSet.values()) {
      store.readQos(new QosSelection(ReferenceMetrics.DEFAULT_ACCOUNT, set, Set.of(), Set.of(),
          FROM, TO - 60_000, true), q -> out.add(q + " startup="
              + LatencySketch.heapify(q.sketch(STARTUP_SKETCH_FIELD)).getN() + " latency="
              + LatencySketch.heapify(q.sketch(LIVE_LATENCY_SKETCH_FIELD)).getN()));
    }
    out.sort(null);
    return out;
  }

  /** The reference's rows of the sample, minutes in [05:00, 07:00): key → six values. */
  private static SortedMap<String, String> reference() throws IOException {
    ReferenceMetrics.Result r = ReferenceMetrics.withDefaults().compute(SampleArchive.locate());
    SortedMap<String, String> want = new TreeMap<>();
    for (Map.Entry<ReferenceMetrics.RowKey, ReferenceMetrics.Row> e : r.rows().entrySet()) {
      ReferenceMetrics.RowKey k = e.getKey();
      if (k.minuteStartMs() >= FROM && k.minuteStartMs() < TO) {
        ReferenceMetrics.Row v = e.getValue();
        want.put(k.account() + "/" + k.dimensionSet() + "/" + k.video() + "/" + k.secondary() + "@"
                + k.minuteStartMs(),
            v.videoImpression() + " " + v.videoView() + " " + v.aliveSsAdStart() + " "
                + v.videoSecondsViewedMs() + " " + v.ccu() + " " + v.fingerprintCount());
      }
    }
    return want;
  }

  private static SortedMap<String, String> values(AggregateStore store) throws IOException {
    SortedMap<String, String> got = new TreeMap<>();
    for (MinuteAggregate r : rows(store, false)) {
      got.put(r.account + "/" + r.dimensionSet.id() + "/" + r.video + "/"
              + (r.secondaryValue() == null ? "" : r.secondaryValue()) + "@" + r.minute,
          r.count(VIDEO_IMPRESSION_FIELD) + " " + r.count(VIDEO_VIEW_FIELD) + " "
              + r.count(ALIVE_SS_AD_START_FIELD) + " "
              + r.count(VIDEO_SECONDS_VIEWED_MS_FIELD) + " " + r.ccu + " " + r.fingerprintCount);
    }
    return got;
  }

  private static List<MinuteAggregate> rows(AggregateStore store, boolean sketches)
      throws IOException {
    List<MinuteAggregate> out = new ArrayList<>();
    for (DimensionSet set : DimensionSet.values()) {
      out.addAll(store.readAll(new AggregateSelection(ReferenceMetrics.DEFAULT_ACCOUNT, set,
          Set.of(), Set.of(), FROM, TO - 60_000, sketches)));
    }
    return out;
  }

  private static List<String> described(AggregateStore store) throws IOException {
    List<String> out = new ArrayList<>();
    for (MinuteAggregate r : rows(store, true)) {
      out.add(r + " sketches=" + java.util.Arrays.hashCode(r.sessionSketch) + "/"
          + java.util.Arrays.hashCode(r.fingerprintSketch));
    }
    out.sort(null);
    return out;
  }

  private static void awaitValues(AggregateStore store, SortedMap<String, String> expected,
      FlinkStreamingJob job, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    SortedMap<String, String> got = new TreeMap<>();
    while (System.nanoTime() < deadline) {
      job.check();
      try {
        got = values(store);
      } catch (IOException noAliasYet) {
        // the first document creates the index and its alias
      }
      if (got.equals(expected)) {
        return;
      }
      Thread.sleep(1_000);
    }
    assertEquals("Elasticsearch's rows against the reference after " + timeout, expected, got);
  }

  private static void awaitRows(AggregateStore store, List<String> expected, FlinkStreamingJob job,
      Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> got = List.of();
    while (System.nanoTime() < deadline) {
      job.check();
      got = described(store);
      if (got.equals(expected)) {
        return;
      }
      Thread.sleep(1_000);
    }
    throw new AssertionError(store + " after " + timeout + ": "
        + StreamingOnFlinkTest.difference(expected, got));
  }

  /**
   * The lines archived under {@code glob} once they reach {@code expected} or a minute has passed:
   * the archive's flushes (every --flushInterval, then a file finalization) may trail the rows.
   */
  private static long awaitArchived(String glob, long expected, FlinkStreamingJob job)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    long n = 0;
    while (System.nanoTime() < deadline) {
      job.check();
      n = archivedLinesSoFar(glob);
      if (n >= expected) {
        break;
      }
      Thread.sleep(1_000);
    }
    assertTrue("archive files found under " + glob, n > 0);
    return n;
  }

  private static long archivedLinesSoFar(String glob) throws IOException {
    long n = 0;
    MatchResult match = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
    for (MatchResult.Metadata m : match.metadata()) {
      if (!m.resourceId().toString().endsWith(".gz")) {
        continue;
      }
      try (InputStream in = new GZIPInputStream(Channels.newInputStream(FileSystems.open(m.resourceId())))) {
        n += new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().count();
      }
    }
    return n;
  }

  /** Documents behind the alias, after a refresh. */
  private static long documents(String es) throws IOException {
    ElasticsearchSetup.from(PipelineOptionsFactory.fromArgs("--elasticsearchUrl=" + es)
        .as(ElasticsearchSinkOptions.class)).refresh();
    return ElasticsearchConnection.parse(es).get("/livemetrics-aggregates/_count").path("count").asLong();
  }
}
