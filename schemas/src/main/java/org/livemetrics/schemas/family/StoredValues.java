package org.livemetrics.schemas.family;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.family.MetricFamilyDescription.FieldType;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;

/**
 * The values of one stored row as its family's reader ({@link
 * MetricFamilyDescription.StoredRow#read}) sees them: each by its stored field's name, as the
 * field's type holds it, whatever the store (a Parquet file's Avro record, an Elasticsearch
 * document). Each store's form implements the accessors to the contracts below, which say what an
 * absent value means (with the field's declaration: {@link StoredField#defaultsToZero()}), the same
 * for every store; a missing or malformed value is an {@link IllegalArgumentException} that names
 * the field.
 */
public abstract class StoredValues {
  /**
   * Each family's fields by name, made once: a reader asks for every field of every row it reads,
   * and a search of the description's list for each made reading rows about seven times slower
   * than the hand-written readers it replaced (benchmarks/README.md). An immutable map replaced whole when a family is added, keyed by identity (a
   * description's own hashCode would hash all of it).
   */
  private static volatile Map<MetricFamilyDescription, Map<String, StoredField>> indexes =
      new IdentityHashMap<>();

  protected final MetricFamilyDescription family;
  private final Map<String, StoredField> fields;

  protected StoredValues(MetricFamilyDescription family) {
    this.family = family;
    this.fields = index(family);
  }

  private static Map<String, StoredField> index(MetricFamilyDescription family) {
    Map<String, StoredField> index = indexes.get(family);
    if (index != null) {
      return index;
    }
    synchronized (StoredValues.class) {
      Map<MetricFamilyDescription, Map<String, StoredField>> all = new IdentityHashMap<>(indexes);
      index = all.computeIfAbsent(family, f -> {
        Map<String, StoredField> byName = new HashMap<>();
        f.storedFields().forEach(field -> byName.put(field.name(), field));
        return java.util.Collections.unmodifiableMap(byName);
      });
      indexes = all;
      return index;
    }
  }

  /** A {@link FieldType#STRING} value. */
  public abstract String text(String field);

  /** An {@link FieldType#OPTIONAL_STRING} value: null where the row has none. */
  public abstract @Nullable String optionalText(String field);

  /**
   * A {@link FieldType#LONG} or {@link FieldType#TIMESTAMP_MILLIS} value; 0 where a field
   * declared {@link StoredField#defaultsToZero()} is absent (a row stored before it existed).
   */
  public abstract long number(String field);

  /** A {@link FieldType#BYTES} value; empty where absent (a sketch a reader left out). */
  public abstract byte[] bytes(String field);

  /** A {@link FieldType#MAP_OF_LONG} value, sorted by key; empty where absent. */
  public abstract Map<String, Long> longs(String field);

  /** The handle of the stored set whose id the field holds ({@code dimensions}). */
  public final <E extends Enum<E>> E storedSet(String field, Class<E> handleType) {
    String id = text(field);
    for (MetricFamilyDescription.StoredSet s : family.storedSets()) {
      if (s.id().equals(id)) {
        return handleType.cast(s.handle());
      }
    }
    throw new IllegalArgumentException("unknown " + storedName(declared(field)) + " '" + id + "'");
  }

  /** The field's name in this store, for messages. */
  protected abstract String storedName(StoredField field);

  /**
   * The declaration of a field the reader asks for, checked against the type it asks for: a
   * reader asking for a field its family does not store, or as another type, is a programming
   * error.
   */
  protected final StoredField field(String name, FieldType... types) {
    StoredField f = declared(name);
    for (FieldType t : types) {
      if (f.type() == t) {
        return f;
      }
    }
    throw new IllegalStateException(family.name() + "'s " + name + " is " + f.type()
        + ", not " + java.util.Arrays.toString(types));
  }

  private StoredField declared(String name) {
    StoredField f = fields.get(name);
    if (f == null) {
      throw new IllegalStateException(name + " is not a stored field of " + family.name());
    }
    return f;
  }
}
