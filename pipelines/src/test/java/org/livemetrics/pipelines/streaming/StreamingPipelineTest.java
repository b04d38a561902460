package org.livemetrics.pipelines.streaming;

import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_SKETCH_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_SKETCH_FIELD;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestPipeline;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.pipelines.backfill.Backfill;
import org.livemetrics.pipelines.backfill.BackfillOptions;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.livemetrics.pipelines.BroadcastExpectations;
import org.livemetrics.pipelines.StoreContents;
import org.livemetrics.query.AggregateSelection;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.schemas.QosMinuteAvro;
import org.livemetrics.schemas.StreamSession;
import org.livemetrics.testdata.BroadcastSample;
import org.livemetrics.transforms.parse.RawRecord;
import org.livemetrics.query.ParquetAggregateStore;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.testdata.ReferenceMetrics;
import org.livemetrics.testdata.SampleArchive;
import org.livemetrics.transforms.parse.ParsePlayerEvents;

/**
 * The streaming pipeline end to end on the DirectRunner, fed the sample archive as a stream: its
 * Parquet aggregates, merged as the store reads them, equal row for row (values and sketches) what
 * the backfill computes from the raw archive the stream itself wrote; and every record reached
 * that archive and every bad one the dead letters.
 */
public class StreamingPipelineTest {
  private static final long FROM = java.time.Instant.parse("2026-11-22T05:00:00Z").toEpochMilli();
  private static final long TO = java.time.Instant.parse("2026-11-22T07:00:00Z").toEpochMilli();

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient TestPipeline p = TestPipeline.fromOptions(options());

  private static StreamingPipelineOptions options() {
    return PipelineOptionsFactory.fromArgs("--fingerprintSecret=test-secret", "--streamId=t1")
        .as(StreamingPipelineOptions.class);
  }

  @Test
  public void streamedAggregatesEqualTheBackfillOfTheArchiveTheStreamWrote() throws Exception {
    Path store = tmp.newFolder("store").toPath();
    Path archive = tmp.newFolder("archive").toPath();
    Path backfillStore = tmp.newFolder("backfill").toPath();
    StreamingPipelineOptions o = p.getOptions().as(StreamingPipelineOptions.class);
    o.setOutput(store.toString());
    o.setArchive(archive.toString());

    List<SampleStream.Item> items = SampleStream.items(SampleArchive.locate());
    StreamingPipeline.attach(
        p.apply("SampleStream", SampleStream.testStream(items, Duration.standardSeconds(61))), o);
    PipelineResult result = p.run();
    result.waitUntilFinish();

    assertEquals("nothing is too late under a perfect watermark", 0, counter(result, "dead_letter_too_late"));
    long parsed = counter(result, "events_parsed");
    assertEquals(items.size(), counter(result, "raw_records_archived"));

    String[] args = {"--archive=" + archive, "--output=" + backfillStore, "--from=2026-11-22T05",
        "--to=2026-11-22T07", "--fingerprintSecret=test-secret", "--runner=FlinkRunner", "--flinkMaster=[local]",
        "--parallelism=2"};
    Backfill.Result backfill = Backfill.run(
        PipelineOptionsFactory.fromArgs(args).as(BackfillOptions.class));
    // The backfill reads one late partition (07) beyond the range: every event of the stream.
    assertEquals(parsed, backfill.counter("events_parsed"));
    long deadLetters = backfill.counters().entrySet().stream()
        .filter(e -> e.getKey().startsWith("dead_letter_")
            && !e.getKey().equals("dead_letter_outside_range"))
        .mapToLong(java.util.Map.Entry::getValue).sum();
    assertTrue("the sample has bad records", deadLetters > 0);
    assertEquals(deadLetters, deadLetterLines(store));

    try (ParquetAggregateStore streamed = new ParquetAggregateStore(store.toString());
        ParquetAggregateStore batch = new ParquetAggregateStore(backfillStore.toString())) {
      int compared = 0;
      for (DimensionSet set : DimensionSet.values()) {
        AggregateSelection all = new AggregateSelection(ReferenceMetrics.DEFAULT_ACCOUNT, set,
            Set.of(), Set.of(), FROM, TO - 60_000, true);
        List<String> expected = describedAggregates(batch.readAll(all));
        List<String> actual = describedAggregates(streamed.readAll(all));
        assertTrue(set + " has rows", expected.size() > 100);
        assertEquals(set.id(), expected, actual);
        compared += expected.size();
      }
      assertTrue(compared > 1000);
    }

    // The QoS rows too: the streamed store's latest versions equal the backfill's rows.
    List<String> streamedQos = qos(store);
    assertTrue("QoS rows: " + streamedQos.size(), streamedQos.size() > 100);
    List<String> batchQos = qos(backfillStore);
    assertTrue(differences(batchQos, streamedQos), batchQos.equals(streamedQos));
  }

  /** The rows only one side has, a few of each, for a readable failure. */
  private static String differences(List<String> expected, List<String> actual) {
    List<String> missing = new ArrayList<>(expected);
    missing.removeAll(actual);
    List<String> extra = new ArrayList<>(actual);
    extra.removeAll(expected);
    return expected.size() + " rows expected, " + actual.size() + " streamed; missing "
        + missing.size() + " " + missing.subList(0, Math.min(3, missing.size())) + "; extra "
        + extra.size() + " " + extra.subList(0, Math.min(3, extra.size()));
  }

  private static String sketched(byte[] sketch) {
    org.apache.datasketches.kll.KllDoublesSketch k =
        org.livemetrics.schemas.LatencySketch.heapify(sketch);
    if (k.isEmpty()) {
      return "empty";
    }
    return k.getN() + " " + k.getMinItem() + ".." + k.getMaxItem() + " p50=" + k.getQuantile(0.5)
        + " p95=" + k.getQuantile(0.95);
  }

  private static List<String> qos(Path store) throws IOException {
    List<String> out = new ArrayList<>();
    for (QosMinute q : StoreContents.current(store, "qos", QosMinuteAvro::fromRecord,
        QosMinuteAvro::rowKey)) {
      if (q.minute >= FROM && q.minute < TO) {
        // KLL sketches hold the same values in an order that depends on the order they came in
        // (and compact at random past k), so compare what they answer, not their bytes.
        out.add(q + " startup=" + sketched(q.sketch(STARTUP_SKETCH_FIELD)) + " latency="
            + sketched(q.sketch(LIVE_LATENCY_SKETCH_FIELD)));
      }
    }
    out.sort(null);
    return out;
  }

  /**
   * The broadcast sample as a stream (delivery order: duplicated, out of order, one end never
   * sent) under a perfect watermark: the same minutes and streams as the values worked out by
   * hand, and as the backfill of the broadcast archive the stream wrote.
   */
  @Test
  public void streamedBroadcastMetricsEqualTheBackfillOfTheirArchive() throws Exception {
    Path store = tmp.newFolder("store").toPath();
    Path archive = tmp.newFolder("broadcast-archive").toPath();
    Path backfillStore = tmp.newFolder("backfill").toPath();
    Path emptyPlayerArchive = tmp.newFolder("player-archive").toPath();
    StreamingPipelineOptions o = p.getOptions().as(StreamingPipelineOptions.class);
    o.setOutput(store.toString());
    o.setBroadcastArchive(archive.toString());
    o.setMaxStreamDuration("PT2H");

    List<BroadcastSample.Delivery> deliveries = BroadcastSample.deliveries();
    TestStream.Builder<RawRecord> stream = TestStream.create(RawRecord.Coder.of());
    long watermark = Long.MIN_VALUE;
    for (int i = 0; i < deliveries.size(); i++) {
      // Perfect watermark: the earliest event time still to come (X's Start arrives half an hour
      // after its time, so the watermark waits for it).
      long w = Long.MAX_VALUE;
      for (BroadcastSample.Delivery later : deliveries.subList(i, deliveries.size())) {
        w = Math.min(w, eventTime(later));
      }
      if (w != Long.MAX_VALUE && w - 1 > watermark) {
        stream = stream.advanceWatermarkTo(new Instant(w - 1));
        watermark = w - 1;
      }
      BroadcastSample.Delivery d = deliveries.get(i);
      stream = stream.addElements(TimestampedValue.of(new RawRecord("test://broadcast/" + i, 1,
              d.json().getBytes(StandardCharsets.UTF_8)), new Instant(d.deliveredAt())))
          .advanceProcessingTime(Duration.standardSeconds(61));
    }
    StreamingPipeline.attach(
        p.apply("NoPlayerEvents", Create.empty(RawRecord.Coder.of())),
        p.apply("BroadcastStream", stream.advanceWatermarkToInfinity()), o);
    p.run().waitUntilFinish();

    BroadcastExpectations.checkMinutes(BroadcastExpectations.minutes(store));
    // After the input the watermark reaches the end of time: the open stream runs to its cap.
    BroadcastExpectations.checkStreams(BroadcastExpectations.streams(store),
        BroadcastSample.at("08:30:00"));

    // No player events on purpose: the empty player hours are asked for (--allowEmptyRange).
    String[] args = {"--archive=" + emptyPlayerArchive, "--broadcastArchive=" + archive,
        "--allowEmptyRange=true",
        "--output=" + backfillStore, "--from=2026-11-22T05", "--to=2026-11-22T07",
        "--maxStreamDuration=PT2H", "--fingerprintSecret=test-secret", "--runner=FlinkRunner", "--flinkMaster=[local]",
        "--parallelism=2"};
    Backfill.run(PipelineOptionsFactory.fromArgs(args).as(BackfillOptions.class));
    assertEquals(described(BroadcastExpectations.minutes(backfillStore)),
        described(BroadcastExpectations.minutes(store)));
    List<StreamSession> streamed = BroadcastExpectations.streams(store);
    List<StreamSession> batch = BroadcastExpectations.streams(backfillStore);
    BroadcastExpectations.checkStreams(batch, BroadcastExpectations.TO);
    // The ended streams agree field for field (versions aside); the open one only as of when.
    assertEquals(ended(batch), ended(streamed));
  }

  private static long eventTime(BroadcastSample.Delivery d) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"time\":\"([^\"]+)\"").matcher(d.json());
    return m.find() ? java.time.Instant.parse(m.group(1)).toEpochMilli() : Long.MAX_VALUE;
  }

  private static <T> List<String> described(List<T> rows) {
    List<String> out = new ArrayList<>();
    rows.forEach(r -> out.add(r.toString()));
    out.sort(null);
    return out;
  }

  private static List<String> ended(List<StreamSession> streams) {
    return described(streams.stream().filter(s -> s.outcome() != StreamSession.Outcome.OPEN)
        .map(s -> s.withVersion(0)).toList());
  }

  private static List<String> describedAggregates(List<MinuteAggregate> rows) {
    List<String> out = new ArrayList<>();
    for (MinuteAggregate r : rows) {
      out.add(r + " sketches=" + java.util.Arrays.hashCode(r.sessionSketch) + "/"
          + java.util.Arrays.hashCode(r.fingerprintSketch));
    }
    out.sort(null);
    return out;
  }

  private static long deadLetterLines(Path store) throws IOException {
    Path dir = store.resolve("dead-letter");
    if (!Files.exists(dir)) {
      return 0;
    }
    long n = 0;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".jsonl")).toList()) {
        n += Files.readAllLines(f).size();
      }
    }
    return n;
  }

  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(ParsePlayerEvents.METRICS_NAMESPACE, name))
        .build()).getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }
}
