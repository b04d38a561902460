package org.livemetrics.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** {@link MinuteAggregate} to and from its Avro form, the one Parquet files are written in. */
public final class MinuteAggregateAvro {
  public static final Schema SCHEMA = load();

  private MinuteAggregateAvro() {}

  private static Schema load() {
    try (InputStream in = MinuteAggregateAvro.class.getResourceAsStream("minute_aggregate.avsc")) {
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static GenericRecord toRecord(MinuteAggregate a) {
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

  private static byte[] bytes(Object o) {
    ByteBuffer b = ((ByteBuffer) o).duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
