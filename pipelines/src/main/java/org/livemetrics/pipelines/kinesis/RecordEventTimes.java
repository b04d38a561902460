package org.livemetrics.pipelines.kinesis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Where a stream's records keep their event time, for the source's watermark ({@link
 * EventTimeWatermark}): the earliest event time in a record's bytes, or {@link Long#MAX_VALUE}
 * when it has none that can be read (such a record does not move the watermark).
 */
@FunctionalInterface
public interface RecordEventTimes extends Serializable {
  long earliest(byte[] data, int from, int to);

  /** Player events: {@code event_time} (epoch ms) of each JSON object in the record. */
  RecordEventTimes PLAYER = PlayerRecordScanner::earliestEventTime;

  /** EventBridge events (IVS stream changes): the envelope's top-level {@code time}, ISO-8601. */
  RecordEventTimes BROADCAST = EventBridgeTime::of;

  /** Reads only as far as the top-level {@code time} field: records are small, but many. */
  final class EventBridgeTime {
    private static final JsonFactory JSON = new JsonFactory();

    private EventBridgeTime() {}

    static long of(byte[] data, int from, int to) {
      try (JsonParser p = JSON.createParser(data, from, to - from)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          return Long.MAX_VALUE;
        }
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken value = p.nextToken();
          if ("time".equals(name) && value == JsonToken.VALUE_STRING) {
            return Instant.parse(p.getText()).toEpochMilli();
          }
          p.skipChildren();
        }
        return Long.MAX_VALUE;
      } catch (IOException | DateTimeParseException e) {
        return Long.MAX_VALUE;
      }
    }
  }
}
