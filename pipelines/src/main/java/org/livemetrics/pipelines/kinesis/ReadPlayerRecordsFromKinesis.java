package org.livemetrics.pipelines.kinesis;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.io.aws2.common.ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.common.ClientConfiguration;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisIO;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisRecord;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.livemetrics.schemas.UtcTime;
import org.livemetrics.transforms.DurationOption;
import org.livemetrics.transforms.observability.PipelineMetrics;
import org.livemetrics.transforms.parse.ParsePlayerEvents;
import org.livemetrics.transforms.parse.RawRecord;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.kinesis.common.InitialPositionInStream;

/**
 * The player-event stream (or, {@link #broadcastFrom}, the broadcast-event stream) as {@link
 * RawRecord}s: Beam's {@code KinesisIO.read()} (polling
 * GetRecords; kinesalite has no enhanced fan-out) with an event-time watermark.
 *
 * <ul>
 *   <li>One RawRecord per Kinesis record (KPL aggregates are split by KinesisIO), its data as the
 *       payload and {@code kinesis://<stream>/<shardId>/<sequenceNumber>} as its source, with
 *       {@code /<subSequenceNumber>} added for the second and later records of an aggregate.
 *   <li>Element timestamp: the record's approximate arrival time, as KinesisIO's reader assigns it;
 *       the raw archive is partitioned by it, and parsing moves events to their event_time.
 *   <li>Watermark: {@link EventTimeWatermark}, per shard from the records' event_time, not held
 *       back by a shard idle for {@code --watermarkIdleThreshold}.
 * </ul>
 *
 * <p>Counters (namespace {@code livemetrics}): {@code kinesis_records_read}, {@code
 * kinesis_bytes_read}.
 *
 * <p>At construction it checks that the stream exists and is reachable, so a wrong name or
 * endpoint fails the launch with a message that says which, instead of a reader retrying forever
 * on a worker; {@link #withoutValidation()} skips that for launchers without access to the stream.
 */
public final class ReadPlayerRecordsFromKinesis extends PTransform<PBegin, PCollection<RawRecord>> {
  private final String stream;
  private final ClientConfiguration client;
  private final StartPosition start;
  private final Duration idleThreshold;
  private final Duration maxWatermarkDelay;
  private final @Nullable Long maxNumRecords;
  private final boolean validate;
  private final boolean dropRereads;
  private final RecordEventTimes times;

  private ReadPlayerRecordsFromKinesis(String stream, ClientConfiguration client,
      StartPosition start, Duration idleThreshold, Duration maxWatermarkDelay,
      @Nullable Long maxNumRecords, boolean validate, boolean dropRereads,
      RecordEventTimes times) {
    this.stream = stream;
    this.client = client;
    this.start = start;
    this.idleThreshold = idleThreshold;
    this.maxWatermarkDelay = maxWatermarkDelay;
    this.maxNumRecords = maxNumRecords;
    this.validate = validate;
    this.dropRereads = dropRereads;
    this.times = times;
    EventTimeWatermark.policy(idleThreshold, maxWatermarkDelay); // validates both
  }

  /** The stream, position and watermark settings of the options. */
  public static ReadPlayerRecordsFromKinesis from(KinesisSourceOptions options) {
    return of(KinesisClients.stream(options), options, RecordEventTimes.PLAYER);
  }

  /**
   * The broadcast-event stream ({@code --broadcastKinesisStream}: IVS events as EventBridge
   * delivers them), read the same way, its watermark following each event's {@code time}.
   */
  public static ReadPlayerRecordsFromKinesis broadcastFrom(KinesisSourceOptions options) {
    String stream = options.getBroadcastKinesisStream().trim();
    if (stream.isEmpty()) {
      throw new IllegalArgumentException(
          "--broadcastKinesisStream is required to read broadcast events");
    }
    return of(stream, options, RecordEventTimes.BROADCAST);
  }

  private static ReadPlayerRecordsFromKinesis of(
      String stream, KinesisSourceOptions options, RecordEventTimes times) {
    return new ReadPlayerRecordsFromKinesis(
        stream,
        KinesisClients.configuration(options),
        StartPosition.parse(options.getKinesisInitialPosition()),
        joda(DurationOption.parse("watermarkIdleThreshold", options.getWatermarkIdleThreshold())),
        joda(DurationOption.parse("maxWatermarkDelay", options.getMaxWatermarkDelay())),
        null,
        true,
        options.getDropRereadRecords(),
        times);
  }

  /**
   * Stops after {@code n} records, making the read bounded: for tests and benchmarks. Beam reads
   * fewer than 10,000 with one reader over all shards; more are split evenly over up to n / 10,000
   * + 1 readers of disjoint shards, and a reader whose shards hold fewer than its share waits for
   * them forever.
   */
  public ReadPlayerRecordsFromKinesis withMaxNumRecords(long n) {
    if (n <= 0) {
      throw new IllegalArgumentException("maxNumRecords must be positive, was " + n);
    }
    return new ReadPlayerRecordsFromKinesis(
        stream, client, start, idleThreshold, maxWatermarkDelay, n, validate, dropRereads, times);
  }

  /** Skips the check at construction that the stream exists (e.g. no network from the launcher). */
  public ReadPlayerRecordsFromKinesis withoutValidation() {
    return new ReadPlayerRecordsFromKinesis(
        stream, client, start, idleThreshold, maxWatermarkDelay, maxNumRecords, false, dropRereads,
        times);
  }

  @Override
  public PCollection<RawRecord> expand(PBegin begin) {
    AwsOptions aws = begin.getPipeline().getOptions().as(AwsOptions.class);
    if (validate) {
      checkStream(aws);
    }
    KinesisIO.Read read =
        KinesisIO.read()
            .withStreamName(stream)
            .withClientConfiguration(client)
            .withCustomWatermarkPolicy(
                EventTimeWatermark.policy(idleThreshold, maxWatermarkDelay, times));
    read = start.applyTo(read);
    PCollection<KinesisRecord> kinesis;
    PipelineOptions options = begin.getPipeline().getOptions();
    if (maxNumRecords != null) {
      kinesis = begin.apply("ReadKinesis", read.withMaxNumRecords(maxNumRecords));
    } else if (options.getRunner().getSimpleName().startsWith("Flink")) {
      // On Flink, KinesisIO's source with its records handed to the runner in batches
      // (ReadInBatches: Beam's Flink runner has a per-advance cost that took a third of the
      // engine's CPU). A step of another name than the unbatched read's: a savepoint of that one
      // does not restore into it.
      kinesis = begin.apply("ReadKinesisBatches",
          ReadInBatches.from(ReadInBatches.sourceOf(read, options)));
    } else {
      // Elsewhere (the DirectRunner of the tests) record by record. On the DirectRunner, which
      // reads an unbounded source as a splittable DoFn, the batched read emitted no on-time pane
      // in KinesisIdleShardTest: not understood yet, and not needed there.
      kinesis = begin.apply("ReadKinesis", read);
    }
    PCollection<RawRecord> records = kinesis
        .apply("ToRawRecords", ParDo.of(new ToRawRecordFn(times == RecordEventTimes.BROADCAST
            ? PipelineMetrics.Source.KINESIS_BROADCAST : PipelineMetrics.Source.KINESIS_PLAYER)))
        .setCoder(RawRecord.Coder.of());
    if (maxNumRecords != null || !dropRereads) {
      return records;
    }
    // Beam 2.62's FlinkRunner reads every shard a second time after a restore (apache/beam#31313).
    return records.apply("DropRereadRecords", new DropRereadRecords());
  }

  /** DescribeStreamSummary with the pipeline's client setup: a missing stream or dead endpoint fails here. */
  private void checkStream(AwsOptions aws) {
    String where = "Kinesis stream '" + stream + "' at "
        + (client.endpoint() != null ? client.endpoint() : "the AWS endpoint")
        + " (region " + (client.region() != null ? client.region() : aws.getAwsRegion()) + ")";
    try (KinesisClient kinesis =
        ClientBuilderFactory.buildClient(aws, KinesisClient.builder(), client)) {
      String status = kinesis.describeStreamSummary(r -> r.streamName(stream))
          .streamDescriptionSummary().streamStatusAsString();
      if (!"ACTIVE".equals(status) && !"UPDATING".equals(status)) {
        throw new IllegalArgumentException(where + " is " + status + ", not ACTIVE");
      }
    } catch (ResourceNotFoundException e) {
      throw new IllegalArgumentException(where + " does not exist: check --kinesisStream and "
          + "--kinesisRegion, or create it (livemetrics replay --createShards=N)", e);
    } catch (SdkClientException e) {
      throw new IllegalArgumentException("cannot reach " + where + ": " + e.getMessage()
          + " (check --kinesisEndpoint / --kinesisRegion and the network)", e);
    } catch (KinesisException e) {
      throw new IllegalArgumentException("cannot read " + where + ": "
          + e.awsErrorDetails().errorMessage() + " (" + e.awsErrorDetails().errorCode() + ")", e);
    }
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("stream", stream))
        .add(DisplayData.item("initialPosition", start.toString()))
        .add(DisplayData.item("watermarkIdleThreshold", idleThreshold))
        .add(DisplayData.item("maxWatermarkDelay", maxWatermarkDelay))
        .addIfNotNull(DisplayData.item("maxNumRecords", maxNumRecords));
  }

  /** Kinesis records to RawRecords, counted. */
  static final class ToRawRecordFn extends DoFn<KinesisRecord, RawRecord> {
    /** The {@code source} label: the player or the broadcast stream. */
    private final PipelineMetrics.Source source;
    private final Counter records =
        Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, "kinesis_records_read");
    private final Counter bytes =
        Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, "kinesis_bytes_read");
    /** Per shard: a bounded label (a stream has few shards, and they change rarely). */
    private transient Map<String, ShardMetrics> shards;

    private record ShardMetrics(Counter records, Gauge lag) {}

    ToRawRecordFn(PipelineMetrics.Source source) {
      this.source = source;
    }

    @ProcessElement
    public void process(@Element KinesisRecord record, OutputReceiver<RawRecord> out) {
      ByteBuffer data = record.getData();
      byte[] payload = new byte[data.remaining()];
      data.duplicate().get(payload);
      records.inc();
      bytes.inc(payload.length);
      if (shards == null) {
        shards = new HashMap<>();
      }
      ShardMetrics shard = shards.computeIfAbsent(record.getShardId(), id -> new ShardMetrics(
          PipelineMetrics.recordsRead(source, id), PipelineMetrics.sourceLag(source, id)));
      shard.records().inc();
      // Like Kinesis' IteratorAgeMilliseconds: how far behind the stream's head this read is.
      shard.lag().set(Math.max(0, System.currentTimeMillis()
          - record.getApproximateArrivalTimestamp().getMillis()) / 1000);
      // The timestamp stays the one KinesisIO gave the element: the approximate arrival time.
      out.output(new RawRecord(source(record), 1, payload,
          record.getApproximateArrivalTimestamp().getMillis()));
    }

    static String source(KinesisRecord r) {
      String s = "kinesis://" + r.getStreamName() + "/" + r.getShardId() + "/" + r.getSequenceNumber();
      return r.getSubSequenceNumber() > 0 ? s + "/" + r.getSubSequenceNumber() : s;
    }
  }

  private static Duration joda(java.time.Duration d) {
    return Duration.millis(d.toMillis());
  }

  /** Where a shard without a checkpoint starts: LATEST, TRIM_HORIZON or AT_TIMESTAMP. */
  record StartPosition(@Nullable InitialPositionInStream position, @Nullable Instant timestamp)
      implements Serializable {

    static StartPosition parse(String value) {
      String v = value == null ? "" : value.trim();
      switch (v.toUpperCase(Locale.ROOT)) {
        case "LATEST":
          return new StartPosition(InitialPositionInStream.LATEST, null);
        case "TRIM_HORIZON":
          return new StartPosition(InitialPositionInStream.TRIM_HORIZON, null);
        default:
          try {
            return new StartPosition(null, new Instant(UtcTime.parse(v)));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--kinesisInitialPosition: '" + value
                + "' is neither LATEST, TRIM_HORIZON nor a time like 2026-11-22T05:00:00Z");
          }
      }
    }

    KinesisIO.Read applyTo(KinesisIO.Read read) {
      return position != null
          ? read.withInitialPositionInStream(position)
          : read.withInitialTimestampInStream(timestamp);
    }

    @Override
    public String toString() {
      return position != null ? position.name() : "AT_TIMESTAMP " + timestamp;
    }
  }
}
