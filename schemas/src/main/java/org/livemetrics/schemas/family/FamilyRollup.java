package org.livemetrics.schemas.family;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;
import org.livemetrics.schemas.LatencySketch;
import org.livemetrics.schemas.family.MetricFamilyDescription.FieldType;
import org.livemetrics.schemas.family.MetricFamilyDescription.MetricDescription;
import org.livemetrics.schemas.family.MetricFamilyDescription.Rollup;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;

/**
 * Stored rows of one family combined as its metrics' declared {@link Rollup}s say: how the query
 * layer answers a bucket or a range. It reads each row through its stored fields' values, so
 * nothing here names a metric or a field: a metric whose roll-up reads stored fields is answered
 * from its description alone.
 *
 * <p>Each field is combined once, as the roll-ups that read it need: a {@code LONG} field that a
 * {@link Rollup.Sum}, {@link Rollup.Ratio} or {@link Rollup.Mean} reads is summed, one a {@link
 * Rollup.Peak} reads is summed per minute, a sketch a {@link Rollup.Quantile} reads is merged (KLL,
 * {@link LatencySketch}), a map a {@link Rollup.PerKeySum} reads is summed per key. {@link
 * Rollup.Distinct} (the audience family's Theta sketches) is the audience query engine's.
 *
 * <p>Feed it rows of one stored set: a coarser set's row already contains its finer rows, and
 * mixing them would count them twice.
 */
public final class FamilyRollup {
  private final MetricFamilyDescription family;
  private final Plan plan;
  private long rows;
  private final long[] sums;
  /** Minute start to the sums of the peak fields in that minute. */
  private final SortedMap<Long, long[]> perMinute = new TreeMap<>();
  private final LatencySketch.Merger[] sketches;
  private final List<SortedMap<String, Long>> perKey;

  private FamilyRollup(MetricFamilyDescription family) {
    this.family = family;
    this.plan = Plan.of(family);
    this.sums = new long[plan.summed.size()];
    this.sketches = new LatencySketch.Merger[plan.sketches.size()];
    for (int i = 0; i < sketches.length; i++) {
      sketches[i] = LatencySketch.merger();
    }
    this.perKey = new ArrayList<>();
    for (int i = 0; i < plan.maps.size(); i++) {
      perKey.add(new TreeMap<>());
    }
  }

  /** An empty roll-up of the family's rows. */
  public static FamilyRollup of(MetricFamilyDescription family) {
    return new FamilyRollup(family);
  }

  /** The family's rows combined. */
  public static FamilyRollup of(MetricFamilyDescription family, Iterable<?> rows) {
    FamilyRollup r = new FamilyRollup(family);
    for (Object row : rows) {
      r.add(row);
    }
    return r;
  }

  /** Adds one row of the family's row class. */
  @SuppressWarnings("unchecked") // a MAP_OF_LONG field's value is a Map<String, Long>
  public FamilyRollup add(Object row) {
    rows++;
    for (int i = 0; i < sums.length; i++) {
      sums[i] += number(plan.summed.get(i), row);
    }
    if (!plan.peaks.isEmpty()) {
      long[] minute = perMinute.computeIfAbsent(number(plan.minute, row),
          m -> new long[plan.peaks.size()]);
      for (int i = 0; i < minute.length; i++) {
        minute[i] += number(plan.peaks.get(i), row);
      }
    }
    for (int i = 0; i < sketches.length; i++) {
      sketches[i].add((byte[]) plan.sketches.get(i).value().apply(row));
    }
    for (int i = 0; i < perKey.size(); i++) {
      SortedMap<String, Long> into = perKey.get(i);
      ((Map<String, Long>) plan.maps.get(i).value().apply(row))
          .forEach((k, v) -> into.merge(k, v, Long::sum));
    }
    return this;
  }

  private static long number(StoredField f, Object row) {
    return ((Number) f.value().apply(row)).longValue();
  }

  /** How many rows were combined. */
  public long rows() {
    return rows;
  }

  /** Σ of a summed field over the rows. */
  public long sum(String field) {
    return sums[plan.summed.slot(field)];
  }

  /** The per-minute sums of a peak field, by minute start. */
  public SortedMap<Long, Long> perMinute(String field) {
    int slot = plan.peaks.slot(field);
    SortedMap<Long, Long> m = new TreeMap<>();
    perMinute.forEach((minute, values) -> m.put(minute, values[slot]));
    return Collections.unmodifiableSortedMap(m);
  }

  /** The highest per-minute sum of a peak field; 0 without rows. */
  public long peak(String field) {
    int slot = plan.peaks.slot(field);
    long peak = 0;
    for (long[] values : perMinute.values()) {
      peak = Math.max(peak, values[slot]);
    }
    return peak;
  }

  /** A merged sketch field: its union, where the quantiles are read. */
  public LatencySketch.Merger sketch(String field) {
    return sketches[plan.sketches.slot(field)];
  }

  /** A map field summed per key, sorted by key. */
  public SortedMap<String, Long> perKey(String field) {
    return Collections.unmodifiableSortedMap(perKey.get(plan.maps.slot(field)));
  }

  /** A metric of the family by its handle ({@code QosMetric.BUFFER_RATIO}). */
  public OptionalDouble value(Enum<?> handle) {
    return value(family.metric(handle));
  }

  /**
   * A metric's value over the rows, in its stored unit (milliseconds where it stores them); empty
   * when the rows hold nothing to compute it from (a ratio of nothing, a mean or quantile of no
   * values): "no data" is not 0. A sum or peak of no rows is 0.
   *
   * @throws IllegalArgumentException for a per-key metric ({@link #perKey}) or a distinct count
   */
  public OptionalDouble value(MetricDescription m) {
    Rollup r = m.rollup();
    if (r instanceof Rollup.Sum s) {
      return OptionalDouble.of(sum(s.field()));
    } else if (r instanceof Rollup.Peak p) {
      return OptionalDouble.of(peak(p.field()));
    } else if (r instanceof Rollup.Ratio ratio) {
      long whole = 0;
      for (String d : ratio.denominator()) {
        whole += sum(d);
      }
      return share(sum(ratio.numerator()), whole);
    } else if (r instanceof Rollup.Mean mean) {
      return share(sum(mean.sum()), sum(mean.count()));
    } else if (r instanceof Rollup.Quantile q) {
      Double v = sketch(q.sketch()).quantile(q.rank());
      return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }
    throw new IllegalArgumentException(m.apiName() + " is not a single number of "
        + family.label() + " rows (" + r.text() + ")");
  }

  /** Σ part / Σ whole over all rows, never a mean of per-row shares; empty without a whole. */
  private static OptionalDouble share(long part, long whole) {
    return whole == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) part / whole);
  }

  /** Which stored fields a family's roll-ups read, and how: made once per family. */
  private static final class Plan {
    private static final Map<MetricFamilyDescription, Plan> PLANS =
        Collections.synchronizedMap(new IdentityHashMap<>());

    final Fields summed = new Fields("summed");
    final Fields peaks = new Fields("summed per minute");
    final Fields sketches = new Fields("merged as a sketch");
    final Fields maps = new Fields("summed per key");
    final StoredField minute;

    static Plan of(MetricFamilyDescription family) {
      return PLANS.computeIfAbsent(family, Plan::new);
    }

    private Plan(MetricFamilyDescription family) {
      StoredField minuteField = null;
      for (StoredField f : family.storedFields()) {
        if (f.type() == FieldType.TIMESTAMP_MILLIS) {
          minuteField = f;
        }
      }
      this.minute = minuteField;
      for (MetricDescription m : family.metrics()) {
        Rollup r = m.rollup();
        if (r instanceof Rollup.Peak p) {
          if (minute == null || minute.value() == null) {
            throw new IllegalArgumentException(family.name() + " has a peak (" + m.apiName()
                + ") but no minute field");
          }
          peaks.use(family, m, p.field(), FieldType.LONG);
        } else if (r instanceof Rollup.Quantile q) {
          sketches.use(family, m, q.sketch(), FieldType.BYTES);
        } else if (r instanceof Rollup.PerKeySum s) {
          maps.use(family, m, s.field(), FieldType.MAP_OF_LONG);
        } else if (!(r instanceof Rollup.Distinct)) {
          for (String f : r.fields()) {
            summed.use(family, m, f, FieldType.LONG);
          }
        }
      }
    }
  }

  /** The fields combined one way, each in its slot. */
  private static final class Fields {
    private final String how;
    private final List<StoredField> fields = new ArrayList<>();
    private final Map<String, Integer> slots = new HashMap<>();

    Fields(String how) {
      this.how = how;
    }

    void use(MetricFamilyDescription family, MetricDescription m, String name, FieldType type) {
      StoredField f = family.storedField(name).orElseThrow();
      if (f.type() != type || f.value() == null) {
        throw new IllegalArgumentException(m.apiName() + " of " + family.name() + " reads "
            + name + " as a " + type + " with a value in the row; it is a " + f.type());
      }
      if (slots.putIfAbsent(name, fields.size()) == null) {
        fields.add(f);
      }
    }

    int size() {
      return fields.size();
    }

    boolean isEmpty() {
      return fields.isEmpty();
    }

    StoredField get(int slot) {
      return fields.get(slot);
    }

    int slot(String name) {
      Integer slot = slots.get(name);
      if (slot == null) {
        throw new IllegalArgumentException(name + " is not " + how + " by any metric's roll-up");
      }
      return slot;
    }
  }
}
