package org.livemetrics.schemas;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.livemetrics.schemas.family.AudienceFamily;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredSet;

/**
 * The dimension combinations the Live Analytics API supports, each also grouped by account. Every
 * stored aggregate row belongs to exactly one of them; its {@link #id()} is stored with the row.
 */
public enum DimensionSet {
  VIDEO,
  VIDEO_COUNTRY,
  VIDEO_DEVICE_TYPE;

  public List<Dimension> dimensions() {
    return Described.SETS.get(this).dimensions();
  }

  /** As written in the API's {@code dimensions} parameter: {@code video,country}. */
  public String id() {
    return Described.SETS.get(this).id();
  }

  /** The dimension besides video, if any. */
  public Optional<Dimension> secondary() {
    return dimensions().size() > 1 ? Optional.of(dimensions().get(1)) : Optional.empty();
  }

  public boolean contains(Dimension d) {
    return dimensions().contains(d);
  }

  /** Parses the API's {@code dimensions} parameter; order-insensitive ({@code country,video}). */
  public static Optional<DimensionSet> fromApiName(String value) {
    List<String> parts = Arrays.stream(value.split(",")).map(String::trim).sorted().toList();
    return Arrays.stream(values())
        .filter(s -> s.dimensions().stream().map(Dimension::apiName).sorted().toList().equals(parts))
        .findFirst();
  }

  public static Optional<DimensionSet> fromId(String id) {
    return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst();
  }

  /** Read lazily, so the description may name these constants. */
  private static final class Described {
    static final Map<DimensionSet, StoredSet> SETS = new EnumMap<>(DimensionSet.class);

    static {
      for (DimensionSet s : values()) {
        SETS.put(s, AudienceFamily.DESCRIPTION.storedSet(s));
      }
    }
  }
}
