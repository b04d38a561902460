package org.livemetrics.schemas;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** {@link QosMinute} to and from its Avro form ({@code qos_minute.avsc}), for Parquet files. */
public final class QosMinuteAvro {
  public static final Schema SCHEMA = AvroRows.load("qos_minute.avsc");

  private QosMinuteAvro() {}

  public static GenericRecord toRecord(QosMinute q) {
    return toRecord(q, 0);
  }

  /** A streamed row: {@code version} orders the values a row had (see the schema's doc). */
  public static GenericRecord toRecord(QosMinute q, long version) {
    GenericData.Record r = new GenericData.Record(SCHEMA);
    r.put("account", q.account);
    r.put("dimensions", q.dimensionSet.id());
    r.put("video", q.video);
    r.put("client_platform", q.clientPlatform);
    r.put("minute", q.minute);
    r.put("concurrent_sessions", q.concurrentSessions);
    r.put("error_count", q.errorCount);
    r.put("playing_time_ms", q.playingTimeMs);
    r.put("buffering_time_ms", q.bufferingTimeMs);
    r.put("rebuffer_count", q.rebufferCount);
    r.put("startup_count", q.startupCount);
    r.put("startup_sum_ms", q.startupSumMs);
    r.put("startup_sketch", ByteBuffer.wrap(q.startupSketch));
    r.put("live_latency_count", q.liveLatencyCount);
    r.put("live_latency_sum_ms", q.liveLatencySumMs);
    r.put("live_latency_sketch", ByteBuffer.wrap(q.liveLatencySketch));
    r.put("rendition_playing_ms", new HashMap<>(q.renditionPlayingMs));
    r.put("quality_changes_up", q.qualityUp);
    r.put("quality_changes_down", q.qualityDown);
    r.put("sessions_loaded", q.sessionsLoaded);
    r.put("exits_before_video_start", q.exitsBeforeVideoStart);
    r.put("playback_attempts", q.playbackAttempts);
    r.put("playback_failures", q.playbackFailures);
    r.put("sessions_played", q.sessionsPlayed);
    r.put("sessions_rebuffered", q.sessionsRebuffered);
    r.put("version", version);
    return r;
  }

  public static QosMinute fromRecord(GenericRecord r) {
    String dims = r.get("dimensions").toString();
    QosDimensionSet set = QosDimensionSet.fromId(dims)
        .orElseThrow(() -> new IllegalArgumentException("unknown QoS dimension set " + dims));
    Map<String, Long> renditions = new TreeMap<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) r.get("rendition_playing_ms")).entrySet()) {
      renditions.put(e.getKey().toString(), ((Number) e.getValue()).longValue());
    }
    return QosMinute.builder()
        .account(r.get("account").toString())
        .dimensionSet(set)
        .video(AvroRows.string(r.get("video")))
        .clientPlatform(r.get("client_platform").toString())
        .minute(((Number) r.get("minute")).longValue())
        .concurrentSessions((Long) r.get("concurrent_sessions"))
        .errorCount((Long) r.get("error_count"))
        .playingTimeMs((Long) r.get("playing_time_ms"))
        .bufferingTimeMs((Long) r.get("buffering_time_ms"))
        .rebufferCount((Long) r.get("rebuffer_count"))
        .startup((Long) r.get("startup_count"), (Long) r.get("startup_sum_ms"),
            AvroRows.bytes(r.get("startup_sketch")))
        .liveLatency((Long) r.get("live_latency_count"), (Long) r.get("live_latency_sum_ms"),
            AvroRows.bytes(r.get("live_latency_sketch")))
        .renditionPlayingMs(renditions)
        .qualityUp((Long) r.get("quality_changes_up"))
        .qualityDown((Long) r.get("quality_changes_down"))
        .sessionOutcomes(orZero(r, "sessions_loaded"), orZero(r, "exits_before_video_start"),
            orZero(r, "playback_attempts"), orZero(r, "playback_failures"),
            orZero(r, "sessions_played"), orZero(r, "sessions_rebuffered"))
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
    return q.account + '\u0001' + q.dimensionSet.id() + '\u0001'
        + (q.video == null ? "" : q.video) + '\u0001' + q.clientPlatform + '\u0001' + q.minute;
  }
}
