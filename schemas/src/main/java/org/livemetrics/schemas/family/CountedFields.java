package org.livemetrics.schemas.family;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;

/**
 * A family's declared counts ({@link MetricFamilyDescription#countedFields()}) by stored name: where
 * each sits in the counts its rows hold. Made once per row class.
 */
public final class CountedFields {
  private final String label;
  private final List<String> names;
  private final Map<String, Integer> positions = new HashMap<>();

  public CountedFields(MetricFamilyDescription family) {
    this.label = family.label();
    this.names = family.countedFields().stream().map(StoredField::name).toList();
    for (String name : names) {
      positions.put(name, positions.size());
    }
  }

  /** The counts' stored names, in the order rows hold them. */
  public List<String> names() {
    return names;
  }

  public int size() {
    return names.size();
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
}
