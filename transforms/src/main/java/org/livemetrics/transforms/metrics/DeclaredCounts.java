package org.livemetrics.transforms.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.livemetrics.schemas.MetricType;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.schemas.SessionFacts;
import org.livemetrics.schemas.family.AudienceFamily;
import org.livemetrics.schemas.family.MetricFamilyDescription;
import org.livemetrics.schemas.family.MetricFamilyDescription.Accumulation;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;
import org.livemetrics.schemas.family.ViewerQosFamily;

/**
 * A family's declared counts ({@link MetricFamilyDescription#countedFields()}) resolved once into
 * what its fold runs, so that a count is declared in the description and nowhere else: per event
 * type, the counts an event of that type adds to and how much; per ended session, the counts it
 * adds 1 to. Indexes are positions in the counts of the family's partial rows and rows.
 */
public final class DeclaredCounts {
  private static final int[] NONE = new int[0]; // before the instances below, which use it

  /** The audience counts ({@code ComputeLiveMetrics}). */
  public static final DeclaredCounts AUDIENCE = new DeclaredCounts(AudienceFamily.DESCRIPTION);
  /** The viewer QoS counts ({@code ComputeQosMetrics}, {@code ComputeSessionOutcomes}). */
  public static final DeclaredCounts VIEWER_QOS =
      new DeclaredCounts(ViewerQosFamily.DESCRIPTION);

  private final int size;
  private final int[][] eventIndexes = new int[MetricType.values().length][];
  private final List<List<ToLongFunction<PlayerEvent>>> eventAmounts = new ArrayList<>();
  private final int mostPerEventType;
  private final int[] sessionIndexes;
  private final List<Predicate<SessionFacts>> sessionTests;

  private DeclaredCounts(MetricFamilyDescription family) {
    List<StoredField> counted = family.countedFields();
    this.size = counted.size();
    int most = 0;
    for (MetricType type : MetricType.values()) {
      List<Integer> at = new ArrayList<>();
      List<ToLongFunction<PlayerEvent>> amounts = new ArrayList<>();
      for (int i = 0; i < counted.size(); i++) {
        if (counted.get(i).accumulation() instanceof Accumulation.PerEvent e
            && e.type() == type) {
          at.add(i);
          amounts.add(e.amount());
        }
      }
      eventIndexes[type.ordinal()] = at.isEmpty() ? NONE : toArray(at);
      eventAmounts.add(List.copyOf(amounts));
      most = Math.max(most, at.size());
    }
    this.mostPerEventType = most;
    List<Integer> at = new ArrayList<>();
    List<Predicate<SessionFacts>> tests = new ArrayList<>();
    for (int i = 0; i < counted.size(); i++) {
      if (counted.get(i).accumulation() instanceof Accumulation.PerSession s) {
        at.add(i);
        tests.add(s.counts());
      }
    }
    this.sessionIndexes = toArray(at);
    this.sessionTests = List.copyOf(tests);
  }

  private static int[] toArray(List<Integer> ints) {
    return ints.stream().mapToInt(Integer::intValue).toArray();
  }

  /** How many counts the family declares: the length of its rows' counts. */
  public int size() {
    return size;
  }

  /** The counts an event of {@code type} adds to (empty: none); do not modify. */
  public int[] indexes(MetricType type) {
    return eventIndexes[type.ordinal()];
  }

  /** A buffer for {@link #amounts}: as long as the most counts one event type adds to. */
  public long[] newAmounts() {
    return new long[mostPerEventType];
  }

  /** What {@code e} adds to each of {@link #indexes}{@code (e.metricType)}, into {@code into}. */
  public void amounts(PlayerEvent e, long[] into) {
    List<ToLongFunction<PlayerEvent>> fns = eventAmounts.get(e.metricType.ordinal());
    for (int k = 0; k < fns.size(); k++) {
      into[k] = fns.get(k).applyAsLong(e);
    }
  }

  /** Adds 1 to each per-session count whose test {@code session} passes. */
  public void addSession(long[] counts, SessionFacts session) {
    for (int k = 0; k < sessionIndexes.length; k++) {
      if (sessionTests.get(k).test(session)) {
        counts[sessionIndexes[k]]++;
      }
    }
  }
}
