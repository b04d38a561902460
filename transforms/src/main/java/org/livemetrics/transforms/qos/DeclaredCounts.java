package org.livemetrics.transforms.qos;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.livemetrics.schemas.MetricType;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.schemas.SessionFacts;
import org.livemetrics.schemas.family.MetricFamilyDescription.Accumulation;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;
import org.livemetrics.schemas.family.ViewerQosFamily;

/**
 * The QoS family's declared counts ({@link ViewerQosFamily#COUNTS}) resolved once into what the
 * fold runs, so that a count is declared in the description and nowhere else: per event type, the
 * counts an event of that type adds to and how much; per ended session, the counts it adds 1 to.
 * Indexes are positions in the counts of {@link QosAccumulator} and {@code QosMinute}.
 */
final class DeclaredCounts {
  static final PerEvent PER_EVENT = new PerEvent(ViewerQosFamily.DESCRIPTION.countedFields());
  static final PerSession PER_SESSION =
      new PerSession(ViewerQosFamily.DESCRIPTION.countedFields());

  /** The per-event counts, by event type. */
  static final class PerEvent {
    private final int[][] indexes = new int[MetricType.values().length][];
    private final List<List<ToLongFunction<PlayerEvent>>> amounts = new ArrayList<>();
    private final int mostPerType;

    private PerEvent(List<StoredField> counted) {
      int most = 0;
      for (MetricType type : MetricType.values()) {
        List<Integer> at = new ArrayList<>();
        List<ToLongFunction<PlayerEvent>> fns = new ArrayList<>();
        for (int i = 0; i < counted.size(); i++) {
          if (counted.get(i).accumulation() instanceof Accumulation.PerEvent e
              && e.type() == type) {
            at.add(i);
            fns.add(e.amount());
          }
        }
        indexes[type.ordinal()] = at.stream().mapToInt(Integer::intValue).toArray();
        amounts.add(List.copyOf(fns));
        most = Math.max(most, at.size());
      }
      this.mostPerType = most;
    }

    /** The counts an event of {@code type} adds to (empty: none). */
    int[] indexes(MetricType type) {
      return indexes[type.ordinal()];
    }

    /** The most counts one event type adds to: the size of {@link #amounts}' target. */
    int mostPerType() {
      return mostPerType;
    }

    /** What {@code e} adds to each of {@link #indexes}{@code (e.metricType)}, into {@code into}. */
    void amounts(PlayerEvent e, long[] into) {
      List<ToLongFunction<PlayerEvent>> fns = amounts.get(e.metricType.ordinal());
      for (int k = 0; k < fns.size(); k++) {
        into[k] = fns.get(k).applyAsLong(e);
      }
    }
  }

  /** The per-session counts. */
  static final class PerSession {
    private final int[] indexes;
    private final List<Predicate<SessionFacts>> tests;

    private PerSession(List<StoredField> counted) {
      List<Integer> at = new ArrayList<>();
      List<Predicate<SessionFacts>> fns = new ArrayList<>();
      for (int i = 0; i < counted.size(); i++) {
        if (counted.get(i).accumulation() instanceof Accumulation.PerSession s) {
          at.add(i);
          fns.add(s.counts());
        }
      }
      this.indexes = at.stream().mapToInt(Integer::intValue).toArray();
      this.tests = List.copyOf(fns);
    }

    /** Adds 1 to each per-session count that {@code session} passes. */
    void addTo(long[] counts, SessionFacts session) {
      for (int k = 0; k < indexes.length; k++) {
        if (tests.get(k).test(session)) {
          counts[indexes[k]]++;
        }
      }
    }
  }

  private DeclaredCounts() {}
}
