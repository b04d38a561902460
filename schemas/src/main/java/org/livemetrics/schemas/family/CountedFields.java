package org.livemetrics.schemas.family;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;

/**
 * A family's declared counts, sketches, distinct counts and sums by key ({@link
 * MetricFamilyDescription#countedFields()}, {@link MetricFamilyDescription#sketchedFields()},
 * {@link MetricFamilyDescription#distinctFields()}, {@link MetricFamilyDescription#keyedFields()})
 * and where each sits in the arrays its rows,
 * partial rows and coders hold them in: the one place those positions come from. Each family
 * makes one ({@code AudienceFamily.COUNTED}, {@code ViewerQosFamily.COUNTED}).
 */
public final class CountedFields {
  private final String label;
  private final List<StoredField> counted;
  private final List<StoredField> sketched;
  private final List<StoredField> distinct;
  private final List<StoredField> keyed;
  private final List<String> distinctNames;
  private final List<String> names;
  private final List<String> sketchNames;
  private final Map<String, Integer> positions;
  private final Map<String, Integer> sketchPositions;

  public CountedFields(MetricFamilyDescription family) {
    this.label = family.label();
    this.counted = family.countedFields();
    this.sketched = family.sketchedFields();
    this.distinct = family.distinctFields();
    this.keyed = family.keyedFields();
    this.distinctNames = distinct.stream().map(StoredField::name).toList();
    this.names = counted.stream().map(StoredField::name).toList();
    this.sketchNames = sketched.stream().map(StoredField::name).toList();
    this.positions = positions(names);
    this.sketchPositions = positions(sketchNames);
  }

  private static Map<String, Integer> positions(List<String> names) {
    Map<String, Integer> at = new HashMap<>();
    for (String name : names) {
      at.put(name, at.size());
    }
    return at;
  }

  /** The counted fields, in the order rows hold them. */
  public List<StoredField> fields() {
    return counted;
  }

  /** The sketched fields, in the order rows hold them. */
  public List<StoredField> sketchFields() {
    return sketched;
  }

  /** The sums by key's fields, in the order partial rows hold their maps. */
  public List<StoredField> keyedFields() {
    return keyed;
  }

  /**
   * Where the sum by key stored as {@code field} sits among the maps.
   *
   * @throws IllegalArgumentException if it is not one
   */
  public int keyedPosition(String field) {
    for (int i = 0; i < keyed.size(); i++) {
      if (keyed.get(i).name().equals(field)) {
        return i;
      }
    }
    throw new IllegalArgumentException(field + " is not a sum by key of " + label + " rows");
  }

  /** The distinct counts' fields, in the order partial rows hold their key sets. */
  public List<StoredField> distinctFields() {
    return distinct;
  }

  /**
   * Where the distinct count stored as {@code field} sits among the key sets.
   *
   * @throws IllegalArgumentException naming the distinct counts there are, if it is not one
   */
  public int distinctPosition(String field) {
    int i = distinctNames.indexOf(field);
    if (i < 0) {
      throw new IllegalArgumentException(
          field + " is not a distinct count of " + label + " rows; they are " + distinctNames);
    }
    return i;
  }

  /** The counts' stored names, in the order rows hold them. */
  public List<String> names() {
    return names;
  }

  /** The sketches' stored names, in the order rows hold them. */
  public List<String> sketchNames() {
    return sketchNames;
  }

  /** How many counts a row holds. */
  public int size() {
    return names.size();
  }

  /** How many sketches a row holds. */
  public int sketches() {
    return sketchNames.size();
  }

  /**
   * Where the count stored as {@code field} sits.
   *
   * @throws IllegalArgumentException naming the counts there are, if it is not one
   */
  public int position(String field) {
    Integer i = positions.get(field);
    if (i == null) {
      throw new IllegalArgumentException(
          field + " is not a count of " + label + " rows; they are " + names);
    }
    return i;
  }

  /**
   * Where the sketch stored as {@code field} sits.
   *
   * @throws IllegalArgumentException naming the sketches there are, if it is not one
   */
  public int sketchPosition(String field) {
    Integer i = sketchPositions.get(field);
    if (i == null) {
      throw new IllegalArgumentException(
          field + " is not a sketch of " + label + " rows; they are " + sketchNames);
    }
    return i;
  }
}
