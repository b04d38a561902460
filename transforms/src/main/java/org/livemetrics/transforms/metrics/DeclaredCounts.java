package org.livemetrics.transforms.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.LatencySketch;
import org.livemetrics.schemas.MetricType;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.schemas.SessionFacts;
import org.livemetrics.schemas.family.AudienceFamily;
import org.livemetrics.schemas.family.CountedFields;
import org.livemetrics.schemas.family.MetricFamilyDescription;
import org.livemetrics.schemas.family.MetricFamilyDescription.Accumulation;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;
import org.livemetrics.schemas.family.ViewerQosFamily;
import org.livemetrics.transforms.parse.ParsePlayerEvents;

/**
 * A family's declared counts and sketches ({@link MetricFamilyDescription#countedFields()}, {@link
 * MetricFamilyDescription#sketchedFields()}) resolved once into what its fold runs, so that each
 * is declared in the description and nowhere else: per event type, the counts an event of that
 * type adds to and how much, and the sketches its value goes into; per ended session, the counts
 * it adds 1 to. Indexes are positions in the counts and sketches of the family's partial rows and
 * rows, as the family's {@link CountedFields} gives them.
 */
public final class DeclaredCounts {
  private static final int[] NONE = new int[0]; // before the instances below, which use it
  /** Amounts credited to a sum's overflow key: made-up keys past its bound. */
  private static final Counter KEYS_OVER_BOUND =
      Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, "keyed_sum_keys_over_bound");

  /** The audience counts ({@code ComputeLiveMetrics}). */
  public static final DeclaredCounts AUDIENCE = new DeclaredCounts(AudienceFamily.COUNTED);
  /** The viewer QoS counts ({@code ComputeQosMetrics}, {@code ComputeSessionOutcomes}). */
  public static final DeclaredCounts VIEWER_QOS =
      new DeclaredCounts(ViewerQosFamily.COUNTED);

  private final int size;
  private final int[][] eventIndexes = new int[MetricType.values().length][];
  private final List<List<ToLongFunction<PlayerEvent>>> eventAmounts = new ArrayList<>();
  private final int mostPerEventType;
  private final int[] sessionIndexes;
  private final List<Predicate<SessionFacts>> sessionTests;
  private final List<List<Values>> values = new ArrayList<>();
  private final int sketches;
  private final int[] valueCountIndexes;
  private final ToLongFunction<PlayerEvent>[] distinctKeys;
  private final boolean[] distinctSketched;
  private final List<Accumulation.SumByKey> keyed;
  private final List<List<Integer>> keyedOfType = new ArrayList<>();

  /** A sketch of one event type's values, with the positions of its count and sum. */
  private record Values(Function<PlayerEvent, @Nullable Long> value, int sketch, int count,
      int sum) {}

  private DeclaredCounts(CountedFields family) {
    List<StoredField> counted = family.fields();
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
    List<StoredField> sketched = family.sketchFields();
    this.sketches = sketched.size();
    List<Integer> valueCounts = new ArrayList<>();
    for (MetricType type : MetricType.values()) {
      List<Values> ofType = new ArrayList<>();
      for (int i = 0; i < sketched.size(); i++) {
        Accumulation.PerEventValues v =
            (Accumulation.PerEventValues) sketched.get(i).accumulation();
        if (v.type() == type) {
          ofType.add(new Values(v.value(), i, family.position(v.countField()),
              family.position(v.sumField())));
          valueCounts.add(family.position(v.countField()));
        }
      }
      values.add(List.copyOf(ofType));
    }
    this.valueCountIndexes = toArray(valueCounts);
    List<StoredField> distinct = family.distinctFields();
    @SuppressWarnings("unchecked") // an array of one interface type, filled below
    ToLongFunction<PlayerEvent>[] keys = new ToLongFunction[distinct.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = ((Accumulation.DistinctViewing) distinct.get(i).accumulation()).key();
    }
    this.distinctKeys = keys;
    this.keyed = family.keyedFields().stream()
        .map(f -> (Accumulation.SumByKey) f.accumulation()).toList();
    for (MetricType type : MetricType.values()) {
      List<Integer> sums = new ArrayList<>();
      for (int i = 0; i < keyed.size(); i++) {
        if (keyed.get(i).type() == type) {
          sums.add(i);
        }
      }
      keyedOfType.add(List.copyOf(sums));
    }
    this.distinctSketched = new boolean[distinct.size()];
    for (int i = 0; i < distinct.size(); i++) {
      distinctSketched[i] =
          ((Accumulation.DistinctViewing) distinct.get(i).accumulation()).sketchField() != null;
    }
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

  /** No counts: what a contribution that counts nothing adds to (do not modify). */
  public static int[] none() {
    return NONE;
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

  /** How many sketches of values the family declares: the length of its rows' sketches. */
  public int sketches() {
    return sketches;
  }

  /**
   * Adds {@code e}'s values to the sketches of its type (each created at its first value), and
   * counts and sums them. Returns how many values it added.
   */
  public int addValues(PlayerEvent e, long[] counts, @Nullable KllDoublesSketch[] into) {
    int added = 0;
    for (Values v : values.get(e.metricType.ordinal())) {
      Long value = v.value().apply(e);
      if (value != null) {
        KllDoublesSketch sketch = into[v.sketch()];
        if (sketch == null) {
          sketch = into[v.sketch()] = LatencySketch.newSketch();
        }
        sketch.update(value);
        counts[v.count()]++;
        counts[v.sum()] += value;
        added++;
      }
    }
    return added;
  }

  /** How many values the sketches of a row with these counts hold. */
  public long sketchedValues(long[] counts) {
    long n = 0;
    for (int i : valueCountIndexes) {
      n += counts[i];
    }
    return n;
  }

  /**
   * How many distinct counts the family declares: the key sets of its partial rows, each counted
   * over the events that mark viewing.
   */
  public int distinct() {
    return distinctKeys.length;
  }

  /** A buffer for {@link #keys}. */
  public long[] newKeys() {
    return new long[distinctKeys.length];
  }

  /** {@code e}'s key for each distinct count, into {@code into}. */
  public void keys(PlayerEvent e, long[] into) {
    for (int k = 0; k < into.length; k++) {
      into[k] = distinctKeys[k].applyAsLong(e);
    }
  }

  /** Whether the distinct count at {@code i} also keeps a sketch of its keys. */
  public boolean sketchesKeys(int i) {
    return distinctSketched[i];
  }

  /** How many sums by key the family declares: the maps of its partial rows. */
  public int keyed() {
    return keyed.size();
  }

  /**
   * Adds {@code e}'s amount to its key in each sum by key of its type (none for an amount of 0 or
   * less). Returns how many keys the maps grew by.
   */
  public int addKeyed(PlayerEvent e, List<Map<String, Long>> into) {
    int grown = 0;
    for (int i : keyedOfType.get(e.metricType.ordinal())) {
      Accumulation.SumByKey sum = keyed.get(i);
      long amount = sum.amount().applyAsLong(e);
      if (amount > 0) {
        grown += add(sum, into.get(i), sum.key().apply(e), amount);
      }
    }
    return grown;
  }

  /** Adds every key of {@code from}'s maps to {@code into}'s, within each sum's bound. */
  public void mergeKeyed(List<Map<String, Long>> into, List<Map<String, Long>> from) {
    for (int i = 0; i < keyed.size(); i++) {
      Map<String, Long> map = into.get(i);
      for (Map.Entry<String, Long> e : from.get(i).entrySet()) {
        add(keyed.get(i), map, e.getKey(), e.getValue());
      }
    }
  }

  /**
   * {@code amount} to {@code key}, or to the overflow key when the map holds the sum's bound of
   * keys already and this is not one of them (so a map holds at most the bound and the overflow
   * key). Returns 1 if the map grew.
   */
  private static int add(Accumulation.SumByKey sum, Map<String, Long> map, String key,
      long amount) {
    Long had = map.get(key);
    if (had == null && map.size() >= sum.maxKeys()) {
      KEYS_OVER_BOUND.inc();
      key = sum.overflowKey();
      had = map.get(key);
    }
    map.put(key, had == null ? amount : had + amount);
    return had == null ? 1 : 0;
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
