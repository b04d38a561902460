package org.livemetrics.transforms.streaming;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.BadRecordRouter;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.schemas.PlayerEventCoder;
import org.livemetrics.transforms.observability.PipelineMetrics;
import org.livemetrics.transforms.parse.DeadLetterReason;
import org.livemetrics.transforms.parse.ParsePlayerEvents;
import org.livemetrics.transforms.parse.RejectedRecord;

/**
 * Sends events that arrive after their minute has closed (the watermark passed the minute's end
 * plus the allowed lateness) to the dead letters with reason {@code too_late}, instead of letting
 * the windowed combine drop them silently. Input: events in the global window, timestamped at
 * their {@code event_time}.
 *
 * <p>Beam lets no DoFn read the watermark, but an event-time timer that fires at {@code t} proves
 * the watermark reached {@code t}. Per key (a few shards of the sessions, for parallelism) one
 * timer walks minute by minute behind the watermark: when the timer for minute {@code m} fires
 * ({@code m}'s end + lateness), {@code m} is closed and every later event of {@code m} or earlier
 * is too late. While the timer is pending it holds this transform's output watermark at the close
 * of the oldest open minute, so an event let through here is never behind the watermark of the
 * downstream windows by more than their allowed lateness: it cannot be dropped there.
 *
 * <p>What one key's walk proves holds for every key of the step (they share its input watermark),
 * so keys also judge by what the others proved in the same instance of the step (on Flink, one
 * subtask; never across subtasks or across a restart): a key's first event is judged exactly
 * as long as any walk runs. The walk stops on a key that has seen no event for {@link #IDLE_STOP}
 * past its newest minute (otherwise a finished input, whose watermark jumps to infinity, would walk
 * forever) and restarts at its next event. The one case judged leniently: an event of a key with no
 * state arriving right after a restore from a checkpoint, before any timer has fired again; it is
 * then too late for the windows only if it is also more than maxSummarySpan past the lateness.
 */
public final class RouteTooLateEvents
    extends PTransform<PCollection<PlayerEvent>, PCollection<PlayerEvent>> {
  static final int SHARDS = 8;
  static final Duration IDLE_STOP = Duration.standardMinutes(10);
  private static final long MINUTE = 60_000L;
  private static final TupleTag<PlayerEvent> IN_TIME = new TupleTag<PlayerEvent>() {};
  private static final TupleTag<PlayerEvent> TOO_LATE = new TupleTag<PlayerEvent>() {};

  private final Duration allowedLateness;
  private final ErrorHandler<BadRecord, ?> errorHandler;
  private final BadRecordRouter router;

  private RouteTooLateEvents(
      Duration allowedLateness, ErrorHandler<BadRecord, ?> errorHandler, BadRecordRouter router) {
    if (allowedLateness.isShorterThan(Duration.ZERO)) {
      throw new IllegalArgumentException("allowed lateness must not be negative: " + allowedLateness);
    }
    this.allowedLateness = allowedLateness;
    this.errorHandler = errorHandler;
    this.router = router;
  }

  /** Without a handler a too-late event fails the pipeline (Beam's convention); set one. */
  public static RouteTooLateEvents withAllowedLateness(Duration allowedLateness) {
    return new RouteTooLateEvents(
        allowedLateness, new ErrorHandler.DefaultErrorHandler<>(), BadRecordRouter.THROWING_ROUTER);
  }

  public RouteTooLateEvents withBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler) {
    return new RouteTooLateEvents(allowedLateness, handler, BadRecordRouter.RECORDING_ROUTER);
  }

  @Override
  public PCollection<PlayerEvent> expand(PCollection<PlayerEvent> events) {
    if (!(events.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
      throw new IllegalArgumentException("RouteTooLateEvents expects events in the global window");
    }
    PCollectionTuple out =
        events
            .apply("ShardBySession",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptor.of(PlayerEvent.class)))
                    .via(e -> KV.of(Math.floorMod(e.sessionId.hashCode(), SHARDS), e)))
            .setCoder(KvCoder.of(VarIntCoder.of(), PlayerEventCoder.of()))
            .apply("CloseMinutes",
                ParDo.of(new CloseMinutesFn(allowedLateness.getMillis()))
                    .withOutputTags(IN_TIME, TupleTagList.of(TOO_LATE)));
    // Bad records are made in a step of their own: the stateful step runs a bundle per timer
    // firing, and the DirectRunner re-translates a step's output coders (BadRecord's schema coder
    // is costly) for every bundle.
    PCollectionTuple deadLetters = out.get(TOO_LATE)
        .setCoder(events.getCoder())
        .apply("ToDeadLetters", ParDo.of(new ToDeadLetterFn(allowedLateness.getMillis(), router))
            .withOutputTags(new TupleTag<Void>() {}, TupleTagList.of(BadRecordRouter.BAD_RECORD_TAG)));
    errorHandler.addErrorCollection(deadLetters.get(BadRecordRouter.BAD_RECORD_TAG)
        .setCoder(BadRecord.getCoder(events.getPipeline())));
    return out.get(IN_TIME).setCoder(events.getCoder());
  }

  static final class CloseMinutesFn extends DoFn<KV<Integer, PlayerEvent>, PlayerEvent> {
    /**
     * The oldest minute not yet proven closed on any key of this instance. On Flink an instance is
     * one subtask of the step, whose keys all share its input watermark, so a key with no walk of
     * its own yet is judged by the others' instead of letting a too-late event through unnoticed.
     * Never shared beyond the instance: another subtask's input watermark may be ahead of this
     * one's (an event still queued here would be judged by a watermark that has not reached it),
     * and after a restart from a checkpoint the new instances must not judge replayed events by
     * what the failed attempt proved.
     */
    private transient long provenOpenFrom;

    private final long latenessMs;
    private final Gauge watermarkLag = PipelineMetrics.watermarkLag();

    /** The oldest minute not yet proven closed (events before it are too late). */
    @StateId("openFrom")
    private final StateSpec<ValueState<Long>> openFromSpec = StateSpecs.value(VarLongCoder.of());

    /** The newest minute seen on this key: the walk stops {@link #IDLE_STOP} after it. */
    @StateId("newest")
    private final StateSpec<ValueState<Long>> newestSpec = StateSpecs.value(VarLongCoder.of());

    /** When the walk's pending timer fires; absent when the walk is stopped. */
    @StateId("next")
    private final StateSpec<ValueState<Long>> nextSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("close")
    private final TimerSpec closeSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    CloseMinutesFn(long latenessMs) {
      this.latenessMs = latenessMs;
    }

    @Setup
    public void setup() {
      provenOpenFrom = Long.MIN_VALUE; // a new instance has proven nothing
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, PlayerEvent> element,
        @StateId("openFrom") ValueState<Long> openFromState,
        @StateId("newest") ValueState<Long> newestState,
        @StateId("next") ValueState<Long> nextState,
        @TimerId("close") Timer close,
        MultiOutputReceiver out)
        throws Exception {
      PlayerEvent e = element.getValue();
      long minute = Math.floorDiv(e.eventTime, MINUTE) * MINUTE;
      Long own = openFromState.read();
      long openFrom = Math.max(own == null ? Long.MIN_VALUE : own, provenOpenFrom);
      if (minute < openFrom) {
        out.get(TOO_LATE).output(e);
        return;
      }
      out.get(IN_TIME).output(e);
      Long newest = newestState.read();
      if (newest == null || minute > newest) {
        newestState.write(minute);
      }
      // The pending timer must be no later than this event's minute's close: it holds the output
      // watermark there, so the minute's window downstream cannot expire before the event reaches it.
      long closeAt = closeOf(minute);
      Long next = nextState.read();
      if (next == null || closeAt < next) {
        close.set(new org.joda.time.Instant(closeAt));
        nextState.write(closeAt);
      }
    }

    /**
     * A minute's last instant plus the lateness: the timer fires once the watermark is past it,
     * exactly when Beam expires the minute's window (maxTimestamp + allowedLateness before the
     * watermark), and until then it holds the output watermark no later than that.
     */
    private long closeOf(long minute) {
      return minute + MINUTE - 1 + latenessMs;
    }

    @OnTimer("close")
    public void onClose(
        OnTimerContext c,
        @StateId("openFrom") ValueState<Long> openFromState,
        @StateId("newest") ValueState<Long> newestState,
        @StateId("next") ValueState<Long> nextState,
        @TimerId("close") Timer close) {
      // The watermark passed this timer: the minute it closes, and all before it, are closed.
      // It is also the only place that learns where the watermark is: at least here, so now
      // minus the timer is an upper bound of the watermark's lag (by at most one step of the
      // walk, a minute).
      watermarkLag.set(Math.max(0, System.currentTimeMillis() - c.fireTimestamp().getMillis())
          / 1000);
      long openFrom = c.fireTimestamp().getMillis() + 1 - latenessMs;
      openFromState.write(openFrom);
      provenOpenFrom = Math.max(provenOpenFrom, openFrom);
      Long newest = newestState.read();
      if (newest != null && openFrom <= newest + IDLE_STOP.getMillis()) {
        long closeAt = closeOf(openFrom);
        close.set(new org.joda.time.Instant(closeAt));
        nextState.write(closeAt);
      } else {
        nextState.clear();
      }
    }
  }

  static final class ToDeadLetterFn extends DoFn<PlayerEvent, Void> {
    private final long latenessMs;
    private final BadRecordRouter router;
    private final Counter tooLate =
        Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE,
            "dead_letter_" + DeadLetterReason.TOO_LATE.code());
    private final Counter tooLateTotal =
        PipelineMetrics.tooLateEvents(PipelineMetrics.Input.PLAYER);

    ToDeadLetterFn(long latenessMs, BadRecordRouter router) {
      this.latenessMs = latenessMs;
      this.router = router;
    }

    @ProcessElement
    public void process(@Element PlayerEvent e, MultiOutputReceiver out) throws Exception {
      long minute = Math.floorDiv(e.eventTime, MINUTE) * MINUTE;
      tooLate.inc();
      tooLateTotal.inc();
      router.route(out, rejected(e), SerializableCoder.of(RejectedRecord.class),
          new IllegalStateException("minute closed"),
          DeadLetterReason.TOO_LATE.describe(String.format(
              "event_time %s is in minute %s, closed when the watermark passed %s "
                  + "(its end plus the allowed lateness of %d s)",
              Instant.ofEpochMilli(e.eventTime), Instant.ofEpochMilli(minute),
              Instant.ofEpochMilli(minute + MINUTE + latenessMs), latenessMs / 1000)));
    }

    private static final com.fasterxml.jackson.core.JsonFactory JSON =
        new com.fasterxml.jackson.core.JsonFactory();

    /** The event as parsed (the raw record is not kept past parsing); no IP or user agent. */
    private static RejectedRecord rejected(PlayerEvent e) throws IOException {
      StringWriter w = new StringWriter();
      try (com.fasterxml.jackson.core.JsonGenerator g = JSON.createGenerator(w)) {
        g.writeStartObject();
        g.writeStringField("metric_type", e.metricType.name());
        g.writeNumberField("event_time", e.eventTime);
        g.writeStringField("account_id", e.account);
        g.writeStringField("channel_watched", e.video);
        g.writeStringField("session_id", e.sessionId);
        if (e.clientPlatform != null) {
          g.writeStringField("client_platform", e.clientPlatform);
        }
        g.writeStringField("country", e.country);
        g.writeStringField("device_type", e.deviceType.apiName());
        if (e.playingTimeMs != null) {
          g.writeNumberField("playing_time_ms", e.playingTimeMs);
        }
        if (e.bufferingTimeMs != null) {
          g.writeNumberField("buffering_time_ms", e.bufferingTimeMs);
        }
        g.writeEndObject();
      }
      return RejectedRecord.ofText("streaming", 0, w.toString());
    }
  }
}
