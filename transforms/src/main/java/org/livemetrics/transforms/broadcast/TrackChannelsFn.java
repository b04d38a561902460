package org.livemetrics.transforms.broadcast;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;
import org.livemetrics.schemas.BroadcastEvent;
import org.livemetrics.schemas.BroadcastMinute.Scope;
import org.livemetrics.schemas.StreamSession;
import org.livemetrics.transforms.parse.ParsePlayerEvents;

/**
 * The per-channel state machine, in Beam state and event-time timers keyed by channel ARN (no
 * external store). State holds the channel's distinct events (by EventBridge id: a redelivered
 * event changes nothing) and the channel's <em>frontier</em>: the minute boundary up to which its
 * minutes have been emitted. Everything emitted is computed by {@link ChannelTimeline} from the set
 * of events, never from the order they came in.
 *
 * <ul>
 *   <li><b>Advance</b> (an event-time timer, so the watermark has passed it): the minutes from the
 *       frontier to the timer are emitted whole, and the rows of streams that have begun and
 *       changed since their last emission (an open stream's running duration always has). In
 *       streaming the timer then steps a minute at a time while the channel is live or starving,
 *       else waits for the next event. With bounded input the one timer is at the end of the
 *       input, when every event is in state, and jumps straight to where the events settle (or
 *       the horizon): the same rows, in one step.
 *   <li><b>An event for an emitted minute</b> (behind the frontier): the changed minutes are
 *       emitted as corrections, the difference between the minute's values with and without it
 *       (so an End that arrives after its minutes were counted live takes them back), and its
 *       stream's row at once if it changed.
 *   <li>An event more than the allowed lateness behind the frontier is too late (its state may be
 *       gone): to the dead letters. Streams settled for longer than that are dropped from state.
 * </ul>
 *
 * Streaming timers fire with an output timestamp of the last millisecond of their minute, so a
 * minute's values are on time for its window downstream.
 */
final class TrackChannelsFn extends DoFn<KV<String, BroadcastEvent>, KV<BroadcastKey, BroadcastDelta>> {
  static final TupleTag<KV<BroadcastKey, BroadcastDelta>> MINUTES =
      new TupleTag<KV<BroadcastKey, BroadcastDelta>>() {};
  static final TupleTag<StreamSession> SESSIONS = new TupleTag<StreamSession>() {};
  static final TupleTag<BroadcastEvent> TOO_LATE = new TupleTag<BroadcastEvent>() {};

  private static final long MINUTE = ChannelTimeline.MINUTE;

  private final long maxStreamMs;
  private final long latenessMs;
  private final boolean bounded;
  private final @Nullable Long horizon;

  private final Counter duplicates =
      Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, "broadcast_duplicates");
  private final Counter corrections =
      Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, "broadcast_minute_corrections");

  @StateId("events")
  private final StateSpec<ValueState<List<BroadcastEvent>>> eventsSpec =
      StateSpecs.value(ListCoder.of(BroadcastEvent.Coder.of()));

  /** Minutes before it are emitted; absent until the first advance. */
  @StateId("frontier")
  private final StateSpec<ValueState<Long>> frontierSpec = StateSpecs.value(VarLongCoder.of());

  /** The last row emitted per stream id. */
  @StateId("emitted")
  private final StateSpec<ValueState<Map<String, StreamSession>>> emittedSpec =
      StateSpecs.value(MapCoder.of(StringUtf8Coder.of(), StreamSession.Coder.of()));

  /** When the pending advance timer fires; absent when none is set. */
  @StateId("timer")
  private final StateSpec<ValueState<Long>> timerSpec = StateSpecs.value(VarLongCoder.of());

  @TimerId("advance")
  private final TimerSpec advanceSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  TrackChannelsFn(long maxStreamMs, long latenessMs, boolean bounded, @Nullable Long horizon) {
    this.maxStreamMs = maxStreamMs;
    this.latenessMs = latenessMs;
    this.bounded = bounded;
    this.horizon = horizon;
  }

  @ProcessElement
  public void process(
      @Element KV<String, BroadcastEvent> element,
      @StateId("events") ValueState<List<BroadcastEvent>> eventsState,
      @StateId("frontier") ValueState<Long> frontierState,
      @StateId("emitted") ValueState<Map<String, StreamSession>> emittedState,
      @StateId("timer") ValueState<Long> timerState,
      @TimerId("advance") Timer advance,
      MultiOutputReceiver out) {
    BroadcastEvent e = element.getValue();
    List<BroadcastEvent> stored = eventsState.read();
    List<BroadcastEvent> events = stored == null ? new ArrayList<>() : new ArrayList<>(stored);
    for (BroadcastEvent known : events) {
      if (known.id().equals(e.id())) {
        duplicates.inc();
        return;
      }
    }
    Long frontier = frontierState.read();
    if (frontier != null && e.time() < frontier - latenessMs) {
      out.get(TOO_LATE).output(e);
      return;
    }
    ChannelTimeline before = new ChannelTimeline(events, maxStreamMs);
    events.add(e);
    eventsState.write(events);
    if (frontier != null) {
      ChannelTimeline after = new ChannelTimeline(events, maxStreamMs);
      long from = ChannelTimeline.minuteOf(after.earliest(e.streamId()));
      if (from < frontier) {
        int changed = emitMinutes(after, before.isEmpty() ? new TreeMap<>() : before.minutes(from, frontier),
            after.minutes(from, frontier), out);
        corrections.inc(changed);
      }
      Map<String, StreamSession> emitted = read(emittedState);
      if (emitSession(after, e.streamId(), frontier, emitted, out)) {
        emittedState.write(emitted);
      }
      if (e.time() < frontier) {
        return; // its minutes are emitted: no advance needed for it
      }
    }
    Long pending = timerState.read();
    if (bounded) {
      // Bounded input: a timer only at the end of the input is sure to see every event (a
      // watermark past a minute only proves no earlier event is left). It holds the output at
      // the channel's earliest event.
      if (pending == null || e.time() < pending) {
        advance.withOutputTimestamp(new Instant(e.time())).set(GlobalWindow.INSTANCE.maxTimestamp());
        timerState.write(e.time());
      }
      return;
    }
    long at = ChannelTimeline.minuteEnd(e.time());
    if (pending == null || at < pending) {
      set(advance, timerState, at);
    }
  }

  @OnTimer("advance")
  public void onAdvance(
      OnTimerContext c,
      @StateId("events") ValueState<List<BroadcastEvent>> eventsState,
      @StateId("frontier") ValueState<Long> frontierState,
      @StateId("emitted") ValueState<Map<String, StreamSession>> emittedState,
      @StateId("timer") ValueState<Long> timerState,
      @TimerId("advance") Timer advance,
      MultiOutputReceiver out) {
    timerState.clear();
    List<BroadcastEvent> events = eventsState.read();
    if (events == null || events.isEmpty()) {
      return;
    }
    ChannelTimeline timeline = new ChannelTimeline(events, maxStreamMs);
    Long frontier = frontierState.read();
    long from = frontier != null ? frontier : ChannelTimeline.minuteOf(timeline.events().get(0).time());
    // Bounded: every event is known, settle in one step (or state all as of the horizon).
    long to = !bounded ? c.fireTimestamp().getMillis()
        : horizon != null ? horizon : timeline.settledEnd();
    if (to <= from) {
      return;
    }
    emitMinutes(timeline, new TreeMap<>(), timeline.minutes(from, to), out);
    Map<String, StreamSession> emitted = read(emittedState);
    for (String stream : timeline.streamIds()) {
      emitSession(timeline, stream, to, emitted, out);
    }
    frontierState.write(to);
    if (bounded) {
      emittedState.write(emitted);
      return;
    }
    prune(timeline, to, eventsState, emitted);
    emittedState.write(emitted);
    Long next = null;
    if (timeline.isActiveAt(to)) {
      next = to + MINUTE; // live or starving: every minute is news
    } else {
      for (BroadcastEvent ev : timeline.events()) {
        if (ev.time() >= to) {
          next = ChannelTimeline.minuteEnd(ev.time());
          break;
        }
      }
    }
    if (next != null) {
      set(advance, timerState, next);
    }
  }

  private static void set(Timer advance, ValueState<Long> timerState, long at) {
    // Held at the minute's last millisecond: what the timer emits is on time for that minute.
    advance.withOutputTimestamp(new Instant(at - 1)).set(new Instant(at));
    timerState.write(at);
  }

  private static Map<String, StreamSession> read(ValueState<Map<String, StreamSession>> state) {
    Map<String, StreamSession> m = state.read();
    return m == null ? new HashMap<>() : new HashMap<>(m);
  }

  /**
   * Emits the stream's row as of {@code asOf} if it has begun by then (or was emitted before) and
   * differs from the last one emitted; returns whether it did.
   */
  private static boolean emitSession(ChannelTimeline timeline, String stream, long asOf,
      Map<String, StreamSession> emitted, MultiOutputReceiver out) {
    StreamSession last = emitted.get(stream);
    if (last == null && timeline.earliest(stream) >= asOf) {
      return false;
    }
    StreamSession now = timeline.session(stream, asOf, last == null ? 0 : last.version() + 1);
    if (last != null && now.withVersion(last.version()).equals(last)) {
      return false;
    }
    out.get(SESSIONS).output(now);
    emitted.put(stream, now);
    return true;
  }

  /**
   * Emits, for each minute whose values differ between {@code before} and {@code after}, the
   * difference for the channel, its region and all channels; returns how many minutes changed.
   */
  private static int emitMinutes(ChannelTimeline timeline, SortedMap<Long, long[]> before,
      SortedMap<Long, long[]> after, MultiOutputReceiver out) {
    BroadcastEvent any = timeline.events().get(0);
    String name = timeline.channelName();
    TreeSet<Long> minutes = new TreeSet<>(before.keySet());
    minutes.addAll(after.keySet());
    int changed = 0;
    long[] zero = new long[3];
    for (long m : minutes) {
      long[] b = before.getOrDefault(m, zero);
      long[] a = after.getOrDefault(m, zero);
      BroadcastDelta d = new BroadcastDelta(a[0] - b[0], a[1] - b[1], a[2] - b[2], null);
      if (d.isZero()) {
        continue;
      }
      changed++;
      OutputReceiver<KV<BroadcastKey, BroadcastDelta>> o = out.get(MINUTES);
      o.output(KV.of(new BroadcastKey(Scope.CHANNEL, any.region(), any.channelArn(), m),
          new BroadcastDelta(d.liveChannels(), d.starvationCount(), d.starvationMs(), name)));
      o.output(KV.of(new BroadcastKey(Scope.REGION, any.region(), "", m), d));
      o.output(KV.of(new BroadcastKey(Scope.ALL, "", "", m), d));
    }
    return changed;
  }

  /**
   * Forgets streams settled more than the lateness (and a minute) ago: no event may change them
   * any more, and no event still accepted can change a minute they were live in.
   */
  private void prune(ChannelTimeline timeline, long frontier,
      ValueState<List<BroadcastEvent>> eventsState, Map<String, StreamSession> emitted) {
    List<String> gone = new ArrayList<>();
    for (String id : timeline.streamIds()) {
      if (timeline.stream(id).settledAt() < frontier - latenessMs - MINUTE) {
        gone.add(id);
      }
    }
    if (gone.isEmpty()) {
      return;
    }
    List<BroadcastEvent> kept = new ArrayList<>(timeline.events());
    for (Iterator<BroadcastEvent> it = kept.iterator(); it.hasNext(); ) {
      if (gone.contains(it.next().streamId())) {
        it.remove();
      }
    }
    emitted.keySet().removeAll(gone);
    if (kept.isEmpty()) {
      eventsState.clear();
    } else {
      eventsState.write(Collections.unmodifiableList(kept));
    }
  }
}
