package org.livemetrics.schemas.family;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.Dimension;
import org.livemetrics.schemas.MetricType;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.schemas.SessionFacts;

/**
 * One metric family declared as data: its name, its stored table (store directory and
 * Elasticsearch index), the columns of its stored row, its dimension sets and, for each metric,
 * its API name, description, unit, per-minute accumulation (in words, with the stored fields it
 * fills) and roll-up (over the rows of a minute and over minutes). A stored count or sketch of
 * values may declare its accumulation as data ({@link StoredField#counts}): the compute transform
 * folds it from that.
 *
 * <p>The three instances ({@link AudienceFamily}, {@link ViewerQosFamily}, {@link
 * BroadcastFamily}) are the one place these things are declared: the typed handles ({@code
 * Metric}, {@code QosMetric}, {@code DimensionSet}, {@code QosDimensionSet}, {@code
 * BroadcastMinute.Scope}) read their names, units and dimensions from here, the query layer its
 * names, dimension sets and messages, the report its labels, and {@code schemas/README.md} its
 * tables ({@link FamilyDocs}), the stored rows their Avro schema ({@link FamilyAvroSchema}) and
 * Elasticsearch index template ({@link FamilyIndexTemplate}), and every store writes a row from
 * its fields' values and reads it back through the family's reader ({@link StoredRow#read},
 * {@link StoredValues}). A test checks that no metric name is spelled anywhere else in production
 * code.
 *
 * @param name the family's identifier ({@code viewer_qos})
 * @param label how messages name it ({@code viewer QoS})
 * @param storeDirectory its table under a store root ({@code qos})
 * @param index its Elasticsearch index prefix and read alias ({@code livemetrics-qos})
 * @param storedRow what its stored row's schemas say about the row as a whole
 * @param storedFields the columns of its stored row, in Avro order
 * @param storedSets the dimension sets its rows are computed and stored for
 * @param querySets the dimension combinations a query may ask for, each answered from one stored
 *     set (a coarser combination rolls the stored rows up)
 * @param metrics its metrics, in catalogue order
 */
public record MetricFamilyDescription(
    String name,
    String label,
    String storeDirectory,
    String index,
    StoredRow storedRow,
    List<StoredField> storedFields,
    List<StoredSet> storedSets,
    List<QuerySet> querySets,
    List<MetricDescription> metrics) {

  public MetricFamilyDescription {
    Objects.requireNonNull(storedRow);
    storedFields = List.copyOf(storedFields);
    storedSets = List.copyOf(storedSets);
    querySets = List.copyOf(querySets);
    metrics = List.copyOf(metrics);
    List<String> fieldNames = storedFields.stream().map(StoredField::name).toList();
    for (MetricDescription m : metrics) {
      for (String f : m.rollup().fields()) {
        if (!fieldNames.contains(f)) {
          throw new IllegalArgumentException(m.apiName() + " reads " + f
              + ", which is not a stored field of " + name);
        }
      }
    }
    for (StoredField f : storedFields) {
      if (f.accumulation() instanceof Accumulation.PerEventValues v) {
        for (String part : List.of(v.countField(), v.sumField())) {
          StoredField field = storedFields.stream().filter(g -> g.name().equals(part))
              .findFirst().orElse(null);
          if (field == null || field.type() != FieldType.LONG || field.accumulation() != null) {
            throw new IllegalArgumentException(f.name() + " counts and sums its values in "
                + part + ", which must be a LONG stored field of " + name
                + " that declares nothing itself");
          }
        }
      }
    }
    for (StoredField f : storedFields) {
      if (f.accumulation() instanceof Accumulation.DistinctViewing d && d.sketchField() != null) {
        StoredField sketch = storedFields.stream().filter(g -> g.name().equals(d.sketchField()))
            .findFirst().orElse(null);
        if (sketch == null || sketch.type() != FieldType.BYTES || sketch.accumulation() != null) {
          throw new IllegalArgumentException(f.name() + " sketches its keys in "
              + d.sketchField() + ", which must be a BYTES stored field of " + name
              + " that declares nothing itself");
        }
      }
    }
    for (QuerySet q : querySets) {
      if (!storedSets.contains(q.answeredFrom())) {
        throw new IllegalArgumentException(q.id() + " of " + name + " is answered from a set "
            + "that is not among its stored sets");
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Parts

  /** How a value means what it means. */
  public enum Unit {
    COUNT("count"),
    /** A share in [0, 1]. */
    RATIO("ratio in [0, 1]"),
    MILLISECONDS("ms"),
    /** Stored in milliseconds (exact sums), reported in seconds. */
    SECONDS("s"),
    /** Seconds per rendition name: an object {@code {"720p": 61.0, ...}}. */
    SECONDS_BY_RENDITION("s per rendition");

    private final String text;

    Unit(String text) {
      this.text = text;
    }

    /** As the docs write it. */
    public String text() {
      return text;
    }
  }

  /**
   * The type of a stored column, which decides how Avro and Elasticsearch hold it ({@link
   * FamilyAvroSchema}, {@link FamilyIndexTemplate}).
   */
  public enum FieldType {
    /** Avro string; Elasticsearch keyword. */
    STRING,
    /** Absent on the rows of some dimension sets: Avro ["null", "string"], default null. */
    OPTIONAL_STRING,
    /** Avro long; Elasticsearch long. */
    LONG,
    /** Epoch milliseconds: Avro timestamp-millis, Elasticsearch date (epoch_millis). */
    TIMESTAMP_MILLIS,
    /** A serialized sketch: Avro bytes; Elasticsearch binary (base64), not indexed. */
    BYTES,
    /** Name to long (rendition name to ms), kept whole: Elasticsearch keeps it in _source only. */
    MAP_OF_LONG
  }

  /**
   * A column of the stored row. The Avro schema ({@link FamilyAvroSchema}) and the Elasticsearch
   * mapping ({@link FamilyIndexTemplate}) are generated from these.
   *
   * @param name its Avro (Parquet) name
   * @param type its type
   * @param elasticsearchName its name in Elasticsearch documents; null: not stored there
   * @param doc what it holds, written into the Avro schema; null: nothing to add to its name
   * @param zeroByDefault files written before the column existed lack it: Avro gives it the
   *     default 0, so those files still read (every column added to a stored row needs it; an
   *     {@link FieldType#OPTIONAL_STRING} column always defaults to null)
   * @param value its value in a row, as its type holds it ({@code String}, {@code Long}, {@code
   *     byte[]}, {@code Map<String, Long>}); the writers of Parquet rows and Elasticsearch
   *     documents write what it gives. Null for {@code version}, the write's, not the row's
   */
  public record StoredField(String name, FieldType type, @Nullable String elasticsearchName,
      @Nullable String doc, boolean zeroByDefault, @Nullable Function<Object, ?> value,
      @Nullable Accumulation accumulation) {
    public StoredField {
      Objects.requireNonNull(name);
      Objects.requireNonNull(type);
      if (zeroByDefault && type != FieldType.LONG) {
        throw new IllegalArgumentException(name + ": only a LONG column defaults to 0");
      }
      if (accumulation instanceof Accumulation.PerEventValues) {
        if (type != FieldType.BYTES) {
          throw new IllegalArgumentException(name + ": only a BYTES column holds a sketch");
        }
      } else if (accumulation instanceof Accumulation.SumByKey) {
        if (type != FieldType.MAP_OF_LONG) {
          throw new IllegalArgumentException(name + ": only a MAP_OF_LONG column holds sums by key");
        }
      } else if (accumulation != null && type != FieldType.LONG) {
        throw new IllegalArgumentException(name + ": only a LONG column is a declared count");
      }
    }

    /** A column stored under the same name in Parquet and Elasticsearch. */
    public static StoredField of(String name, FieldType type) {
      return new StoredField(name, type, name, null, false, null, null);
    }

    /** This column named {@code elasticsearchName} in Elasticsearch documents. */
    public StoredField inElasticsearchAs(String elasticsearchName) {
      return new StoredField(name, type, elasticsearchName, doc, zeroByDefault, value,
          accumulation);
    }

    /** This column in Parquet only. */
    public StoredField notInElasticsearch() {
      return new StoredField(name, type, null, doc, zeroByDefault, value, accumulation);
    }

    /** This column with its doc. */
    public StoredField doc(String doc) {
      return new StoredField(name, type, elasticsearchName, doc, zeroByDefault, value,
          accumulation);
    }

    /** This column's value in a row ({@code (QosMinute q) -> q.concurrentSessions}). */
    @SuppressWarnings("unchecked") // a family's writers pass only rows of its own row class
    public <R> StoredField value(Function<R, ?> value) {
      return new StoredField(name, type, elasticsearchName, doc, zeroByDefault,
          (Function<Object, ?>) (Function<?, ?>) value, accumulation);
    }

    /** This column read as 0 from files written without it. */
    public StoredField defaultsToZero() {
      return new StoredField(name, type, elasticsearchName, doc, true, value, accumulation);
    }

    /**
     * This column a count (a LONG column: {@link Accumulation.PerEvent}, {@link
     * Accumulation.PerSession}, {@link Accumulation.DistinctViewing}), sums by key (a MAP_OF_LONG
     * column: {@link Accumulation.SumByKey}) or a sketch of values (a BYTES column: {@link
     * Accumulation.PerEventValues}) that the compute transform accumulates per minute as {@code
     * accumulation} says, with no code of its own (the family's {@link #countedFields()} and
     * {@link #sketchedFields()}, {@link #distinctFields()}, {@link #keyedFields()}).
     */
    public StoredField counts(Accumulation accumulation) {
      return new StoredField(name, type, elasticsearchName, doc, zeroByDefault, value,
          Objects.requireNonNull(accumulation));
    }
  }

  /**
   * How a declared count ({@link StoredField#counts}) accumulates within its minute. The compute
   * transform of the family folds every count from these alone, and its partial rows and rows hold
   * the counts as one array in the order of {@link #countedFields()}.
   */
  public sealed interface Accumulation {
    /**
     * Σ {@code amount} over the player events of one type, in the minute of each event's
     * event_time.
     */
    record PerEvent(MetricType type, ToLongFunction<PlayerEvent> amount)
        implements Accumulation {
      public PerEvent {
        Objects.requireNonNull(type);
        Objects.requireNonNull(amount);
      }
    }

    /**
     * The viewing sessions that {@code counts} holds for, each once, in the minute of its last
     * event (a session ends at its STOP or after {@code --sessionGap} without events).
     */
    record PerSession(Predicate<SessionFacts> counts) implements Accumulation {
      public PerSession {
        Objects.requireNonNull(counts);
      }
    }

    /**
     * Σ {@code amount} by {@code key} over the player events of one type, in the minute of each
     * event (an amount of 0 or less adds no key). A row holds at most {@code maxKeys} keys: any
     * further key's amounts go to {@code overflowKey}, so made-up keys cannot grow a row without
     * bound, and the total stays exact.
     */
    record SumByKey(MetricType type, Function<PlayerEvent, String> key,
        ToLongFunction<PlayerEvent> amount, int maxKeys, String overflowKey)
        implements Accumulation {
      public SumByKey {
        Objects.requireNonNull(type);
        Objects.requireNonNull(key);
        Objects.requireNonNull(amount);
        Objects.requireNonNull(overflowKey);
        if (maxKeys < 1) {
          throw new IllegalArgumentException("a sum by key keeps at least one key");
        }
      }
    }

    /**
     * The distinct keys of the player events that mark viewing in the minute, counted exactly:
     * every event but an IMPRESSION marks its own minute, and a PLAYBACK_SUMMARY also the minutes
     * its playing span reaches back into (the viewing rule, clamped at {@code --maxSummarySpan}).
     * With a {@code sketchField}, a Theta sketch of the keys too (a BYTES column that declares
     * nothing itself), so unique totals over any range can be answered from the rows.
     */
    record DistinctViewing(ToLongFunction<PlayerEvent> key, @Nullable String sketchField)
        implements Accumulation {
      public DistinctViewing {
        Objects.requireNonNull(key);
      }
    }

    /**
     * The values of one event type's events that carry one ({@code value} not null), in the
     * minute of each event: a KLL sketch of them (the BYTES column that declares it), how many
     * there were ({@code countField}) and their sum ({@code sumField}), two LONG columns that
     * declare nothing themselves.
     */
    record PerEventValues(MetricType type, Function<PlayerEvent, @Nullable Long> value,
        String countField, String sumField) implements Accumulation {
      public PerEventValues {
        Objects.requireNonNull(type);
        Objects.requireNonNull(value);
        Objects.requireNonNull(countField);
        Objects.requireNonNull(sumField);
      }
    }
  }

  /**
   * What the stored row's schemas say about the row as a whole.
   *
   * @param avroName the Avro record's name (namespace {@code org.livemetrics}), as the files
   *     written so far carry it
   * @param doc the Avro record's doc
   * @param indexDescription the index template's {@code _meta.description}
   * @param templateVersion the index template's {@code version}: raise it when the mapping changes
   * @param read the row its stored values make, the inverse of the stored fields' {@link
   *     StoredField#value}s: how every store (Parquet files, Elasticsearch documents) reads it back
   */
  public record StoredRow(String avroName, String doc, String indexDescription,
      int templateVersion, Function<StoredValues, ?> read) {
    public StoredRow {
      Objects.requireNonNull(avroName);
      Objects.requireNonNull(doc);
      Objects.requireNonNull(indexDescription);
      Objects.requireNonNull(read);
    }
  }

  /**
   * A dimension set rows are computed and stored for (always also by account where the family
   * has accounts).
   *
   * @param handle the typed constant code uses for it
   * @param dimensions its dimensions, in the order its id and answers list them
   * @param id as stored with the row and written in {@code dimensions}: {@code
   *     video,client_platform} (kept, since rows ask for it per row)
   */
  public record StoredSet(Enum<?> handle, List<Dimension> dimensions, String id) {
    public StoredSet {
      dimensions = List.copyOf(dimensions);
      if (!id.equals(idOf(dimensions))) {
        throw new IllegalArgumentException(id + " is not the id of " + dimensions);
      }
    }

    public StoredSet(Enum<?> handle, List<Dimension> dimensions) {
      this(handle, dimensions, idOf(dimensions));
    }
  }

  /**
   * A dimension combination a query may ask for.
   *
   * @param dimensions in the order answers list them
   * @param answeredFrom the stored set whose rows answer it (rolled up over the dimensions not
   *     asked for)
   */
  public record QuerySet(List<Dimension> dimensions, StoredSet answeredFrom) {
    public QuerySet {
      dimensions = List.copyOf(dimensions);
      if (!answeredFrom.dimensions().containsAll(dimensions)) {
        throw new IllegalArgumentException(idOf(dimensions) + " cannot be answered from "
            + answeredFrom.id());
      }
    }

    /** {@code video,client_platform}; {@code (none)} for the roll-up of everything. */
    public String id() {
      return dimensions.isEmpty() ? "(none)" : idOf(dimensions);
    }
  }

  /**
   * How a metric combines the stored rows of a minute and of a range. Each names the stored fields
   * it reads.
   */
  public sealed interface Rollup {
    /** The stored fields it reads. */
    List<String> fields();

    /** In words, for the docs. */
    String text();

    /** Additive: summed over rows and minutes. */
    record Sum(String field) implements Rollup {
      public List<String> fields() {
        return List.of(field);
      }

      public String text() {
        return "sum";
      }
    }

    /** A level: the rows of a minute add up (disjoint), a range takes the highest minute. */
    record Peak(String field) implements Rollup {
      public List<String> fields() {
        return List.of(field);
      }

      public String text() {
        return "peak of the per-minute sums";
      }
    }

    /** Σ numerator / Σ denominators over all rows, never a mean of ratios. */
    record Ratio(String numerator, List<String> denominator) implements Rollup {
      public Ratio {
        denominator = List.copyOf(denominator);
      }

      public List<String> fields() {
        List<String> f = new ArrayList<>(List.of(numerator));
        denominator.stream().filter(d -> !d.equals(numerator)).forEach(f::add);
        return f;
      }

      public String text() {
        return "Σ " + numerator + " / Σ (" + String.join(" + ", denominator) + ")";
      }
    }

    /** Σ sum / Σ count over all rows. */
    record Mean(String sum, String count) implements Rollup {
      public List<String> fields() {
        return List.of(sum, count);
      }

      public String text() {
        return "Σ " + sum + " / Σ " + count;
      }
    }

    /** A quantile of the union of the rows' KLL sketches. */
    record Quantile(String sketch, double rank) implements Rollup {
      public List<String> fields() {
        return List.of(sketch);
      }

      public String text() {
        return "rank " + rank + " of the merged " + sketch;
      }
    }

    /** Summed per key of a map (per rendition name). */
    record PerKeySum(String field) implements Rollup {
      public List<String> fields() {
        return List.of(field);
      }

      public String text() {
        return "sum per rendition";
      }
    }

    /**
     * A distinct count: a bucket takes the highest per-minute exact count, a whole range the
     * distinct count of the union of the rows' Theta sketches.
     */
    record Distinct(String field, String sketch) implements Rollup {
      public List<String> fields() {
        return List.of(field, sketch);
      }

      public String text() {
        return "bucket: max of the minutes; range: distinct of the merged " + sketch;
      }
    }
  }

  /**
   * One metric.
   *
   * @param handle the typed constant code uses for it ({@code QosMetric.BUFFER_RATIO})
   * @param apiName its name in queries, answers and reports
   * @param description one line, for messages and the report
   * @param unit what its values mean
   * @param accumulation what a minute's row accumulates for it, in words
   * @param rollup how rows combine
   * @param reportLabel its label in the XLSX report; null where the report does not show it
   */
  public record MetricDescription(Enum<?> handle, String apiName, String description, Unit unit,
      String accumulation, Rollup rollup, @Nullable String reportLabel) {
    public MetricDescription {
      Objects.requireNonNull(handle);
      Objects.requireNonNull(apiName);
      Objects.requireNonNull(description);
      Objects.requireNonNull(unit);
      Objects.requireNonNull(accumulation);
      Objects.requireNonNull(rollup);
    }

    /** The normalized rank of a quantile; NaN for any other roll-up. */
    public double rank() {
      return rollup instanceof Rollup.Quantile q ? q.rank() : Double.NaN;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Look-ups

  /**
   * The row that stored values hold, as {@code type} (the family's row class).
   *
   * @throws IllegalArgumentException naming a field that is missing or malformed
   */
  public <R> R readRow(StoredValues values, Class<R> type) {
    return type.cast(storedRow.read().apply(values));
  }

  /**
   * Whether two rows of the family hold the same stored values, field by field (sketch bytes byte
   * for byte): the rows' {@code equals}, so a field added to the description is compared without
   * another line.
   */
  public boolean sameStoredValues(Object row, Object other) {
    for (StoredField f : storedFields) {
      if (f.value() != null
          && !Objects.deepEquals(f.value().apply(row), f.value().apply(other))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The declared counts, in the order of the stored fields: the LONG columns that declare a count
   * ({@link StoredField#counts}) and those a sketch of values counts and sums its values in. The
   * order the compute transform's partial rows and the rows hold them in.
   */
  public List<StoredField> countedFields() {
    Set<String> valueCounts = new HashSet<>();
    for (StoredField f : storedFields) {
      if (f.accumulation() instanceof Accumulation.PerEventValues v) {
        valueCounts.add(v.countField());
        valueCounts.add(v.sumField());
      }
    }
    return storedFields.stream().filter(f -> f.type() == FieldType.LONG
        && (f.accumulation() instanceof Accumulation.PerEvent
            || f.accumulation() instanceof Accumulation.PerSession
            || valueCounts.contains(f.name()))).toList();
  }

  /**
   * The declared sums by key ({@link Accumulation.SumByKey}), in the order of the stored fields:
   * the order the partial rows hold their maps in.
   */
  public List<StoredField> keyedFields() {
    return storedFields.stream()
        .filter(f -> f.accumulation() instanceof Accumulation.SumByKey).toList();
  }

  /**
   * The declared distinct counts ({@link Accumulation.DistinctViewing}), in the order of the
   * stored fields: the order the partial rows hold their key sets in.
   */
  public List<StoredField> distinctFields() {
    return storedFields.stream()
        .filter(f -> f.accumulation() instanceof Accumulation.DistinctViewing).toList();
  }

  /**
   * The declared sketches of values ({@link Accumulation.PerEventValues}), in the order of the
   * stored fields: the order the partial rows and the rows hold them in.
   */
  public List<StoredField> sketchedFields() {
    return storedFields.stream()
        .filter(f -> f.accumulation() instanceof Accumulation.PerEventValues).toList();
  }

  /** Its metrics' API names, in catalogue order. */
  public List<String> metricNames() {
    return metrics.stream().map(MetricDescription::apiName).toList();
  }

  public Optional<MetricDescription> metric(String apiName) {
    return metrics.stream().filter(m -> m.apiName().equals(apiName)).findFirst();
  }

  /** The description of a metric handle of this family. */
  public MetricDescription metric(Enum<?> handle) {
    for (MetricDescription m : metrics) {
      if (m.handle() == handle) {
        return m;
      }
    }
    throw new IllegalArgumentException(handle + " is not a metric of " + name);
  }

  /** The stored set of a dimension-set handle of this family. */
  public StoredSet storedSet(Enum<?> handle) {
    for (StoredSet s : storedSets) {
      if (s.handle() == handle) {
        return s;
      }
    }
    throw new IllegalArgumentException(handle + " is not a dimension set of " + name);
  }

  public Optional<StoredField> storedField(String name) {
    return storedFields.stream().filter(f -> f.name().equals(name)).findFirst();
  }

  /** The query combinations' dimensions, in the order messages list them. */
  public List<List<Dimension>> queryDimensionSets() {
    return querySets.stream().map(QuerySet::dimensions).toList();
  }

  /** The query combination with exactly these dimensions, in any order. */
  public Optional<QuerySet> querySet(List<Dimension> dimensions) {
    return querySets.stream()
        .filter(q -> q.dimensions().size() == dimensions.size()
            && new HashSet<>(q.dimensions()).equals(new HashSet<>(dimensions)))
        .findFirst();
  }

  /** {@code (none) | client_platform | video | video,client_platform}: for messages. */
  public String querySetsText() {
    return querySets.stream().map(QuerySet::id).collect(Collectors.joining(" | "));
  }

  /** Every dimension some query combination has, in first-seen order. */
  public List<Dimension> dimensions() {
    Map<Dimension, Boolean> seen = new LinkedHashMap<>();
    querySets.forEach(q -> q.dimensions().forEach(d -> seen.put(d, true)));
    return List.copyOf(seen.keySet());
  }

  static String idOf(List<Dimension> dimensions) {
    return dimensions.stream().map(Dimension::apiName).collect(Collectors.joining(","));
  }
}
