package org.livemetrics.transforms.broadcast;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
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
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.livemetrics.schemas.BroadcastEvent;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.StreamSession;
import org.livemetrics.transforms.DurationOption;
import org.livemetrics.transforms.metrics.WindowIntoMinutes;
import org.livemetrics.transforms.parse.DeadLetterReason;
import org.livemetrics.transforms.parse.ParsePlayerEvents;
import org.livemetrics.transforms.parse.RejectedRecord;

/**
 * IVS stream events to the broadcast metrics: {@code channel_concurrency} per minute (all channels
 * and per region), starvation per channel per minute, and one row per stream (start, end,
 * duration, how it ended, or open with its running duration). The same transform serves batch and
 * streaming:
 *
 * <pre>
 * AtEventTime → ByChannel → TrackChannels (state + event-time timers per channel ARN)
 *   ├─ minute deltas → [withWindowing] → CombinePerMinute (sum) → BroadcastMinute rows
 *   ├─ stream rows   → StreamSession
 *   └─ too late      → dead letters (too_late)
 * </pre>
 *
 * The per-channel rules are {@link ChannelTimeline}'s, a function of the set of events (so
 * duplicates and order do not matter), driven by {@link TrackChannelsFn}. With bounded input each
 * channel is settled in one step at the end of the input: open streams run to their cap (or to
 * {@link #withHorizon}); a streaming run reaches the same rows as its watermark passes the same
 * point (corrections it made on the way sum to them).
 */
public final class ComputeBroadcastMetrics
    extends PTransform<PCollection<BroadcastEvent>, BroadcastMetrics> {
  public static final java.time.Duration DEFAULT_MAX_STREAM_DURATION = java.time.Duration.ofHours(48);
  public static final java.time.Duration DEFAULT_ALLOWED_LATENESS = java.time.Duration.ofMinutes(10);

  private final long maxStreamMs;
  private final long latenessMs;
  private final @Nullable Long horizon;
  private final @Nullable PTransform<
          PCollection<KV<BroadcastKey, BroadcastDelta>>, PCollection<KV<BroadcastKey, BroadcastDelta>>>
      windowing;
  private final ErrorHandler<BadRecord, ?> errorHandler;
  private final BadRecordRouter router;

  private ComputeBroadcastMetrics(long maxStreamMs, long latenessMs, @Nullable Long horizon,
      @Nullable PTransform<PCollection<KV<BroadcastKey, BroadcastDelta>>,
          PCollection<KV<BroadcastKey, BroadcastDelta>>> windowing,
      ErrorHandler<BadRecord, ?> errorHandler, BadRecordRouter router) {
    if (maxStreamMs <= 0) {
      throw new IllegalArgumentException(
          "--maxStreamDuration must be positive (IVS streams last at most PT48H), was "
              + maxStreamMs + " ms");
    }
    if (latenessMs < 0) {
      throw new IllegalArgumentException("allowed lateness must not be negative: " + latenessMs);
    }
    if (horizon != null && horizon % ChannelTimeline.MINUTE != 0) {
      throw new IllegalArgumentException("the horizon must be a whole minute: " + horizon);
    }
    this.maxStreamMs = maxStreamMs;
    this.latenessMs = latenessMs;
    this.horizon = horizon;
    this.windowing = windowing;
    this.errorHandler = errorHandler;
    this.router = router;
  }

  /** Streams open at most 48 hours, 10 minutes of lateness, no windowing (batch). */
  public static ComputeBroadcastMetrics create() {
    return new ComputeBroadcastMetrics(DEFAULT_MAX_STREAM_DURATION.toMillis(),
        DEFAULT_ALLOWED_LATENESS.toMillis(), null, null, new ErrorHandler.DefaultErrorHandler<>(),
        BadRecordRouter.THROWING_ROUTER);
  }

  /** {@code --maxStreamDuration} and {@code --allowedLateness}; no windowing (batch). */
  public static ComputeBroadcastMetrics from(BroadcastMetricsOptions options) {
    return create()
        .withMaxStreamDuration(
            DurationOption.parse("maxStreamDuration", options.getMaxStreamDuration()))
        .withAllowedLateness(DurationOption.parse("allowedLateness", options.getAllowedLateness()));
  }

  /**
   * {@link #from} with the streaming windows: early firings every {@code --earlyFiringSeconds}, and
   * windows open for the allowed lateness plus a minute (a correction for a minute is emitted
   * while its event is within the lateness of the channel's frontier, which is a minute boundary).
   */
  public static ComputeBroadcastMetrics streaming(BroadcastMetricsOptions options) {
    ComputeBroadcastMetrics m = from(options);
    if (options.getEarlyFiringSeconds() <= 0) {
      throw new IllegalArgumentException(
          "--earlyFiringSeconds must be positive, was " + options.getEarlyFiringSeconds());
    }
    return m.withWindowing(WindowIntoMinutes.streaming(
        Duration.standardSeconds(options.getEarlyFiringSeconds()),
        Duration.millis(m.latenessMs + ChannelTimeline.MINUTE)));
  }

  /** How long a stream without an end counts as live (IVS: at most 48 hours). */
  public ComputeBroadcastMetrics withMaxStreamDuration(java.time.Duration d) {
    return new ComputeBroadcastMetrics(d.toMillis(), latenessMs, horizon, windowing, errorHandler,
        router);
  }

  /**
   * How far behind a channel's frontier an event may still arrive and correct it; later ones are
   * dead letters ({@code too_late}). EventBridge may deliver hours late: raise it if that matters
   * more than the state kept per channel.
   */
  public ComputeBroadcastMetrics withAllowedLateness(java.time.Duration d) {
    return new ComputeBroadcastMetrics(maxStreamMs, d.toMillis(), horizon, windowing, errorHandler,
        router);
  }

  /**
   * Bounded input only: states everything as of {@code epochMillis} (a whole minute), e.g. the end
   * of a backfill's range: minutes from then on are not emitted and a stream still open then is
   * reported open with its duration up to it. Without it a bounded run settles every channel: open
   * streams run to their cap.
   */
  public ComputeBroadcastMetrics withHorizon(long epochMillis) {
    return new ComputeBroadcastMetrics(maxStreamMs, latenessMs, epochMillis, windowing,
        errorHandler, router);
  }

  /** Windows the minute deltas before they are combined (streaming). */
  public ComputeBroadcastMetrics withWindowing(
      PTransform<PCollection<KV<BroadcastKey, BroadcastDelta>>,
          PCollection<KV<BroadcastKey, BroadcastDelta>>> windowing) {
    return new ComputeBroadcastMetrics(maxStreamMs, latenessMs, horizon, windowing, errorHandler,
        router);
  }

  /** Sends too-late events to {@code handler} instead of failing (Beam's default). */
  public ComputeBroadcastMetrics withBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler) {
    return new ComputeBroadcastMetrics(maxStreamMs, latenessMs, horizon, windowing, handler,
        BadRecordRouter.RECORDING_ROUTER);
  }

  @Override
  public BroadcastMetrics expand(PCollection<BroadcastEvent> events) {
    if (!(events.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
      throw new IllegalArgumentException(
          "ComputeBroadcastMetrics expects events in the global window (it windows its own rows)");
    }
    boolean bounded = events.isBounded() == PCollection.IsBounded.BOUNDED;
    if (horizon != null && !bounded) {
      throw new IllegalArgumentException(
          "withHorizon is for bounded input; a stream is stated as of its watermark");
    }
    PCollectionTuple tracked = events
        .apply("AtEventTime", ParDo.of(new AtEventTimeFn()))
        .setCoder(BroadcastEvent.Coder.of())
        .apply("ByChannel", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(BroadcastEvent.class)))
            .via(e -> KV.of(e.channelArn(), e)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), BroadcastEvent.Coder.of()))
        .apply("TrackChannels", ParDo.of(new TrackChannelsFn(maxStreamMs, latenessMs, bounded, horizon))
            .withOutputTags(TrackChannelsFn.MINUTES,
                TupleTagList.of(TrackChannelsFn.SESSIONS).and(TrackChannelsFn.TOO_LATE)));
    PCollection<KV<BroadcastKey, BroadcastDelta>> deltas = tracked.get(TrackChannelsFn.MINUTES)
        .setCoder(KvCoder.of(BroadcastKey.Coder.of(), BroadcastDelta.Coder.of()));
    if (windowing != null) {
      deltas = deltas.apply("Window", windowing);
    }
    PCollection<BroadcastMinute> minutes = deltas
        .apply("CombinePerMinute", Combine.perKey(new BroadcastDelta.Sum()))
        .setCoder(KvCoder.of(BroadcastKey.Coder.of(), BroadcastDelta.Coder.of()))
        .apply("ToRows", ParDo.of(new ToRowFn()))
        .setCoder(BroadcastMinute.Coder.of());
    PCollection<StreamSession> sessions =
        tracked.get(TrackChannelsFn.SESSIONS).setCoder(StreamSession.Coder.of());
    // Bad records are made outside the stateful step (see RouteTooLateEvents: the DirectRunner
    // re-translates a stateful step's output coders per timer bundle, BadRecord's is costly).
    PCollectionTuple deadLetters = tracked.get(TrackChannelsFn.TOO_LATE)
        .setCoder(BroadcastEvent.Coder.of())
        .apply("ToDeadLetters", ParDo.of(new ToDeadLetterFn(latenessMs, router))
            .withOutputTags(new TupleTag<Void>() {}, TupleTagList.of(BadRecordRouter.BAD_RECORD_TAG)));
    errorHandler.addErrorCollection(deadLetters.get(BadRecordRouter.BAD_RECORD_TAG)
        .setCoder(BadRecord.getCoder(events.getPipeline())));
    return new BroadcastMetrics(events.getPipeline(), minutes, sessions);
  }

  /** Sources stamp records with their arrival; the state machine runs in event time. */
  static final class AtEventTimeFn extends DoFn<BroadcastEvent, BroadcastEvent> {
    @ProcessElement
    public void process(@Element BroadcastEvent e, OutputReceiver<BroadcastEvent> out) {
      out.outputWithTimestamp(e, new org.joda.time.Instant(e.time()));
    }

    /** Events are older than their arrival, by up to EventBridge's delays; the watermark decides. */
    @Override
    @SuppressWarnings("deprecation")
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }
  }

  /** Attaches the key's dimensions to the summed values. */
  static final class ToRowFn extends DoFn<KV<BroadcastKey, BroadcastDelta>, BroadcastMinute> {
    @ProcessElement
    public void process(
        @Element KV<BroadcastKey, BroadcastDelta> kv, OutputReceiver<BroadcastMinute> out) {
      BroadcastKey k = kv.getKey();
      BroadcastDelta v = kv.getValue();
      boolean channel = k.scope() == BroadcastMinute.Scope.CHANNEL;
      out.output(new BroadcastMinute(k.scope(),
          k.scope() == BroadcastMinute.Scope.ALL ? null : k.region(),
          channel ? k.channelArn() : null, channel ? v.channelName() : null, k.minute(),
          v.liveChannels(), v.starvationCount(), v.starvationMs()));
    }
  }

  static final class ToDeadLetterFn extends DoFn<BroadcastEvent, Void> {
    private static final com.fasterxml.jackson.core.JsonFactory JSON =
        new com.fasterxml.jackson.core.JsonFactory();

    private final long latenessMs;
    private final BadRecordRouter router;
    private final Counter tooLate = Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE,
        "broadcast_dead_letter_" + DeadLetterReason.TOO_LATE.code());
    private final Counter tooLateTotal =
        org.livemetrics.transforms.observability.PipelineMetrics.tooLateEvents(
            org.livemetrics.transforms.observability.PipelineMetrics.Input.BROADCAST);

    ToDeadLetterFn(long latenessMs, BadRecordRouter router) {
      this.latenessMs = latenessMs;
      this.router = router;
    }

    @ProcessElement
    public void process(@Element BroadcastEvent e, MultiOutputReceiver out) throws Exception {
      tooLate.inc();
      tooLateTotal.inc();
      router.route(out, rejected(e), SerializableCoder.of(RejectedRecord.class),
          new IllegalStateException("channel state moved on"),
          DeadLetterReason.TOO_LATE.describe(String.format(
              "%s of stream %s at %s arrived more than %d s behind its channel's processed time",
              e.type().eventName(), e.streamId(), Instant.ofEpochMilli(e.time()),
              latenessMs / 1000)));
    }

    /** The event as parsed, in EventBridge's field names. */
    private static RejectedRecord rejected(BroadcastEvent e) throws IOException {
      StringWriter w = new StringWriter();
      try (com.fasterxml.jackson.core.JsonGenerator g = JSON.createGenerator(w)) {
        g.writeStartObject();
        g.writeStringField("id", e.id());
        g.writeStringField("detail-type", e.type().detailType());
        g.writeStringField("account", e.account());
        g.writeStringField("time", Instant.ofEpochMilli(e.time()).toString());
        g.writeStringField("region", e.region());
        g.writeArrayFieldStart("resources");
        g.writeString(e.channelArn());
        g.writeEndArray();
        g.writeObjectFieldStart("detail");
        g.writeStringField("event_name", e.type().eventName());
        if (e.channelName() != null) {
          g.writeStringField("channel_name", e.channelName());
        }
        g.writeStringField("stream_id", e.streamId());
        g.writeEndObject();
        g.writeEndObject();
      }
      return RejectedRecord.ofText("broadcast", 0, w.toString());
    }
  }
}
