package org.livemetrics.schemas;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.family.AudienceFamily;
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

  public final long videoImpression;
  public final long videoView;
  public final long aliveSsAdStart;
  public final long videoSecondsViewedMs;
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
      long videoImpression,
      long videoView,
      long aliveSsAdStart,
      long videoSecondsViewedMs,
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
    this.videoImpression = videoImpression;
    this.videoView = videoView;
    this.aliveSsAdStart = aliveSsAdStart;
    this.videoSecondsViewedMs = videoSecondsViewedMs;
    this.ccu = ccu;
    this.fingerprintCount = fingerprintCount;
    this.sessionSketch = sessionSketch;
    this.fingerprintSketch = fingerprintSketch;
  }

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

  /** Dimensions and metrics, without the sketch bytes: what tests compare. */
  @Override
  public String toString() {
    String secondary = secondaryValue();
    return dimensionSet.id() + "[" + account + "/" + video
        + (secondary == null ? "" : "/" + secondary) + " @" + minute + "]"
        + " impressions=" + videoImpression + " views=" + videoView + " ads=" + aliveSsAdStart
        + " viewed_ms=" + videoSecondsViewedMs + " ccu=" + ccu + " fingerprints=" + fingerprintCount;
  }
}
