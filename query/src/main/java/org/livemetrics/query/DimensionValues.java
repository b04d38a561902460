package org.livemetrics.query;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.MinuteAggregate;

/**
 * One dimension combination of an answer, the {@code "dimensions"} object of a data entry: the
 * account, the video and, for {@code video,country} or {@code video,device_type}, that value.
 * Answers list them by video, then by the secondary value.
 */
public record DimensionValues(
    String account, DimensionSet dimensionSet, String video, @Nullable String secondary)
    implements Comparable<DimensionValues> {

  private static final Comparator<DimensionValues> ORDER =
      Comparator.comparing(DimensionValues::video)
          .thenComparing(DimensionValues::secondary,
              Comparator.nullsFirst(Comparator.naturalOrder()));

  public DimensionValues {
    Objects.requireNonNull(account);
    Objects.requireNonNull(dimensionSet);
    Objects.requireNonNull(video);
  }

  public static DimensionValues of(MinuteAggregate row) {
    return new DimensionValues(row.account, row.dimensionSet, row.video, row.secondaryValue());
  }

  /** {@code {"account": …, "video": …[, "country"|"device_type": …]}}, in that order. */
  public Map<String, String> asApiMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("account", account);
    m.put("video", video);
    dimensionSet.secondary().ifPresent(d -> m.put(d.apiName(), secondary == null ? "" : secondary));
    return m;
  }

  @Override
  public int compareTo(DimensionValues o) {
    return ORDER.compare(this, o);
  }
}
