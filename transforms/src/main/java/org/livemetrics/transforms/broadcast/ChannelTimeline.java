package org.livemetrics.transforms.broadcast;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.BroadcastEvent;
import org.livemetrics.schemas.BroadcastEventType;
import org.livemetrics.schemas.StreamSession;

/**
 * What the known events of one channel say, as a pure function of the <em>set</em> of events: the
 * order they arrived in plays no part, which is what makes batch and streaming agree and lets
 * EventBridge deliver out of order. Plain Java, so the rules are tested on their own.
 *
 * <ul>
 *   <li>A stream ({@code stream_id}) starts at its earliest Stream Start and ends at its earliest
 *       Stream End or Stream Failure; an end known before its start still pairs with it. Without an
 *       end it is open: live up to the time asked about, at most {@code maxStreamMs} after its start
 *       (IVS ends every stream after 48 hours), so a lost end cannot keep a channel live forever.
 *       An end without a start gives a stream row with no start and no live minutes.
 *   <li>The channel is live in a minute when any of its streams is live at any time within it.
 *   <li>Starvation episodes pair each Starvation Start with the next Starvation End of its stream
 *       in time; an unmatched start runs to the stream's end, or (stream still open) to the time
 *       asked about, capped like a stream. Each episode counts in the minute it began; its length
 *       is split over the minutes it spans.
 * </ul>
 *
 * Values for a minute {@code m} asked "as of" any time at or after {@code m}'s end do not depend on
 * that time: what the channel tracker emits for a closed minute stays right as time moves on.
 */
final class ChannelTimeline {
  static final long MINUTE = 60_000L;

  static final Comparator<BroadcastEvent> ORDER =
      Comparator.comparingLong(BroadcastEvent::time).thenComparing(BroadcastEvent::id);

  private final long maxStreamMs;
  private final List<BroadcastEvent> events;
  private final Map<String, Stream> streams = new TreeMap<>();

  ChannelTimeline(Collection<BroadcastEvent> events, long maxStreamMs) {
    this.maxStreamMs = maxStreamMs;
    this.events = new ArrayList<>(events);
    this.events.sort(ORDER);
    Map<String, List<BroadcastEvent>> byStream = new LinkedHashMap<>();
    for (BroadcastEvent e : this.events) {
      byStream.computeIfAbsent(e.streamId(), k -> new ArrayList<>()).add(e);
    }
    byStream.forEach((id, list) -> streams.put(id, new Stream(id, list)));
  }

  static long minuteOf(long t) {
    return Math.floorDiv(t, MINUTE) * MINUTE;
  }

  /** The end of the minute {@code t} is in. */
  static long minuteEnd(long t) {
    return minuteOf(t) + MINUTE;
  }

  private static long ceilMinute(long t) {
    return -Math.floorDiv(-t, MINUTE) * MINUTE;
  }

  boolean isEmpty() {
    return events.isEmpty();
  }

  List<BroadcastEvent> events() {
    return events;
  }

  Collection<String> streamIds() {
    return streams.keySet();
  }

  /** The earliest event of a stream. */
  long earliest(String streamId) {
    return streams.get(streamId).events.get(0).time();
  }

  /** One of the channel's streams, as known. */
  final class Stream {
    final String id;
    final List<BroadcastEvent> events;
    final @Nullable Long start;
    final @Nullable BroadcastEvent end;
    final @Nullable Long sessionCreated;
    final @Nullable Long sessionEnded;
    /** Paired starvation episodes, [start, end). */
    final List<long[]> closedEpisodes = new ArrayList<>();
    final @Nullable Long openEpisodeStart;

    Stream(String id, List<BroadcastEvent> events) {
      this.id = id;
      this.events = events;
      Long s = null;
      BroadcastEvent e = null;
      Long created = null;
      Long ended = null;
      Long starving = null;
      for (BroadcastEvent ev : events) { // in time order
        BroadcastEventType t = ev.type();
        if (t.startsStream() && s == null) {
          s = ev.time();
        } else if (t.endsStream() && e == null) {
          e = ev;
        } else if (t == BroadcastEventType.SESSION_CREATED && created == null) {
          created = ev.time();
        } else if (t == BroadcastEventType.SESSION_ENDED && ended == null) {
          ended = ev.time();
        } else if (t == BroadcastEventType.STARVATION_START && starving == null) {
          starving = ev.time();
        } else if (t == BroadcastEventType.STARVATION_END && starving != null) {
          closedEpisodes.add(new long[] {starving, ev.time()});
          starving = null;
        }
      }
      this.start = s;
      this.end = e;
      this.sessionCreated = created;
      this.sessionEnded = ended;
      this.openEpisodeStart = starving;
    }

    /** When an open stream stops counting as live: its start plus the longest stream. */
    long cap() {
      return start + maxStreamMs;
    }

    /** Live interval's end as of {@code asOf}; null without a start. */
    @Nullable Long liveUntil(long asOf) {
      if (start == null) {
        return null;
      }
      return end != null ? end.time() : Math.min(asOf, cap());
    }

    /** An unmatched Starvation Start still running at {@code asOf}. */
    boolean isStarvingAt(long asOf) {
      return openEpisodeStart != null && end == null && asOf < episodeCap();
    }

    private long episodeCap() {
      return (start != null ? start : openEpisodeStart) + maxStreamMs;
    }

    /** Every episode as of {@code asOf}: the unmatched one runs to the end, or asOf (capped). */
    List<long[]> episodes(long asOf) {
      List<long[]> all = new ArrayList<>(closedEpisodes);
      if (openEpisodeStart != null) {
        long until = end != null ? end.time() : Math.min(asOf, episodeCap());
        all.add(new long[] {openEpisodeStart, Math.max(openEpisodeStart, until)});
      }
      return all;
    }

    /** The time after which nothing of this stream changes as time passes. */
    long settledAt() {
      long t = events.get(events.size() - 1).time();
      if (end == null && start != null) {
        t = Math.max(t, cap());
      }
      if (end == null && openEpisodeStart != null) {
        t = Math.max(t, episodeCap());
      }
      return t;
    }
  }

  Stream stream(String id) {
    return streams.get(id);
  }

  /**
   * Whether the channel is live or starving at {@code t} by what is known (an open stream, or one
   * whose end is known to come later): its next minute has something to emit.
   */
  boolean isActiveAt(long t) {
    for (Stream s : streams.values()) {
      if (s.start != null && s.start <= t && t < (s.end != null ? s.end.time() : s.cap())) {
        return true;
      }
      for (long[] ep : s.closedEpisodes) {
        if (ep[0] <= t && t < ep[1]) {
          return true;
        }
      }
      if (s.openEpisodeStart != null && s.openEpisodeStart <= t && s.isStarvingAt(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * When everything the events say is settled: the end of the last event's minute, or later for
   * streams and episodes still open (their cap). What a bounded run advances to.
   */
  long settledEnd() {
    long t = minuteEnd(events.get(events.size() - 1).time());
    for (Stream s : streams.values()) {
      t = Math.max(t, ceilMinute(s.settledAt()));
    }
    return t;
  }

  /**
   * The channel's values per minute start for the minutes in {@code [from, to)}, as of {@code to}:
   * {live (0/1), starvation episodes begun, starvation ms}. Minutes with nothing are left out.
   */
  SortedMap<Long, long[]> minutes(long from, long to) {
    SortedMap<Long, long[]> out = new TreeMap<>();
    for (Stream s : streams.values()) {
      Long until = s.liveUntil(to);
      if (until != null && until > s.start) {
        for (long m = Math.max(minuteOf(s.start), from); m < until && m < to; m += MINUTE) {
          out.computeIfAbsent(m, k -> new long[3])[0] = 1;
        }
      }
      for (long[] ep : s.episodes(to)) {
        long begun = minuteOf(ep[0]);
        if (begun >= from && begun < to) {
          out.computeIfAbsent(begun, k -> new long[3])[1]++;
        }
        for (long m = Math.max(begun, from); m < ep[1] && m < to; m += MINUTE) {
          long overlap = Math.min(ep[1], m + MINUTE) - Math.max(ep[0], m);
          if (overlap > 0) {
            out.computeIfAbsent(m, k -> new long[3])[2] += overlap;
          }
        }
      }
    }
    return out;
  }

  /** The stream's row as of {@code asOf}. */
  StreamSession session(String streamId, long asOf, long version) {
    Stream s = streams.get(streamId);
    BroadcastEvent first = events.get(0);
    StreamSession.Outcome outcome = s.end == null ? StreamSession.Outcome.OPEN
        : s.end.type() == BroadcastEventType.STREAM_FAILURE ? StreamSession.Outcome.FAILED
        : StreamSession.Outcome.ENDED;
    long measuredTo = s.end != null ? s.end.time()
        : s.start != null ? Math.min(asOf, s.cap()) : asOf;
    Long duration = s.start == null ? null : Math.max(0, measuredTo - s.start);
    // Episodes up to the time the row is measured to (a starvation known to begin later is not
    // part of the stream yet as of then).
    long episodes = 0;
    long starvationMs = 0;
    for (long[] ep : s.episodes(asOf)) {
      if (ep[0] < measuredTo || (s.end != null && ep[0] <= measuredTo)) {
        episodes++;
        starvationMs += Math.max(0, Math.min(ep[1], measuredTo) - ep[0]);
      }
    }
    return new StreamSession(first.account(), first.region(), first.channelArn(),
        channelName(s.events), streamId, s.start, s.end == null ? null : s.end.time(), outcome,
        duration, measuredTo, version, s.sessionCreated, s.sessionEnded, episodes, starvationMs);
  }

  /** The stream's latest channel name, else the channel's. */
  private @Nullable String channelName(List<BroadcastEvent> streamEvents) {
    String name = lastName(streamEvents);
    return name != null ? name : lastName(events);
  }

  @Nullable String channelName() {
    return lastName(events);
  }

  private static @Nullable String lastName(List<BroadcastEvent> sorted) {
    for (int i = sorted.size() - 1; i >= 0; i--) {
      if (sorted.get(i).channelName() != null) {
        return sorted.get(i).channelName();
      }
    }
    return null;
  }
}
