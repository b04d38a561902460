package org.livemetrics.schemas;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredSet;
import org.livemetrics.schemas.family.ViewerQosFamily;

/**
 * The dimension combinations of the QoS rows ({@link QosMinute}), each also grouped by account:
 * typed handles whose dimensions are declared in {@link ViewerQosFamily}. Every QoS row belongs to
 * exactly one; its {@link #id()} is stored with the row. New sets go at the end (coders write the
 * ordinal).
 */
public enum QosDimensionSet {
  /** All videos of the account, per platform. */
  CLIENT_PLATFORM,
  /** One video, per platform. */
  VIDEO_CLIENT_PLATFORM,
  /** All videos of the account, per viewer country. */
  COUNTRY,
  /** All videos of the account, per device type. */
  DEVICE_TYPE;

  public List<Dimension> dimensions() {
    return Described.SETS.get(this).dimensions();
  }

  /** As written in the API's {@code dimensions} parameter: {@code video,client_platform}. */
  public String id() {
    return Described.SETS.get(this).id();
  }

  public boolean contains(Dimension d) {
    return dimensions().contains(d);
  }

  public static Optional<QosDimensionSet> fromId(String id) {
    for (QosDimensionSet s : values()) {
      if (s.id().equals(id)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** Read lazily, so the description may name these constants. */
  private static final class Described {
    static final Map<QosDimensionSet, StoredSet> SETS = new EnumMap<>(QosDimensionSet.class);

    static {
      for (QosDimensionSet s : values()) {
        SETS.put(s, ViewerQosFamily.DESCRIPTION.storedSet(s));
      }
    }
  }
}
