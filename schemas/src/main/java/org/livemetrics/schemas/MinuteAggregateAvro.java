package org.livemetrics.schemas;

import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
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
    GenericData.Record r = new GenericData.Record(SCHEMA);
    r.put("account", a.account);
    r.put("video", a.video);
    r.put("dimensions", a.dimensionSet.id());
    r.put("country", a.country);
    r.put("device_type", a.deviceType);
    r.put("minute", a.minute);
    r.put(AudienceFamily.VIDEO_IMPRESSION_FIELD, a.videoImpression);
    r.put(AudienceFamily.VIDEO_VIEW_FIELD, a.videoView);
    r.put(AudienceFamily.ALIVE_SS_AD_START_FIELD, a.aliveSsAdStart);
    r.put(AudienceFamily.VIDEO_SECONDS_VIEWED_MS_FIELD, a.videoSecondsViewedMs);
    r.put(AudienceFamily.CCU_FIELD, a.ccu);
    r.put(AudienceFamily.FINGERPRINT_COUNT_FIELD, a.fingerprintCount);
    r.put(AudienceFamily.SESSION_SKETCH_FIELD, ByteBuffer.wrap(a.sessionSketch));
    r.put(AudienceFamily.FINGERPRINT_SKETCH_FIELD, ByteBuffer.wrap(a.fingerprintSketch));
    r.put("version", version);
    return r;
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
