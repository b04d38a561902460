package org.livemetrics.transforms.broadcast;

import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.BadRecordRouter;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.livemetrics.schemas.BroadcastEvent;
import org.livemetrics.schemas.BroadcastEventType;
import org.livemetrics.transforms.observability.PipelineMetrics;
import org.livemetrics.transforms.parse.DeadLetterReason;
import org.livemetrics.transforms.parse.ParsePlayerEvents;
import org.livemetrics.transforms.parse.RawRecord;
import org.livemetrics.transforms.parse.RecordRejectedException;
import org.livemetrics.transforms.parse.RejectedRecord;

/**
 * Raw records of Amazon IVS events as EventBridge delivers them (one JSON object per record, or
 * newline-delimited / concatenated objects) to {@link BroadcastEvent}s; the contract is {@link
 * BroadcastEventDecoder}'s.
 *
 * <p>Malformed events become Beam {@link BadRecord}s whose description starts with the {@link
 * DeadLetterReason} code ({@code malformed_json}, {@code not_an_object}, {@code missing_field},
 * {@code invalid_field}), routed to the {@link ErrorHandler} given with {@link
 * #withBadRecordErrorHandler}; without one a bad record fails the pipeline (Beam's convention).
 * Events of other sources, detail types or event names are counted and dropped.
 *
 * <p>Metrics (namespace {@code livemetrics}): {@code broadcast_events_parsed}, {@code
 * broadcast_events_<TYPE>}, {@code broadcast_ignored_source}, {@code broadcast_ignored_detail_type},
 * {@code broadcast_ignored_event_name}, {@code broadcast_dead_letter_<reason>}.
 */
public final class ParseBroadcastEvents
    extends PTransform<PCollection<RawRecord>, PCollection<BroadcastEvent>> {
  private static final TupleTag<BroadcastEvent> EVENTS = new TupleTag<BroadcastEvent>() {};

  private final ErrorHandler<BadRecord, ?> errorHandler;
  private final BadRecordRouter router;

  private ParseBroadcastEvents(ErrorHandler<BadRecord, ?> errorHandler, BadRecordRouter router) {
    this.errorHandler = errorHandler;
    this.router = router;
  }

  public static ParseBroadcastEvents create() {
    return new ParseBroadcastEvents(
        new ErrorHandler.DefaultErrorHandler<>(), BadRecordRouter.THROWING_ROUTER);
  }

  /** Sends bad records to {@code handler} instead of failing. */
  public ParseBroadcastEvents withBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler) {
    return new ParseBroadcastEvents(handler, org.livemetrics.transforms.parse.DeadLetterRouter.INSTANCE);
  }

  @Override
  public PCollection<BroadcastEvent> expand(PCollection<RawRecord> input) {
    PCollectionTuple out = input.apply("Decode", ParDo.of(new DecodeFn(router))
        .withOutputTags(EVENTS, TupleTagList.of(BadRecordRouter.BAD_RECORD_TAG)));
    errorHandler.addErrorCollection(
        out.get(BadRecordRouter.BAD_RECORD_TAG).setCoder(BadRecord.getCoder(input.getPipeline())));
    return out.get(EVENTS).setCoder(BroadcastEvent.Coder.of());
  }

  private static final class DecodeFn extends DoFn<RawRecord, BroadcastEvent> {
    private final BadRecordRouter router;
    private final Counter parsed =
        Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, "broadcast_events_parsed");
    private final Counter[] byType = new Counter[BroadcastEventType.values().length];
    private final Counter[] ignored = new Counter[BroadcastEventDecoder.Ignored.values().length];
    private final Counter[] byReason = new Counter[DeadLetterReason.values().length];
    private final Counter[] eventsTotal = new Counter[BroadcastEventType.values().length];
    private final Counter ignoredTotal = PipelineMetrics.broadcastEvents("ignored");

    private transient BroadcastEventDecoder decoder;

    DecodeFn(BadRecordRouter router) {
      this.router = router;
      for (BroadcastEventType t : BroadcastEventType.values()) {
        byType[t.ordinal()] =
            Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, "broadcast_events_" + t.name());
        eventsTotal[t.ordinal()] =
            PipelineMetrics.broadcastEvents(t.name().toLowerCase(java.util.Locale.ROOT));
      }
      for (BroadcastEventDecoder.Ignored i : BroadcastEventDecoder.Ignored.values()) {
        ignored[i.ordinal()] = Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE,
            "broadcast_ignored_" + i.name().toLowerCase(java.util.Locale.ROOT));
      }
      for (DeadLetterReason r : DeadLetterReason.values()) {
        byReason[r.ordinal()] =
            Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, "broadcast_dead_letter_" + r.code());
      }
    }

    @Setup
    public void setup() {
      decoder = new BroadcastEventDecoder();
    }

    @ProcessElement
    public void process(@Element RawRecord raw, MultiOutputReceiver out) throws Exception {
      decoder.decode(raw, new BroadcastEventDecoder.Output() {
        @Override
        public void event(BroadcastEvent e) {
          parsed.inc();
          byType[e.type().ordinal()].inc();
          eventsTotal[e.type().ordinal()].inc();
          out.get(EVENTS).output(e);
        }

        @Override
        public void rejected(RejectedRecord record, RecordRejectedException why) throws Exception {
          byReason[why.reason().ordinal()].inc();
          router.route(out, record, SerializableCoder.of(RejectedRecord.class), why,
              why.getMessage());
        }

        @Override
        public void ignored(BroadcastEventDecoder.Ignored why) {
          ignored[why.ordinal()].inc();
          ignoredTotal.inc();
        }
      });
    }
  }
}
