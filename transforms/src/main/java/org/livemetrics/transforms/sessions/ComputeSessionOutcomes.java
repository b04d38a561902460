package org.livemetrics.transforms.sessions;

import java.util.HashMap;
import java.util.Map;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.transforms.DurationOption;
import org.livemetrics.transforms.LiveMetricsOptions;
import org.livemetrics.transforms.metrics.MinuteRange;
import org.livemetrics.transforms.parse.ParsePlayerEvents;
import org.livemetrics.transforms.qos.ComputeQosMetrics;
import org.livemetrics.transforms.qos.QosAccumulator;
import org.livemetrics.transforms.qos.QosKey;

/**
 * Player events to the outcome of each viewing session, as partial QoS rows of the minute the
 * session ended: what {@code ComputeQosMetrics} merges into its rows as the session metrics
 * ({@code exits_before_video_start}, {@code playback_failure_percentage}, {@code
 * rebuffer_percentage}; see {@link SessionOutcome} for what each counts).
 *
 * <p>A session is (account, fingerprint, session id), as {@code concurrent_sessions} counts them
 * ({@link SessionId}); it ends at its STOP or after {@code --sessionGap} without events. Beam's
 * session windows find them ({@link StopClosingSessions}: {@code Sessions} plus the STOP), and a
 * {@code Combine.perKey} folds each into a {@link SessionOutcome}: a few flags and times whatever
 * the number of its events.
 *
 * <pre>
 * events ─ FoldPartialSessions (a bundle's events folded per session, {@link BundleSessions}) ─┐
 *                          (the backfill's fused reader makes them itself)
 *   └→ {@link #combine()}: SessionWindows → CombinePerSession → ToQosPartials → BackToGlobalWindow
 *                          → FoldOutcomes (per key within the bundle)
 * </pre>
 *
 * Used unchanged by batch and streaming, which differ only in the session windows' trigger
 * ({@link #inStreaming}). Batch emits each session once. Streaming emits a session once, when the
 * watermark passes its end (its STOP + 1 ms, or its last event + the gap), and then drops its
 * state: a second pane of the same session would count it twice, and Beam refuses a trigger that
 * fires once but keeps the window for allowed lateness (it would drop the late data silently). So
 * an event that arrives after the watermark passed its own time + gap is dropped from the session
 * metrics (Beam's {@code droppedDueToLateness} counter; it still counts in the other QoS fields,
 * whose minutes keep their allowed lateness), and one that arrives after its session was emitted
 * but within its own gap starts a new session. Both need an event to arrive about a gap behind the
 * watermark, which the watermark delay of seconds makes rare.
 *
 * <p>The outcome is stamped with the session's last event, so it lands in its end minute's window
 * of the QoS rows; until the session fires, its window holds the watermark at that event, so the
 * minute's on-time pane waits for the sessions that end in it: up to the gap after the minute
 * (its early panes carry the running values meanwhile). An outcome that comes later still (from
 * late events) is a late firing of the minute, which carries the row's full value (the panes
 * accumulate), so the upsert sinks overwrite the row. The gap must not exceed the rows' allowed
 * lateness.
 */
public final class ComputeSessionOutcomes
    extends PTransform<PCollection<PlayerEvent>, PCollection<KV<QosKey, QosAccumulator>>> {
  public static final java.time.Duration DEFAULT_GAP = java.time.Duration.ofMinutes(3);

  private final long gapMs;
  private final MinuteRange range;
  private final @Nullable Duration allowedLateness;

  private ComputeSessionOutcomes(long gapMs, MinuteRange range,
      @Nullable Duration allowedLateness) {
    if (gapMs <= 0) {
      throw new IllegalArgumentException("--sessionGap must be positive, was " + gapMs + " ms");
    }
    if (allowedLateness != null && gapMs > allowedLateness.getMillis()) {
      throw new IllegalArgumentException("--sessionGap (" + gapMs + " ms) must not exceed the QoS "
          + "rows' allowed lateness (--allowedLateness + --maxSummarySpan, "
          + allowedLateness.getMillis() + " ms): a session's outcome reaches its end minute up to "
          + "the gap late, and a later one would be dropped");
    }
    this.gapMs = gapMs;
    this.range = range;
    this.allowedLateness = allowedLateness;
  }

  public static ComputeSessionOutcomes withGap(java.time.Duration gap) {
    return new ComputeSessionOutcomes(gap.toMillis(), MinuteRange.ALL, null);
  }

  /** The gap from {@code --sessionGap}. */
  public static ComputeSessionOutcomes from(LiveMetricsOptions options) {
    return withGap(DurationOption.parse("sessionGap", options.getSessionGap()));
  }

  /**
   * Counts only sessions that ended in {@code [fromMillis, toMillis)} (what a backfill of that
   * range owns); others are dropped and counted ({@code session_outcomes_outside_range}).
   */
  public ComputeSessionOutcomes withMinuteRange(long fromMillis, long toMillis) {
    return withMinuteRange(MinuteRange.ofMillis(fromMillis, toMillis));
  }

  /** The same, for a range already made (the QoS rows' own). */
  public ComputeSessionOutcomes withMinuteRange(MinuteRange minutes) {
    return new ComputeSessionOutcomes(gapMs, minutes, allowedLateness);
  }

  /**
   * Streaming: each session fires once, at the watermark. {@code rowsAllowedLateness} is that of
   * the QoS rows the outcomes go to; the gap must not exceed it.
   */
  public ComputeSessionOutcomes inStreaming(Duration rowsAllowedLateness) {
    return new ComputeSessionOutcomes(gapMs, range, rowsAllowedLateness);
  }

  public Duration gap() {
    return Duration.millis(gapMs);
  }

  @Override
  public PCollection<KV<QosKey, QosAccumulator>> expand(PCollection<PlayerEvent> events) {
    return events
        .apply("FoldPartialSessions", ParDo.of(new FoldPartialSessionsFn(gapMs)))
        .setCoder(partialCoder())
        .apply(combine());
  }

  /**
   * The first half, streaming: each bundle's events folded into partial sessions ({@link
   * BundleSessions}) before the session windows, which cost a state access per element: half of
   * the streaming engine's CPU when each event entered them alone. A bundle read from a backlog
   * holds several events of each session; a live bundle (a second of input) mostly one, and then
   * this changes nothing. Exact as the session windows are: a bundle's runs are cut at STOP and at
   * gaps as the windows would cut them, and a STOP that arrives after later events of its
   * session was already merged with them either way (see {@link BundleSessions}).
   */
  static final class FoldPartialSessionsFn extends DoFn<PlayerEvent, KV<SessionId, SessionOutcome>> {
    private final long gapMs;
    private transient Map<BoundedWindow, BundleSessions> bundles;
    private transient int buffered;

    FoldPartialSessionsFn(long gapMs) {
      this.gapMs = gapMs;
    }

    @StartBundle
    public void startBundle() {
      bundles = new HashMap<>();
      buffered = 0;
    }

    @ProcessElement
    public void process(@Element PlayerEvent e, @Timestamp Instant timestamp, BoundedWindow window,
        OutputReceiver<KV<SessionId, SessionOutcome>> out) {
      bundles.computeIfAbsent(window, w -> new BundleSessions(gapMs)).add(e);
      if (++buffered >= BundleSessions.MAX_BUFFERED_EVENTS) {
        // Bounded memory: this window's runs leave now, no earlier than this element (a DoFn may
        // not emit before its input's timestamp here); the runs merge on in the windows.
        BundleSessions b = bundles.remove(window);
        buffered -= b.size();
        b.emit(kv -> out.outputWithTimestamp(kv, later(timestamp, kv.getValue().lastMs())));
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      // Each run at its latest event's time: what the session windows' LATEST timestamp combiner
      // would have given its events.
      bundles.forEach((window, b) ->
          b.emit(kv -> c.output(kv, new Instant(kv.getValue().lastMs()), window)));
      bundles = null;
    }

    private static Instant later(Instant a, long bMillis) {
      return a.getMillis() >= bMillis ? a : new Instant(bMillis);
    }
  }

  /** A bundle's partial sessions, folded before the shuffle (the backfill's reader). */
  public BundleSessions newBundle() {
    return new BundleSessions(gapMs);
  }

  public static KvCoder<SessionId, SessionOutcome> partialCoder() {
    return KvCoder.of(SessionId.Coder.of(), SessionOutcome.Coder.of());
  }

  /** The second half: partial sessions to the QoS partial rows of their end minutes. */
  public PTransform<PCollection<KV<SessionId, SessionOutcome>>,
      PCollection<KV<QosKey, QosAccumulator>>> combine() {
    return new PTransform<>("CombineSessions") {
      @Override
      public PCollection<KV<QosKey, QosAccumulator>> expand(
          PCollection<KV<SessionId, SessionOutcome>> partials) {
        return partials
            .apply("SessionWindows", sessionWindows())
            .apply("CombinePerSession", Combine.perKey(new MergeSessionOutcomes()))
            .setCoder(partialCoder())
            .apply("ToQosPartials", ParDo.of(new ToQosPartialsFn(range)))
            .setCoder(KvCoder.of(QosKey.Coder.of(), QosAccumulator.Coder.of()))
            // The QoS rows' own windowing (minute of key) applies after this; the global window
            // lets the outcomes flatten with the QoS partial rows, which are not windowed yet.
            .apply("BackToGlobalWindow", Window.<KV<QosKey, QosAccumulator>>into(
                    new GlobalWindows())
                .triggering(DefaultTrigger.of())
                .withAllowedLateness(Duration.ZERO)
                .discardingFiredPanes())
            // The sessions a bundle ends (batch: a worker's share; streaming: those the watermark
            // closed together) leave as one row per key rather than four rows a session.
            .apply("FoldOutcomes", ComputeQosMetrics.foldPerBundle());
      }
    };
  }

  private Window<KV<SessionId, SessionOutcome>> sessionWindows() {
    Window<KV<SessionId, SessionOutcome>> window =
        Window.<KV<SessionId, SessionOutcome>>into(
                StopClosingSessions.withGap(Duration.millis(gapMs)))
            // The outcome carries the time of the session's last event, which is in its end
            // minute; streaming, the session holds the watermark there until it fires, so that
            // minute's on-time QoS pane waits for the sessions that end in it.
            .withTimestampCombiner(TimestampCombiner.LATEST);
    if (allowedLateness == null) {
      return window;
    }
    return window
        // Once, when the session is over as far as the watermark knows: a second pane of the
        // same session would count it twice. No allowed lateness: Beam accepts a trigger that
        // finishes only without it (see the class comment for what happens to late events).
        .triggering(AfterWatermark.pastEndOfWindow())
        .withAllowedLateness(Duration.ZERO)
        .discardingFiredPanes();
  }

  /** Merges the partials of one session (associative and commutative). */
  static final class MergeSessionOutcomes
      extends Combine.CombineFn<SessionOutcome, SessionOutcome, SessionOutcome> {
    @Override
    public SessionOutcome createAccumulator() {
      return SessionOutcome.empty();
    }

    @Override
    public SessionOutcome addInput(SessionOutcome acc, SessionOutcome input) {
      return acc.merge(input); // never the other way round: inputs must not be mutated
    }

    @Override
    public SessionOutcome mergeAccumulators(Iterable<SessionOutcome> accs) {
      SessionOutcome merged = SessionOutcome.empty();
      for (SessionOutcome a : accs) {
        merged.merge(a);
      }
      return merged;
    }

    @Override
    public SessionOutcome extractOutput(SessionOutcome acc) {
      return acc;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<SessionOutcome> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<SessionOutcome> input) {
      return SessionOutcome.Coder.of();
    }
  }

  /** One ended session to a partial row of its end minute in every QoS dimension set. */
  static final class ToQosPartialsFn
      extends DoFn<KV<SessionId, SessionOutcome>, KV<QosKey, QosAccumulator>> {
    private static final QosDimensionSet[] SETS = QosDimensionSet.values();
    private final MinuteRange range;
    private final Counter ended =
        Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, "sessions_ended");
    private final Counter outside =
        Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, "session_outcomes_outside_range");

    ToQosPartialsFn(MinuteRange range) {
      this.range = range;
    }

    @ProcessElement
    public void process(@Element KV<SessionId, SessionOutcome> session,
        OutputReceiver<KV<QosKey, QosAccumulator>> out) {
      SessionOutcome s = session.getValue();
      long minute = s.endMinute();
      if (!range.contains(minute)) {
        outside.inc();
        return;
      }
      ended.inc();
      for (QosDimensionSet set : SETS) {
        // The session's first event's values, keyed as ComputeQosMetrics keys the same rows.
        out.output(KV.of(
            QosKey.of(set, session.getKey().account(), minute, s.video(), s.platform(),
                s.country(), s.deviceType()),
            QosAccumulator.ofSessionOutcome(s)));
      }
    }
  }
}
