package org.livemetrics.schemas;

import java.util.List;
import java.util.Optional;

/**
 * The dimension combinations of the QoS rows ({@link QosMinute}), each also grouped by account.
 * Every QoS row belongs to exactly one; its {@link #id()} is stored with the row.
 */
public enum QosDimensionSet {
  /** All videos of the account, per platform. */
  CLIENT_PLATFORM(List.of(Dimension.CLIENT_PLATFORM)),
  /** One video, per platform. */
  VIDEO_CLIENT_PLATFORM(List.of(Dimension.VIDEO, Dimension.CLIENT_PLATFORM));

  private final List<Dimension> dimensions;
  private final String id;

  QosDimensionSet(List<Dimension> dimensions) {
    this.dimensions = dimensions;
    this.id = String.join(",", dimensions.stream().map(Dimension::apiName).toList());
  }

  public List<Dimension> dimensions() {
    return dimensions;
  }

  /** As written in the API's {@code dimensions} parameter: {@code video,client_platform}. */
  public String id() {
    return id;
  }

  public boolean contains(Dimension d) {
    return dimensions.contains(d);
  }

  public static Optional<QosDimensionSet> fromId(String id) {
    for (QosDimensionSet s : values()) {
      if (s.id.equals(id)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
