package org.livemetrics.schemas;

import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** {@link MinuteAggregate} to and from its Avro form, the one Parquet files are written in. */
public final class MinuteAggregateAvro {
  public static final Schema SCHEMA = AvroRows.load("minute_aggregate.avsc");

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
    r.put("video_impression", a.videoImpression);
    r.put("video_view", a.videoView);
    r.put("alive_ss_ad_start", a.aliveSsAdStart);
    r.put("video_seconds_viewed_ms", a.videoSecondsViewedMs);
    r.put("ccu", a.ccu);
    r.put("fingerprint_count", a.fingerprintCount);
    r.put("session_sketch", ByteBuffer.wrap(a.sessionSketch));
    r.put("fingerprint_sketch", ByteBuffer.wrap(a.fingerprintSketch));
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
        (Long) r.get("video_impression"),
        (Long) r.get("video_view"),
        (Long) r.get("alive_ss_ad_start"),
        (Long) r.get("video_seconds_viewed_ms"),
        (Long) r.get("ccu"),
        (Long) r.get("fingerprint_count"),
        bytes(r.get("session_sketch")),
        bytes(r.get("fingerprint_sketch")));
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
