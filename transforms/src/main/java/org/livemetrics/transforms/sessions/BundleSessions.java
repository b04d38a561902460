package org.livemetrics.transforms.sessions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.values.KV;
import org.livemetrics.schemas.PlayerEvent;

/**
 * The partial sessions of one bundle (the backfill's reader: one or a few archive objects), folded
 * before the shuffle: each session key's events are sorted and cut into runs at STOP and at gaps,
 * exactly as the session windows would cut them, and each run leaves as one partial. The runs of
 * several bundles then merge in the session windows as their events would have.
 *
 * <p>Exact unless another bundle (or an earlier emission of this one) holds a STOP strictly inside
 * a run of this one (events of a session id after its STOP, in an object read apart from the
 * STOP's): the run cannot be split, so the STOP closes the session with the run's later events. Memory: one small partial per buffered
 * event, emitted when {@link #size()} reaches the caller's bound and at the end of the bundle.
 */
public final class BundleSessions {
  /**
   * Events a caller buffers before it emits the partials early (about 40 MB): on Flink's batch
   * translation a bundle is a worker's whole share of the archive.
   */
  public static final int MAX_BUFFERED_EVENTS = 500_000;

  private static final Comparator<SessionOutcome> TIME_THEN_STOP_LAST =
      Comparator.comparingLong(SessionOutcome::firstMs)
          .thenComparingInt(s -> s.stopMs == Long.MIN_VALUE ? 0 : 1);

  private final long gapMs;
  private final Map<SessionId, List<SessionOutcome>> events = new HashMap<>();
  private int size;

  public BundleSessions(long gapMs) {
    this.gapMs = gapMs;
  }

  public void add(PlayerEvent e) {
    events.computeIfAbsent(SessionId.of(e), k -> new ArrayList<>()).add(SessionOutcome.of(e));
    size++;
  }

  /** Events buffered. */
  public int size() {
    return size;
  }

  /** Emits every session key's runs and empties the buffer; returns how many were emitted. */
  public long emit(Consumer<KV<SessionId, SessionOutcome>> out) {
    long emitted = 0;
    for (Map.Entry<SessionId, List<SessionOutcome>> e : events.entrySet()) {
      List<SessionOutcome> sorted = e.getValue();
      sorted.sort(TIME_THEN_STOP_LAST);
      SessionOutcome run = null;
      for (SessionOutcome s : sorted) {
        if (run != null && startsNewRun(run, s)) {
          out.accept(KV.of(e.getKey(), run));
          emitted++;
          run = null;
        }
        run = run == null ? s : run.merge(s);
      }
      out.accept(KV.of(e.getKey(), run));
      emitted++;
    }
    events.clear();
    size = 0;
    return emitted;
  }

  /** After a STOP (a later millisecond) or a gap: what the session windows split at. */
  private boolean startsNewRun(SessionOutcome run, SessionOutcome next) {
    boolean afterStop = run.stopMs != Long.MIN_VALUE && next.firstMs > run.stopMs;
    return afterStop || next.firstMs - run.lastMs >= gapMs;
  }

  /** The gap, for the reader that folds with it. */
  public long gapMs() {
    return gapMs;
  }
}
