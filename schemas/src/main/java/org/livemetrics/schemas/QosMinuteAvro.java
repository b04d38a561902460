package org.livemetrics.schemas;

import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.livemetrics.schemas.family.FamilyAvroSchema;
import org.livemetrics.schemas.family.ViewerQosFamily;

/**
 * {@link QosMinute} to and from its Avro form (made from {@link ViewerQosFamily}'s description),
 * for Parquet files.
 */
public final class QosMinuteAvro {
  public static final Schema SCHEMA = FamilyAvroSchema.of(ViewerQosFamily.DESCRIPTION);

  private QosMinuteAvro() {}

  public static GenericRecord toRecord(QosMinute q) {
    return toRecord(q, 0);
  }

  /** A streamed row: {@code version} orders the values a row had (see the schema's doc). */
  public static GenericRecord toRecord(QosMinute q, long version) {
    return AvroRows.record(SCHEMA, ViewerQosFamily.DESCRIPTION, q, version);
  }

  public static QosMinute fromRecord(GenericRecord r) {
    String dims = r.get("dimensions").toString();
    QosDimensionSet set = QosDimensionSet.fromId(dims)
        .orElseThrow(() -> new IllegalArgumentException("unknown QoS dimension set " + dims));
    Map<String, Long> renditions = new TreeMap<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) r.get(ViewerQosFamily.RENDITION_PLAYING_MS_FIELD)).entrySet()) {
      renditions.put(e.getKey().toString(), ((Number) e.getValue()).longValue());
    }
    return QosMinute.builder()
        .account(r.get("account").toString())
        .dimensionSet(set)
        .video(AvroRows.string(r.get("video")))
        .clientPlatform(AvroRows.string(r.get("client_platform")))
        .country(AvroRows.string(r.get("country")))
        .deviceType(AvroRows.string(r.get("device_type")))
        .minute(((Number) r.get("minute")).longValue())
        .concurrentSessions((Long) r.get(ViewerQosFamily.CONCURRENT_SESSIONS_FIELD))
        .errorCount((Long) r.get(ViewerQosFamily.ERROR_COUNT_FIELD))
        .playingTimeMs((Long) r.get(ViewerQosFamily.PLAYING_TIME_MS_FIELD))
        .bufferingTimeMs((Long) r.get(ViewerQosFamily.BUFFERING_TIME_MS_FIELD))
        .rebufferCount((Long) r.get(ViewerQosFamily.REBUFFER_COUNT_FIELD))
        .startup((Long) r.get(ViewerQosFamily.STARTUP_COUNT_FIELD), (Long) r.get(ViewerQosFamily.STARTUP_SUM_MS_FIELD),
            AvroRows.bytes(r.get(ViewerQosFamily.STARTUP_SKETCH_FIELD)))
        .liveLatency((Long) r.get(ViewerQosFamily.LIVE_LATENCY_COUNT_FIELD), (Long) r.get(ViewerQosFamily.LIVE_LATENCY_SUM_MS_FIELD),
            AvroRows.bytes(r.get(ViewerQosFamily.LIVE_LATENCY_SKETCH_FIELD)))
        .renditionPlayingMs(renditions)
        .qualityUp((Long) r.get(ViewerQosFamily.QUALITY_CHANGES_UP_FIELD))
        .qualityDown((Long) r.get(ViewerQosFamily.QUALITY_CHANGES_DOWN_FIELD))
        .sessionOutcomes(orZero(r, ViewerQosFamily.SESSIONS_LOADED_FIELD), orZero(r, ViewerQosFamily.EXITS_BEFORE_VIDEO_START_FIELD),
            orZero(r, ViewerQosFamily.PLAYBACK_ATTEMPTS_FIELD), orZero(r, ViewerQosFamily.PLAYBACK_FAILURES_FIELD),
            orZero(r, ViewerQosFamily.SESSIONS_PLAYED_FIELD), orZero(r, ViewerQosFamily.SESSIONS_REBUFFERED_FIELD))
        .build();
  }

  /** Files written before the session metrics lack their fields: no session counted there. */
  private static long orZero(GenericRecord r, String field) {
    Object v = r.hasField(field) ? r.get(field) : null;
    return v == null ? 0 : ((Number) v).longValue();
  }

  /** The record's version; 0 for backfill rows. */
  public static long version(GenericRecord r) {
    return AvroRows.version(r);
  }

  /** The identity of a row: account, dimension set, dimension values and minute. */
  public static String rowKey(QosMinute q) {
    StringBuilder k = new StringBuilder(q.account).append('\u0001').append(q.dimensionSet.id());
    for (Dimension d : q.dimensionSet.dimensions()) {
      k.append('\u0001').append(q.value(d));
    }
    return k.append('\u0001').append(q.minute).toString();
  }
}
