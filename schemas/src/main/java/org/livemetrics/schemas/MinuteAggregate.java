package org.livemetrics.schemas;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.family.AudienceFamily;
import org.livemetrics.schemas.family.CountedFields;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;

/**
 * One stored row: the six live metrics of one (account, dimension set, dimension values) in one UTC
 * minute, plus the distinct-count sketches that let unique totals over any range be answered later.
 *
 * <p>{@code country} is set only for {@link DimensionSet#VIDEO_COUNTRY} rows and {@code deviceType}
 * only for {@link DimensionSet#VIDEO_DEVICE_TYPE} rows. Seconds viewed are kept in milliseconds so
 * sums stay exact; the API divides by 1000.
 */
@DefaultCoder(MinuteAggregateCoder.class)
public final class MinuteAggregate implements Serializable {
  private static final long serialVersionUID = 1L;

  public final String account;
  public final String video;
  public final DimensionSet dimensionSet;
  public final @Nullable String country;
  public final @Nullable String deviceType;
  /** Start of the minute, epoch milliseconds (UTC). */
  public final long minute;

  /**
   * The declared counts ({@link AudienceFamily#COUNTS}: sums over events of one type), in that
   * order; {@link #count} reads one by its stored name.
   */
  private final long[] counts;
  public final long ccu;
  public final long fingerprintCount;
  /** Serialized {@link DistinctSketch} of the minute's (fingerprint, session) keys. */
  public final byte[] sessionSketch;
  /** Serialized {@link DistinctSketch} of the minute's fingerprints. */
  public final byte[] fingerprintSketch;

  public MinuteAggregate(
      String account,
      String video,
      DimensionSet dimensionSet,
      @Nullable String country,
      @Nullable String deviceType,
      long minute,
      long[] counts,
      long ccu,
      long fingerprintCount,
      byte[] sessionSketch,
      byte[] fingerprintSketch) {
    this.account = account;
    this.video = video;
    this.dimensionSet = dimensionSet;
    this.country = country;
    this.deviceType = deviceType;
    this.minute = minute;
    if (counts.length != COUNTED.size()) {
      throw new IllegalArgumentException("an audience row has " + COUNTED.size()
          + " counts " + AudienceFamily.COUNTS + ", not " + counts.length);
    }
    this.counts = counts.clone();
    this.ccu = ccu;
    this.fingerprintCount = fingerprintCount;
    this.sessionSketch = sessionSketch;
    this.fingerprintSketch = fingerprintSketch;
  }

  /** The count stored as {@code field} (one of {@link AudienceFamily#COUNTS}). */
  public long count(String field) {
    return counts[COUNTED.position(field)];
  }

  /** The count at {@code i} in {@link AudienceFamily#COUNTS}. */
  public long countAt(int i) {
    return counts[i];
  }

  private static final CountedFields COUNTED = AudienceFamily.COUNTED;

  /** The value of the row's secondary dimension (country or device type), or null for video rows. */
  public @Nullable String secondaryValue() {
    return dimensionSet == DimensionSet.VIDEO_COUNTRY
        ? country
        : dimensionSet == DimensionSet.VIDEO_DEVICE_TYPE ? deviceType : null;
  }

  /** The additive value of a SUM metric, or the per-minute distinct count of a DISTINCT metric. */
  public long value(Metric m) {
    return ((Number) m.storedValue().value().apply(this)).longValue();
  }

  /** The sketch behind a DISTINCT metric. */
  public byte[] sketch(Metric m) {
    StoredField sketch = m.storedSketch();
    if (sketch == null) {
      throw new IllegalArgumentException(m + " has no sketch");
    }
    return (byte[]) sketch.value().apply(this);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof MinuteAggregate a && AudienceFamily.DESCRIPTION.sameStoredValues(this, a);
  }

  @Override
  public int hashCode() {
    return Objects.hash(account, video, dimensionSet, country, deviceType, minute);
  }

  /**
   * Dimensions and metrics, without the sketch bytes: what tests compare. A count declared after
   * the first four is shown by its stored name.
   */
  @Override
  public String toString() {
    String secondary = secondaryValue();
    StringBuilder text = new StringBuilder(dimensionSet.id() + "[" + account + "/" + video
        + (secondary == null ? "" : "/" + secondary) + " @" + minute + "]");
    for (int i = 0; i < counts.length; i++) {
      String name = AudienceFamily.COUNTS.get(i);
      text.append(' ').append(LABELS.getOrDefault(name, name)).append('=').append(counts[i]);
    }
    return text.append(" ccu=").append(ccu).append(" fingerprints=").append(fingerprintCount)
        .toString();
  }

  /** The short labels the rows printed before counts were declared (test strings use them). */
  private static final Map<String, String> LABELS = Map.of(
      AudienceFamily.VIDEO_IMPRESSION_FIELD, "impressions",
      AudienceFamily.VIDEO_VIEW_FIELD, "views",
      AudienceFamily.ALIVE_SS_AD_START_FIELD, "ads",
      AudienceFamily.VIDEO_SECONDS_VIEWED_MS_FIELD, "viewed_ms");
}
