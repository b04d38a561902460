package org.livemetrics.schemas;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The dimension combinations the Live Analytics API supports, each also grouped by account. Every
 * stored aggregate row belongs to exactly one of them; its {@link #id()} is stored with the row.
 */
public enum DimensionSet {
  VIDEO(List.of(Dimension.VIDEO)),
  VIDEO_COUNTRY(List.of(Dimension.VIDEO, Dimension.COUNTRY)),
  VIDEO_DEVICE_TYPE(List.of(Dimension.VIDEO, Dimension.DEVICE_TYPE));

  private final List<Dimension> dimensions;
  private final String id;

  DimensionSet(List<Dimension> dimensions) {
    this.dimensions = dimensions;
    this.id = String.join(",", dimensions.stream().map(Dimension::apiName).toList());
  }

  public List<Dimension> dimensions() {
    return dimensions;
  }

  /** As written in the API's {@code dimensions} parameter: {@code video,country}. */
  public String id() {
    return id;
  }

  /** The dimension besides video, if any. */
  public Optional<Dimension> secondary() {
    return dimensions.size() > 1 ? Optional.of(dimensions.get(1)) : Optional.empty();
  }

  public boolean contains(Dimension d) {
    return dimensions.contains(d);
  }

  /** Parses the API's {@code dimensions} parameter; order-insensitive ({@code country,video}). */
  public static Optional<DimensionSet> fromApiName(String value) {
    List<String> parts = Arrays.stream(value.split(",")).map(String::trim).sorted().toList();
    return Arrays.stream(values())
        .filter(s -> s.dimensions.stream().map(Dimension::apiName).sorted().toList().equals(parts))
        .findFirst();
  }

  public static Optional<DimensionSet> fromId(String id) {
    return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
  }
}
