package org.livemetrics.pipelines.backfill;

import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.BadRecordRouter;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;
import org.livemetrics.pipelines.io.ReadArchive;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.transforms.metrics.ComputeLiveMetrics;
import org.livemetrics.transforms.metrics.MinuteAccumulator;
import org.livemetrics.transforms.metrics.MinuteKey;
import org.livemetrics.transforms.metrics.PartialRows;
import org.livemetrics.transforms.parse.ParsePlayerEvents;
import org.livemetrics.transforms.qos.ComputeQosMetrics;
import org.livemetrics.transforms.qos.QosAccumulator;
import org.livemetrics.transforms.qos.QosKey;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.transforms.sessions.BundleSessions;
import org.livemetrics.transforms.sessions.ComputeSessionOutcomes;
import org.livemetrics.transforms.sessions.SessionId;
import org.livemetrics.transforms.sessions.SessionOutcome;

/**
 * The backfill's player events, from archive objects to audience and QoS rows, with each object
 * read, decoded and folded into both families' partial rows in one step ({@code ReadDecodeFold}),
 * so that no event crosses an operator boundary: on Flink's batch translation every ParDo
 * boundary encodes and decodes each element, which cost a quarter of the backfill's CPU when
 * events crossed two of them. Only the partial rows (a few per key and worker) are shuffled to
 * each family's combine. The QoS session metrics' partial sessions are folded per bundle too
 * ({@link BundleSessions}: each session's events sorted and cut at STOP and gaps) before the
 * session windows merge them.
 *
 * <p>It composes the same pieces the streaming job applies one after another: {@link
 * ReadArchive#reading()}, {@link ParsePlayerEvents#decoding()}, and each family's {@code
 * contributions()} and {@code combine()}. A metric is defined once, in its family.
 */
public final class ComputeArchiveMetrics extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<MinuteAggregate> AGGREGATES = new TupleTag<MinuteAggregate>() {};
  public static final TupleTag<QosMinute> QOS = new TupleTag<QosMinute>() {};

  private static final TupleTag<KV<MinuteKey, MinuteAccumulator>> LIVE_PARTIALS =
      new TupleTag<KV<MinuteKey, MinuteAccumulator>>() {};
  private static final TupleTag<KV<QosKey, QosAccumulator>> QOS_PARTIALS =
      new TupleTag<KV<QosKey, QosAccumulator>>() {};
  private static final TupleTag<KV<SessionId, SessionOutcome>> SESSION_PARTIALS =
      new TupleTag<KV<SessionId, SessionOutcome>>() {};

  private final ReadArchive read;
  private final ParsePlayerEvents parse;
  private final ComputeLiveMetrics live;
  private final ComputeQosMetrics qos;

  private ComputeArchiveMetrics(ReadArchive read, ParsePlayerEvents parse, ComputeLiveMetrics live,
      ComputeQosMetrics qos) {
    this.read = read;
    this.parse = parse;
    this.live = live;
    this.qos = qos;
  }

  /**
   * {@code read} and {@code parse} must share their bad-record handler: the dead letters of both
   * leave the fused step through one output.
   */
  public static ComputeArchiveMetrics of(ReadArchive read, ParsePlayerEvents parse,
      ComputeLiveMetrics live, ComputeQosMetrics qos) {
    if (read.errorHandler() != parse.errorHandler()) {
      throw new IllegalArgumentException(
          "ReadArchive and ParsePlayerEvents must be given the same bad-record handler");
    }
    return new ComputeArchiveMetrics(read, parse, live, qos);
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    ComputeLiveMetrics.MinuteContributions liveContributions = live.contributions();
    ComputeQosMetrics.QosContributions qosContributions = qos.contributions();
    ComputeSessionOutcomes sessions = qos.sessionOutcomes();
    PCollectionTuple folded = begin
        .apply("Objects", read.objects())
        .apply("ReadDecodeFold",
            ParDo.of(new ReadDecodeFoldFn(read.reading(), parse.decoding(), liveContributions,
                    qosContributions, sessions))
                .withOutputTags(LIVE_PARTIALS, TupleTagList.of(QOS_PARTIALS)
                    .and(SESSION_PARTIALS).and(BadRecordRouter.BAD_RECORD_TAG)));
    parse.errorHandler().addErrorCollection(folded.get(BadRecordRouter.BAD_RECORD_TAG)
        .setCoder(BadRecord.getCoder(begin.getPipeline())));
    PCollection<MinuteAggregate> aggregates = folded.get(LIVE_PARTIALS)
        .setCoder(liveContributions.partialCoder())
        .apply("ComputeLiveMetrics", live.combine());
    PCollection<KV<QosKey, QosAccumulator>> qosPartials = folded.get(QOS_PARTIALS)
        .setCoder(qosContributions.partialCoder());
    PCollection<KV<SessionId, SessionOutcome>> sessionPartials = folded.get(SESSION_PARTIALS)
        .setCoder(ComputeSessionOutcomes.partialCoder());
    if (sessions != null) {
      qosPartials = PCollectionList.of(qosPartials)
          .and(sessionPartials.apply("ComputeSessionOutcomes", sessions.combine()))
          .apply("WithSessionOutcomes", Flatten.pCollections());
    }
    PCollection<QosMinute> qosRows = qosPartials.apply("ComputeQosMetrics", qos.combine());
    return PCollectionTuple.of(AGGREGATES, aggregates).and(QOS, qosRows);
  }

  static final class ReadDecodeFoldFn extends DoFn<FileIO.ReadableFile, KV<MinuteKey, MinuteAccumulator>> {
    private final ReadArchive.ObjectReading reading;
    private final ParsePlayerEvents.Decoding decoding;
    private final ComputeLiveMetrics.MinuteContributions live;
    private final ComputeQosMetrics.QosContributions qos;
    private final @Nullable ComputeSessionOutcomes sessions;

    private transient PartialRows<MinuteKey, MinuteAccumulator> liveRows;
    private transient PartialRows<QosKey, QosAccumulator> qosRows;
    private transient @Nullable BundleSessions sessionRows;
    private transient Instant lastTimestamp;
    private transient BoundedWindow lastWindow;

    ReadDecodeFoldFn(ReadArchive.ObjectReading reading, ParsePlayerEvents.Decoding decoding,
        ComputeLiveMetrics.MinuteContributions live, ComputeQosMetrics.QosContributions qos,
        @Nullable ComputeSessionOutcomes sessions) {
      this.reading = reading;
      this.decoding = decoding;
      this.live = live;
      this.qos = qos;
      this.sessions = sessions;
    }

    @Setup
    public void setup() {
      decoding.setup();
    }

    @StartBundle
    public void startBundle() {
      liveRows = live.newRows();
      qosRows = qos.newRows();
      sessionRows = sessions == null ? null : sessions.newBundle();
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, @Timestamp Instant timestamp,
        BoundedWindow window, MultiOutputReceiver out) throws Exception {
      lastTimestamp = timestamp;
      lastWindow = window;
      reading.read(file, block -> {
        decoding.decode(block, e -> {
          live.add(e, timestamp, window, liveRows);
          qos.add(e, timestamp, window, qosRows);
          if (sessionRows != null) {
            sessionRows.add(e);
          }
        }, out);
        if (sessionRows != null && sessionRows.size() >= BundleSessions.MAX_BUFFERED_EVENTS) {
          sessionRows.emit(out.get(SESSION_PARTIALS)::output);
        }
        // Checked per block (at most 2 MiB of records), so memory stays bounded within an object.
        live.emitIfFull(liveRows, window, timestamp, out.get(LIVE_PARTIALS));
        qos.emitIfFull(qosRows, window, timestamp, out.get(QOS_PARTIALS));
      }, out);
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      live.emitAll(liveRows, (row, t, w) -> c.output(LIVE_PARTIALS, row, t, w));
      qos.emitAll(qosRows, (row, t, w) -> c.output(QOS_PARTIALS, row, t, w));
      if (sessionRows != null && sessionRows.size() > 0) {
        sessionRows.emit(s -> c.output(SESSION_PARTIALS, s, lastTimestamp, lastWindow));
      }
      liveRows = null;
      qosRows = null;
      sessionRows = null;
    }
  }
}
