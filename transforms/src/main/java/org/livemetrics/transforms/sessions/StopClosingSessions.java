package org.livemetrics.transforms.sessions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.windowing.IncompatibleWindowException;
import org.apache.beam.sdk.transforms.windowing.Sessions;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowMappingFn;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;

/**
 * Beam's {@link Sessions} with one rule added: a STOP ends its session. Each partial session (in
 * practice one event) gets the window {@code [first, last + gap)}; one that holds a STOP gets
 * {@code [first, stop + 1 ms)}, marked closed. Windows merge as {@code Sessions} merges them, by
 * overlap, except that nothing starting after a closed window's STOP joins it: an event after the
 * STOP starts a new session even within the gap, and an event in the STOP's own millisecond
 * belongs to the session the STOP ends.
 *
 * <p>Not a subclass of {@code Sessions}: Flink's batch translation replaces the merging of a
 * {@code Sessions} WindowFn with its own interval merge, which would ignore the STOP.
 *
 * <p>Merging sees all the windows of a key at once in batch, so a batch result is exact. In
 * streaming, windows merge as events arrive: a STOP that arrives after events later than itself
 * were already merged into its session closes that session with them (Beam cannot split a merged
 * window); it is rare (the STOP is the player's last event) and documented.
 */
public final class StopClosingSessions
    extends WindowFn<KV<SessionId, SessionOutcome>, SessionWindow> {
  private final long gapMs;

  private StopClosingSessions(long gapMs) {
    if (gapMs <= 0) {
      throw new IllegalArgumentException("--sessionGap must be positive, was " + gapMs + " ms");
    }
    this.gapMs = gapMs;
  }

  public static StopClosingSessions withGap(Duration gap) {
    return new StopClosingSessions(gap.getMillis());
  }

  public Duration gap() {
    return Duration.millis(gapMs);
  }

  @Override
  public Collection<SessionWindow> assignWindows(AssignContext c) {
    return Collections.singletonList(c.element().getValue().window(gapMs));
  }

  @Override
  public void mergeWindows(MergeContext c) throws Exception {
    List<SessionWindow> windows = new ArrayList<>(c.windows());
    windows.sort(Comparator.comparingLong(SessionWindow::start)
        .thenComparingLong(SessionWindow::end));
    List<SessionWindow> members = new ArrayList<>();
    SessionWindow merged = null;
    for (SessionWindow w : windows) {
      if (merged != null && w.start() < merged.end()) {
        members.add(w);
        merged = span(merged, w);
      } else {
        flush(c, members, merged);
        members = new ArrayList<>();
        members.add(w);
        merged = w;
      }
    }
    flush(c, members, merged);
  }

  /**
   * Two overlapping windows as one: the earlier start; a closed one's STOP ends the session even
   * if an earlier event's gap reached further. The end never falls before an event of the session
   * (last event = an open window's end - gap), which in batch, where a STOP meets only events
   * before it, is the STOP's end.
   */
  SessionWindow span(SessionWindow a, SessionWindow b) {
    long start = Math.min(a.start(), b.start());
    if (a.closed() && b.closed()) {
      return new SessionWindow(start, Math.max(a.end(), b.end()), true);
    }
    if (a.closed() || b.closed()) {
      SessionWindow stop = a.closed() ? a : b;
      SessionWindow open = a.closed() ? b : a;
      return new SessionWindow(start, Math.max(stop.end(), open.end() - gapMs + 1), true);
    }
    return new SessionWindow(start, Math.max(a.end(), b.end()), false);
  }

  private static void flush(MergeContext c, List<SessionWindow> members, SessionWindow merged)
      throws Exception {
    if (members.size() > 1) {
      c.merge(members, merged);
    }
  }

  @Override
  public boolean isCompatible(WindowFn<?, ?> other) {
    return equals(other);
  }

  @Override
  public void verifyCompatibility(WindowFn<?, ?> other) throws IncompatibleWindowException {
    if (!isCompatible(other)) {
      throw new IncompatibleWindowException(other,
          "only StopClosingSessions of the same gap are compatible with " + this);
    }
  }

  @Override
  public Coder<SessionWindow> windowCoder() {
    return SessionWindow.Coder.of();
  }

  @Override
  public WindowMappingFn<SessionWindow> getDefaultWindowMappingFn() {
    throw new UnsupportedOperationException("StopClosingSessions cannot window a side input");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StopClosingSessions s && s.gapMs == gapMs;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(gapMs);
  }

  @Override
  public String toString() {
    return "StopClosingSessions(gap=" + gap() + ")";
  }
}
