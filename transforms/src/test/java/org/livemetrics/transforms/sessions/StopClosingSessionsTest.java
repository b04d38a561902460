package org.livemetrics.transforms.sessions;

import static org.junit.Assert.assertEquals;
import static org.livemetrics.transforms.sessions.SessionEvents.at;
import static org.livemetrics.transforms.sessions.SessionEvents.impression;
import static org.livemetrics.transforms.sessions.SessionEvents.play;
import static org.livemetrics.transforms.sessions.SessionEvents.stop;
import static org.livemetrics.transforms.sessions.SessionEvents.summary;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.joda.time.Duration;
import org.junit.Test;
import org.livemetrics.schemas.PlayerEvent;

/**
 * {@link StopClosingSessions}' merge, driven as runners drive it: all windows of a key at once
 * (Flink's batch combine, the backfill) or one at a time against the windows merged so far
 * (streaming). Expected windows worked out by hand with a 3-minute gap.
 */
public class StopClosingSessionsTest {
  private static final long FP = 42;
  private static final StopClosingSessions FN = StopClosingSessions.withGap(Duration.standardMinutes(3));

  private static SessionWindow windowOf(PlayerEvent e) {
    return SessionOutcome.of(e).window(FN.gap().getMillis());
  }

  private static SessionWindow open(long start, long end) {
    return new SessionWindow(start, end, false);
  }

  private static SessionWindow closed(long start, long end) {
    return new SessionWindow(start, end, true);
  }

  /** The windows after one merge of {@code windows}. */
  private static Set<SessionWindow> mergeOnce(Collection<SessionWindow> windows) throws Exception {
    Set<SessionWindow> result = new HashSet<>(windows);
    FN.mergeWindows(FN.new MergeContext() {
      @Override
      public Collection<SessionWindow> windows() {
        return windows;
      }

      @Override
      public void merge(Collection<SessionWindow> toBeMerged, SessionWindow mergeResult) {
        result.removeAll(toBeMerged);
        result.add(mergeResult);
      }
    });
    return result;
  }

  /** The windows after adding {@code windows} one by one, merging each time. */
  private static Set<SessionWindow> mergeOneByOne(List<SessionWindow> windows) throws Exception {
    Set<SessionWindow> active = new HashSet<>();
    for (SessionWindow w : windows) {
      active.add(w);
      active = mergeOnce(new ArrayList<>(active));
    }
    return active;
  }

  private static final List<PlayerEvent> STOP_THEN_MORE = List.of(
      impression(at(0, 0), FP, "a"),
      play(at(0, 5), FP, "a"),
      stop(at(0, 30), FP, "a"),
      play(at(0, 40), FP, "a"),
      summary(at(1, 30), FP, "a", 50_000, 0, 0));

  /** {IMPRESSION, PLAY, STOP} closed at the STOP; {PLAY 0:40, summary 1:30} open for the gap. */
  private static final Set<SessionWindow> EXPECTED = Set.of(
      closed(at(0, 0), at(0, 30) + 1), open(at(0, 40), at(1, 30) + 180_000));

  @Test
  public void allAtOnceEveryOrderGivesTheSameSessions() throws Exception {
    List<SessionWindow> windows = new ArrayList<>();
    STOP_THEN_MORE.forEach(e -> windows.add(windowOf(e)));
    for (List<SessionWindow> order : permutations(windows)) {
      assertEquals("order " + order, EXPECTED, mergeOnce(order));
    }
  }

  @Test
  public void oneByOneInTimeOrderGivesTheSameSessions() throws Exception {
    List<SessionWindow> windows = new ArrayList<>();
    STOP_THEN_MORE.forEach(e -> windows.add(windowOf(e)));
    assertEquals(EXPECTED, mergeOneByOne(windows));
  }

  @Test
  public void oneByOneAStopArrivingAfterLaterEventsClosesTheSessionWithThem() throws Exception {
    // The documented streaming limitation: 0:40 and 1:30 already merged with 0:00 and 0:05 when
    // the STOP of 0:30 arrives; Beam cannot split a merged window, so the session is closed at its
    // latest merged event (1:30) and holds all five.
    List<SessionWindow> windows = new ArrayList<>();
    List.of(0, 1, 3, 4, 2).forEach(i -> windows.add(windowOf(STOP_THEN_MORE.get(i))));
    assertEquals(Set.of(closed(at(0, 0), at(1, 30) + 1)), mergeOneByOne(windows));
  }

  @Test
  public void anEventInTheStopsMillisecondBelongsToTheSessionItEnds() throws Exception {
    List<SessionWindow> windows = List.of(
        windowOf(play(at(0, 0), FP, "a")),
        windowOf(stop(at(0, 30), FP, "a")),
        windowOf(summary(at(0, 30), FP, "a", 30_000, 0, 0)),
        windowOf(play(at(0, 30) + 1, FP, "a")));
    assertEquals(Set.of(closed(at(0, 0), at(0, 30) + 1), open(at(0, 30) + 1, at(3, 30) + 1)),
        mergeOnce(windows));
  }

  @Test
  public void withoutAStopWindowsMergeAsSessionsDo() throws Exception {
    // [0:00, 3:00) and [2:59.999, 5:59.999) overlap; [6:00, 9:00) starts after 5:59.999, so
    // 6:00 (a gap and 1 ms after 2:59.999) is a session of its own.
    List<SessionWindow> windows = List.of(
        windowOf(play(at(0, 0), FP, "a")),
        windowOf(play(at(3, 0) - 1, FP, "a")),
        windowOf(play(at(6, 0), FP, "a")));
    assertEquals(Set.of(open(at(0, 0), at(6, 0) - 1), open(at(6, 0), at(9, 0))),
        mergeOnce(windows));
  }

  private static <T> List<List<T>> permutations(List<T> items) {
    if (items.isEmpty()) {
      return List.of(List.of());
    }
    List<List<T>> all = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      List<T> rest = new ArrayList<>(items);
      T first = rest.remove(i);
      for (List<T> tail : permutations(rest)) {
        List<T> p = new ArrayList<>();
        p.add(first);
        p.addAll(tail);
        all.add(Collections.unmodifiableList(p));
      }
    }
    return all;
  }
}
