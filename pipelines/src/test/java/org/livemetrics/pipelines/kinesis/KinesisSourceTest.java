package org.livemetrics.pipelines.kinesis;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisIO;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.livemetrics.pipelines.aws.Http1ClientBuilderFactory;
import org.livemetrics.transforms.parse.RawRecord;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/** {@link ReadPlayerRecordsFromKinesis} on the DirectRunner against a real kinesalite. */
public class KinesisSourceTest {
  @ClassRule public static final LocalStreams KINESIS = new LocalStreams();
  @Rule public final transient TestPipeline p = TestPipeline.create();

  /** Explicit hash keys at the start of each half of the key space: shard 0 and shard 1 of 2. */
  private static final String SHARD_0 = "0";
  private static final String SHARD_1 = BigInteger.TWO.pow(127).toString();

  private static String event(String type, long time, String session) {
    return "{\"metric_type\":\"" + type + "\",\"event_time\":" + time
        + ",\"channel_watched\":\"v1\",\"session_id\":\"" + session + "\"}";
  }

  @Test
  public void everyRecordShapeArrivesWithItsSourceAndArrivalTime() {
    String stream = KINESIS.newStream(2);
    long t = 1_795_323_600_000L; // 2026-11-22T05:00:00Z
    List<String> payloads = List.of(
        event("PLAY", t, "s1"),
        event("IMPRESSION", t + 1_000, "s2") + "\n" + event("PLAY", t + 2_000, "s2") + "\n",
        "[" + event("AD_START", t + 3_000, "s3") + "," + event("STOP", t + 4_000, "s3") + "]",
        "not json at all");
    List<PutRecordsRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < payloads.size(); i++) {
      entries.add(PutRecordsRequestEntry.builder()
          .data(SdkBytes.fromUtf8String(payloads.get(i)))
          .partitionKey("k" + i)
          .explicitHashKey(i % 2 == 0 ? SHARD_0 : SHARD_1)
          .build());
    }
    List<PutRecordsResultEntry> put =
        KINESIS.client().putRecords(r -> r.streamName(stream).records(entries)).records();
    assertEquals(2, put.stream().map(PutRecordsResultEntry::shardId).distinct().count());

    // The reference: what Kinesis stored, read with the SDK.
    List<String> expected = StreamContents.read(KINESIS.client(), stream).stream()
        .map(s -> "kinesis://" + stream + "/" + s.shardId() + "/" + s.record().sequenceNumber()
            + " @" + s.record().approximateArrivalTimestamp().toEpochMilli() + " " + s.data())
        .toList();
    assertEquals(payloads.size(), expected.size());

    PCollection<RawRecord> records = p.apply(
        ReadPlayerRecordsFromKinesis.from(KINESIS.options(stream,
                "--kinesisInitialPosition=TRIM_HORIZON"))
            .withMaxNumRecords(payloads.size()));
    PAssert.that(records.apply(ParDo.of(new Describe()))).containsInAnyOrder(expected);
    PipelineResult result = p.run();
    result.waitUntilFinish();

    assertEquals(4, counter(result, "kinesis_records_read"));
    long bytes = payloads.stream().mapToLong(s -> s.getBytes(StandardCharsets.UTF_8).length).sum();
    assertEquals(bytes, counter(result, "kinesis_bytes_read"));
  }

  @Test
  public void aggregatesWrittenByKinesisIOAreReadRecordByRecord() {
    String stream = KINESIS.newStream(1);
    KinesisSourceOptions options = KINESIS.options(stream,
        "--kinesisInitialPosition=TRIM_HORIZON", "--runner=DirectRunner",
        // kinesalite does not speak HTTP/2, KinesisIO.write's async client's default.
        "--clientBuilderFactory=" + Http1ClientBuilderFactory.class.getName());
    long t = 1_795_323_600_000L;
    List<String> events = List.of(event("PLAY", t, "s1"), event("AD_START", t + 1, "s1"),
        event("STOP", t + 2, "s1"));
    Pipeline write = Pipeline.create(options);
    // One bundle: KinesisIO.write aggregates within a bundle.
    write.apply(Create.of(String.join("\n", events)))
        .apply(FlatMapElements.into(TypeDescriptors.strings()).via(s -> List.of(s.split("\n"))))
        .apply(KinesisIO.<String>write()
            .withStreamName(stream)
            .withPartitioner(e -> "s1")
            .withSerializer(e -> e.getBytes(StandardCharsets.UTF_8))
            .withClientConfiguration(KinesisClients.configuration(options)));
    write.run().waitUntilFinish();

    // KinesisIO.write aggregates (KPL format) by default: one Kinesis record holds all three.
    List<StreamContents.Stored> stored = StreamContents.read(KINESIS.client(), stream);
    assertEquals(1, stored.size());
    String base = "kinesis://" + stream + "/" + stored.get(0).shardId() + "/"
        + stored.get(0).record().sequenceNumber();
    long arrival = stored.get(0).record().approximateArrivalTimestamp().toEpochMilli();

    PCollection<RawRecord> records =
        p.apply(ReadPlayerRecordsFromKinesis.from(options).withMaxNumRecords(3));
    PAssert.that(records.apply(ParDo.of(new Describe()))).containsInAnyOrder(
        base + " @" + arrival + " " + events.get(0),
        base + "/1 @" + arrival + " " + events.get(1),
        base + "/2 @" + arrival + " " + events.get(2));
    p.run().waitUntilFinish();
  }

  /** "source @arrivalMillis payload", with the element's timestamp. */
  static final class Describe extends DoFn<RawRecord, String> {
    @ProcessElement
    public void process(@Element RawRecord r, @Timestamp Instant ts, OutputReceiver<String> out) {
      out.output(r.source() + " @" + ts.getMillis() + " "
          + new String(r.payload(), StandardCharsets.UTF_8));
    }
  }

  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named("livemetrics", name)).build()).getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }

  @Test
  public void aMissingStreamFailsAtConstructionNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.apply(
        ReadPlayerRecordsFromKinesis.from(KINESIS.options("no-such-stream"))));
    assertThat(e.getMessage(), containsString("'no-such-stream'"));
    assertThat(e.getMessage(), containsString(KINESIS.server().endpoint()));
    assertThat(e.getMessage(), containsString("does not exist"));
    p.enableAbandonedNodeEnforcement(false);
  }

  @Test
  public void anUnreachableEndpointFailsAtConstructionNamingIt() {
    String dead = "http://127.0.0.1:9"; // discard port: nothing listens there
    KinesisSourceOptions options = KINESIS.options("events");
    options.setKinesisEndpoint(dead);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> p.apply(ReadPlayerRecordsFromKinesis.from(options)));
    assertThat(e.getMessage(), containsString("cannot reach Kinesis stream 'events' at " + dead));
    p.enableAbandonedNodeEnforcement(false);
  }

  @Test
  public void optionsAreCheckedWithTheFixInTheMessage() {
    IllegalArgumentException noStream = assertThrows(IllegalArgumentException.class,
        () -> ReadPlayerRecordsFromKinesis.from(KINESIS.options("")));
    assertThat(noStream.getMessage(), containsString("--kinesisStream is required"));
    IllegalArgumentException position = assertThrows(IllegalArgumentException.class,
        () -> ReadPlayerRecordsFromKinesis.from(KINESIS.options("s",
            "--kinesisInitialPosition=yesterday")));
    assertThat(position.getMessage(), containsString("--kinesisInitialPosition"));
    IllegalArgumentException idle = assertThrows(IllegalArgumentException.class,
        () -> ReadPlayerRecordsFromKinesis.from(KINESIS.options("s",
            "--watermarkIdleThreshold=PT0S")));
    assertThat(idle.getMessage(), containsString("--watermarkIdleThreshold must be positive"));
    KinesisSourceOptions keyOnly = KINESIS.options("s");
    keyOnly.setKinesisSecretKey("");
    IllegalArgumentException keys = assertThrows(IllegalArgumentException.class,
        () -> ReadPlayerRecordsFromKinesis.from(keyOnly));
    assertThat(keys.getMessage(), containsString("go together"));
    p.enableAbandonedNodeEnforcement(false);
  }
}
