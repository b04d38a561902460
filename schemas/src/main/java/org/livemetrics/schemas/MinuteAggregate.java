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
  /**
   * The declared distinct counts ({@code AudienceFamily.COUNTED}'s distinct fields: {@code ccu},
   * {@code fingerprint_count}), in that order, and the serialized {@link DistinctSketch} of each
   * one's keys; {@link #distinct} and {@link #distinctSketch} read one by its stored name.
   */
  private final long[] distinct;
  private final byte[][] distinctSketches;
  /** {@code ccu}: distinct (fingerprint, session) viewing in the minute. */
  public final long ccu;
  /** {@code fingerprint_count}: distinct fingerprints viewing in the minute. */
  public final long fingerprintCount;
  /** Serialized {@link DistinctSketch} of the minute's (fingerprint, session) keys. */
  public final byte[] sessionSketch;
  /** Serialized {@link DistinctSketch} of the minute's fingerprints. */
  public final byte[] fingerprintSketch;

  /**
   * A row of the declared counts, distinct counts and their sketches, each array in the order of
   * {@code AudienceFamily.COUNTED}.
   */
  public MinuteAggregate(
      String account,
      String video,
      DimensionSet dimensionSet,
      @Nullable String country,
      @Nullable String deviceType,
      long minute,
      long[] counts,
      long[] distinct,
      byte[][] distinctSketches) {
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
    if (distinct.length != COUNTED.distinctFields().size()
        || distinctSketches.length != distinct.length) {
      throw new IllegalArgumentException("an audience row has "
          + COUNTED.distinctFields().size() + " distinct counts and as many sketches, not "
          + distinct.length + " and " + distinctSketches.length);
    }
    this.distinct = distinct.clone();
    this.distinctSketches = distinctSketches.clone();
    this.ccu = this.distinct[CCU];
    this.fingerprintCount = this.distinct[FINGERPRINTS];
    this.sessionSketch = this.distinctSketches[CCU];
    this.fingerprintSketch = this.distinctSketches[FINGERPRINTS];
  }

  private static final int CCU = AudienceFamily.COUNTED.distinctPosition(AudienceFamily.CCU_FIELD);
  private static final int FINGERPRINTS =
      AudienceFamily.COUNTED.distinctPosition(AudienceFamily.FINGERPRINT_COUNT_FIELD);

  /** The distinct count stored as {@code field} (a {@code DistinctViewing} of the family). */
  public long distinct(String field) {
    return distinct[COUNTED.distinctPosition(field)];
  }

  /** The sketch of the keys of the distinct count stored as {@code field}. */
  public byte[] distinctSketch(String field) {
    return distinctSketches[COUNTED.distinctPosition(field)];
  }

  /** The distinct count at {@code i} among the family's distinct fields. */
  public long distinctAt(int i) {
    return distinct[i];
  }

  /** The sketch of the distinct count at {@code i} (empty when it declares none). */
  public byte[] distinctSketchAt(int i) {
    return distinctSketches[i];
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
    for (int i = 0; i < distinct.length; i++) {
      String name = COUNTED.distinctFields().get(i).name();
      text.append(' ').append(LABELS.getOrDefault(name, name)).append('=').append(distinct[i]);
    }
    return text.toString();
  }

  /** The short labels the rows printed before counts were declared (test strings use them). */
  private static final Map<String, String> LABELS = Map.of(
      AudienceFamily.VIDEO_IMPRESSION_FIELD, "impressions",
      AudienceFamily.VIDEO_VIEW_FIELD, "views",
      AudienceFamily.ALIVE_SS_AD_START_FIELD, "ads",
      AudienceFamily.VIDEO_SECONDS_VIEWED_MS_FIELD, "viewed_ms",
      AudienceFamily.FINGERPRINT_COUNT_FIELD, "fingerprints");
}
