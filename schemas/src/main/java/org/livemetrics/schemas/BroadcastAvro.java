package org.livemetrics.schemas;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.family.BroadcastFamily;
import org.livemetrics.schemas.family.FamilyAvroSchema;

/**
 * {@link BroadcastMinute} and {@link StreamSession} to and from their Avro forms
 * (made from {@link BroadcastFamily}'s description; {@code stream_session.avsc}), for Parquet
 * files.
 */
public final class BroadcastAvro {
  public static final Schema MINUTE_SCHEMA = FamilyAvroSchema.of(BroadcastFamily.DESCRIPTION);
  public static final Schema SESSION_SCHEMA = AvroRows.load("stream_session.avsc");

  private BroadcastAvro() {}

  /** A minute row; {@code version} orders a streamed row's values (see the schema's doc). */
  public static GenericRecord toRecord(BroadcastMinute m, long version) {
    return AvroRows.record(MINUTE_SCHEMA, BroadcastFamily.DESCRIPTION, m, version);
  }

  /** The minute row a record holds ({@link BroadcastFamily}'s reader). */
  public static BroadcastMinute minuteFromRecord(GenericRecord r) {
    return AvroRows.read(BroadcastFamily.DESCRIPTION, r, BroadcastMinute.class);
  }

  public static GenericRecord toRecord(StreamSession s) {
    GenericData.Record r = new GenericData.Record(SESSION_SCHEMA);
    r.put("account", s.account());
    r.put("region", s.region());
    r.put("channel", s.channelArn());
    r.put("channel_name", s.channelName());
    r.put("stream_id", s.streamId());
    r.put("start", s.startTime());
    r.put("end", s.endTime());
    r.put("outcome", s.outcome().apiName());
    r.put("duration_ms", s.durationMs());
    r.put("as_of", s.asOf());
    r.put("version", s.version());
    r.put("session_created", s.sessionCreatedTime());
    r.put("session_ended", s.sessionEndedTime());
    r.put(BroadcastFamily.STARVATION_COUNT_FIELD, s.starvationCount());
    r.put(BroadcastFamily.STARVATION_MS_FIELD, s.starvationMs());
    return r;
  }

  public static StreamSession sessionFromRecord(GenericRecord r) {
    return new StreamSession(
        r.get("account").toString(),
        r.get("region").toString(),
        r.get("channel").toString(),
        AvroRows.string(r.get("channel_name")),
        r.get("stream_id").toString(),
        number(r.get("start")),
        number(r.get("end")),
        StreamSession.Outcome.fromApiName(r.get("outcome").toString()),
        number(r.get("duration_ms")),
        ((Number) r.get("as_of")).longValue(),
        AvroRows.version(r),
        number(r.get("session_created")),
        number(r.get("session_ended")),
        (Long) r.get(BroadcastFamily.STARVATION_COUNT_FIELD),
        (Long) r.get(BroadcastFamily.STARVATION_MS_FIELD));
  }

  public static long version(GenericRecord r) {
    return AvroRows.version(r);
  }

  /** What a broadcast minute row's successive values share (writers and readers key by it). */
  public static String rowKey(BroadcastMinute m) {
    return m.scope().id() + '\u0001' + (m.region() == null ? "" : m.region()) + '\u0001'
        + (m.channelArn() == null ? "" : m.channelArn()) + '\u0001' + m.minute();
  }

  /** What a stream row's successive values share: its channel and stream id. */
  public static String rowKey(StreamSession s) {
    return s.channelArn() + '\u0001' + s.streamId();
  }

  private static @Nullable Long number(@Nullable Object o) {
    return o == null ? null : ((Number) o).longValue();
  }
}
