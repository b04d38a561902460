package org.livemetrics.schemas;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.livemetrics.schemas.family.AudienceFamily;
import org.livemetrics.schemas.family.FamilyAvroSchema;

/** {@link MinuteAggregate} to and from its Avro form, the one Parquet files are written in. */
public final class MinuteAggregateAvro {
  public static final Schema SCHEMA = FamilyAvroSchema.of(AudienceFamily.DESCRIPTION);

  private MinuteAggregateAvro() {}

  public static GenericRecord toRecord(MinuteAggregate a) {
    return toRecord(a, 0);
  }

  /** A streamed row: {@code version} orders the values a row had (see the schema's doc). */
  public static GenericRecord toRecord(MinuteAggregate a, long version) {
    return AvroRows.record(SCHEMA, AudienceFamily.DESCRIPTION, a, version);
  }

  public static MinuteAggregate fromRecord(GenericRecord r) {
    String dims = r.get("dimensions").toString();
    DimensionSet set =
        DimensionSet.fromId(dims)
            .orElseThrow(() -> new IllegalArgumentException("unknown dimension set " + dims));
    Object country = r.get("country");
    Object device = r.get("device_type");
    return new MinuteAggregate(
        r.get("account").toString(),
        r.get("video").toString(),
        set,
        country == null ? null : country.toString(),
        device == null ? null : device.toString(),
        ((Number) r.get("minute")).longValue(),
        (Long) r.get(AudienceFamily.VIDEO_IMPRESSION_FIELD),
        (Long) r.get(AudienceFamily.VIDEO_VIEW_FIELD),
        (Long) r.get(AudienceFamily.ALIVE_SS_AD_START_FIELD),
        (Long) r.get(AudienceFamily.VIDEO_SECONDS_VIEWED_MS_FIELD),
        (Long) r.get(AudienceFamily.CCU_FIELD),
        (Long) r.get(AudienceFamily.FINGERPRINT_COUNT_FIELD),
        bytes(r.get(AudienceFamily.SESSION_SKETCH_FIELD)),
        bytes(r.get(AudienceFamily.FINGERPRINT_SKETCH_FIELD)));
  }

  /** The record's version; 0 for files written before the field existed. */
  public static long version(GenericRecord r) {
    return AvroRows.version(r);
  }

  /**
   * The identity of a row: account, dimension set, dimension values and minute. Two records with
   * the same key are values of the same row.
   */
  public static String rowKey(MinuteAggregate a) {
    return a.account + '\u0001' + a.dimensionSet.id() + '\u0001' + a.video + '\u0001'
        + (a.secondaryValue() == null ? "" : a.secondaryValue()) + '\u0001' + a.minute;
  }

  private static byte[] bytes(Object o) {
    return AvroRows.bytes(o);
  }
}
