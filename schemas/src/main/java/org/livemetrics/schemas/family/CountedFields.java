package org.livemetrics.schemas.family;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;

/**
 * A family's declared counts, sketches, distinct counts and sums by key ({@link
 * MetricFamilyDescription#countedFields()}, {@link MetricFamilyDescription#sketchedFields()},
 * {@link MetricFamilyDescription#distinctFields()}, {@link MetricFamilyDescription#keyedFields()})
 * and where each sits in the arrays its rows, partial rows and coders hold them in: the one place
 * those positions come from. Each family makes one ({@code AudienceFamily.COUNTED}, {@code
 * ViewerQosFamily.COUNTED}).
 */
public final class CountedFields {
  private final Kind counts;
  private final Kind sketches;
  private final Kind distinct;
  private final Kind keyed;

  /** The fields of one kind, in the order rows hold them, and their positions by name. */
  private static final class Kind {
    final List<StoredField> fields;
    final List<String> names;
    final Map<String, Integer> positions = new HashMap<>();
    /** How a refusal names the kind and its rows: "a sketch of viewer QoS rows". */
    final String what;

    Kind(List<StoredField> fields, String what) {
      this.fields = fields;
      this.names = fields.stream().map(StoredField::name).toList();
      for (String name : names) {
        positions.put(name, positions.size());
      }
      this.what = what;
    }

    int position(String field) {
      Integer i = positions.get(field);
      if (i == null) {
        throw new IllegalArgumentException(field + " is not " + what + "; they are " + names);
      }
      return i;
    }
  }

  public CountedFields(MetricFamilyDescription family) {
    String rows = family.label() + " rows";
    this.counts = new Kind(family.countedFields(), "a count of " + rows);
    this.sketches = new Kind(family.sketchedFields(), "a sketch of " + rows);
    this.distinct = new Kind(family.distinctFields(), "a distinct count of " + rows);
    this.keyed = new Kind(family.keyedFields(), "a sum by key of " + rows);
  }

  /** The counted fields, in the order rows hold them. */
  public List<StoredField> fields() {
    return counts.fields;
  }

  /** The sketched fields, in the order rows hold them. */
  public List<StoredField> sketchFields() {
    return sketches.fields;
  }

  /** The distinct counts' fields, in the order rows and partial rows hold them. */
  public List<StoredField> distinctFields() {
    return distinct.fields;
  }

  /** The sums by key's fields, in the order rows and partial rows hold their maps. */
  public List<StoredField> keyedFields() {
    return keyed.fields;
  }

  /** The counts' stored names, in the order rows hold them. */
  public List<String> names() {
    return counts.names;
  }

  /** The sketches' stored names, in the order rows hold them. */
  public List<String> sketchNames() {
    return sketches.names;
  }

  /** How many counts a row holds. */
  public int size() {
    return counts.names.size();
  }

  /** How many sketches a row holds. */
  public int sketches() {
    return sketches.names.size();
  }

  /**
   * Where the count stored as {@code field} sits.
   *
   * @throws IllegalArgumentException naming the counts there are, if it is not one
   */
  public int position(String field) {
    return counts.position(field);
  }

  /** Where the sketch stored as {@code field} sits (refused as {@link #position} is). */
  public int sketchPosition(String field) {
    return sketches.position(field);
  }

  /** Where the distinct count stored as {@code field} sits (refused as {@link #position} is). */
  public int distinctPosition(String field) {
    return distinct.position(field);
  }

  /** Where the sum by key stored as {@code field} sits (refused as {@link #position} is). */
  public int keyedPosition(String field) {
    return keyed.position(field);
  }
}
