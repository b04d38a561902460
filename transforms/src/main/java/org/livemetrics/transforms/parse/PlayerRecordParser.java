package org.livemetrics.transforms.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.MetricType;

/**
 * Parses one JSON object into a {@link PlayerRecord} with Jackson's streaming parser (no tree, no
 * per-field objects beyond the strings kept), coercing the loose types real players send: numbers
 * and booleans as strings, {@code live_latency_sec} instead of {@code live_latency_ms}. Unknown
 * fields are skipped.
 *
 * <p>The contract is {@code schemas/src/main/resources/org/livemetrics/schemas/player_event.schema.json}.
 */
public final class PlayerRecordParser {
  // Plausible epoch-millisecond bounds: catches seconds sent as milliseconds and garbage.
  static final long MIN_EVENT_TIME = 946_684_800_000L; // 2000-01-01
  static final long MAX_EVENT_TIME = 4_102_444_800_000L; // 2100-01-01

  /** Whether {@code ms} is an event_time this parser accepts (epoch ms between 2000 and 2100). */
  public static boolean isPlausibleEventTime(long ms) {
    return ms >= MIN_EVENT_TIME && ms < MAX_EVENT_TIME;
  }

  private final JsonFactory factory = new JsonFactory();

  /** Parses {@code buf[start, end)}, which must hold exactly one JSON object, into {@code out}. */
  public void parseObject(byte[] buf, int start, int end, PlayerRecord out)
      throws RecordRejectedException {
    try (JsonParser p = factory.createParser(buf, start, end - start)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new RecordRejectedException(
            DeadLetterReason.NOT_AN_OBJECT, "expected a JSON object, found " + describe(first));
      }
      readObject(p, out);
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        throw new RecordRejectedException(
            DeadLetterReason.MALFORMED_JSON, "unexpected " + describe(trailing) + " after the object");
      }
    } catch (JsonProcessingException e) {
      throw new RecordRejectedException(DeadLetterReason.MALFORMED_JSON, e.getOriginalMessage());
    } catch (IOException e) {
      throw new RecordRejectedException(DeadLetterReason.MALFORMED_JSON, String.valueOf(e.getMessage()));
    }
    validate(out);
  }

  /** Reads the fields of an object whose START_OBJECT the parser is on. */
  void readObject(JsonParser p, PlayerRecord r) throws IOException, RecordRejectedException {
    r.reset();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      try {
        readField(p, r, name, v);
      } catch (RecordRejectedException e) {
        // Keep the first problem, finish reading the object so the next record starts clean.
        if (r.rejection == null) {
          r.rejection = e;
        }
        p.skipChildren();
      }
    }
    if (p.currentToken() != JsonToken.END_OBJECT) {
      throw new RecordRejectedException(DeadLetterReason.MALFORMED_JSON, "unterminated object");
    }
  }

  private static void readField(JsonParser p, PlayerRecord r, String name, JsonToken v)
      throws IOException, RecordRejectedException {
      switch (name) {
        case "metric_type":
          r.metricTypeName = string(p, v, name);
          break;
        case "event_time":
          readEventTime(p, v, r);
          break;
        case "channel_watched":
          r.channelWatched = string(p, v, name);
          break;
        case "session_id":
          r.sessionId = string(p, v, name);
          break;
        case "user_id":
          r.userId = string(p, v, name);
          break;
        case "client_platform":
          r.clientPlatform = string(p, v, name);
          break;
        case "is_live":
          r.isLive = bool(p, v, name);
          break;
        case "account_id":
          r.accountId = string(p, v, name);
          break;
        case "CloudFront-Viewer-Country":
          r.countryCode = string(p, v, name);
          break;
        case "CloudFront-Viewer-Country-Name":
          r.countryName = string(p, v, name);
          break;
        case "CloudFront-Is-Desktop-Viewer":
          r.desktopViewer = bool(p, v, name);
          break;
        case "CloudFront-Is-Mobile-Viewer":
          r.mobileViewer = bool(p, v, name);
          break;
        case "CloudFront-Is-Tablet-Viewer":
          r.tabletViewer = bool(p, v, name);
          break;
        case "CloudFront-Is-SmartTV-Viewer":
          r.smartTvViewer = bool(p, v, name);
          break;
        case "ip":
          r.ip = string(p, v, name);
          break;
        case "user_agent":
          r.userAgent = string(p, v, name);
          break;
        case "player":
          r.player = string(p, v, name);
          break;
        case "startup_latency_ms":
          r.startupLatencyMs = nonNegativeLong(p, v, name);
          break;
        case "start_playback_position_sec":
          r.startPlaybackPositionSec = number(p, v, name);
          break;
        case "playing_time_ms":
          r.playingTimeMs = nonNegativeLong(p, v, name);
          break;
        case "buffering_time_ms":
          r.bufferingTimeMs = nonNegativeLong(p, v, name);
          break;
        case "buffering_count":
          r.bufferingCount = nonNegativeLong(p, v, name);
          break;
        case "error_count":
          r.errorCount = nonNegativeLong(p, v, name);
          break;
        case "rendition_name":
          r.renditionName = string(p, v, name);
          break;
        case "rendition_height":
          r.renditionHeight = nonNegativeLong(p, v, name);
          break;
        case "live_latency_ms":
          r.liveLatencyMs = nonNegativeLong(p, v, name);
          break;
        case "live_latency_sec":
          {
            Double sec = number(p, v, name);
            if (sec != null && r.liveLatencyMs == null) {
              if (sec < 0) {
                throw invalid(name, "must not be negative");
              }
              r.liveLatencyMs = Math.round(sec * 1000);
            }
            break;
          }
        case "from_rendition_name":
          r.fromRenditionName = string(p, v, name);
          break;
        case "to_rendition_name":
          r.toRenditionName = string(p, v, name);
          break;
        case "from_bitrate":
          r.fromBitrate = nonNegativeLong(p, v, name);
          break;
        case "to_bitrate":
          r.toBitrate = nonNegativeLong(p, v, name);
          break;
        case "step_direction":
          r.stepDirection = string(p, v, name);
          break;
        case "end_playback_position_sec":
          r.endPlaybackPositionSec = number(p, v, name);
          break;
        default:
          p.skipChildren(); // unknown fields are ignored, whatever their shape
      }
  }

  /** Checks a record read by {@link #readObject}: its first problem, then the required fields. */
  static void validate(PlayerRecord r) throws RecordRejectedException {
    if (r.rejection != null) {
      throw r.rejection;
    }
    if (isBlank(r.metricTypeName)) {
      throw missing("metric_type");
    }
    if (!r.hasEventTime) {
      throw missing("event_time");
    }
    if (isBlank(r.channelWatched)) {
      throw missing("channel_watched");
    }
    if (isBlank(r.sessionId)) {
      throw missing("session_id");
    }
    r.metricType = MetricType.parse(r.metricTypeName);
  }

  private static void readEventTime(JsonParser p, JsonToken v, PlayerRecord r)
      throws IOException, RecordRejectedException {
    Double t = number(p, v, "event_time");
    if (t == null) {
      return; // null: reported as missing by validate()
    }
    if (t != Math.rint(t)) {
      throw invalid("event_time", "must be whole epoch milliseconds, got " + t);
    }
    long ms = t.longValue();
    if (!isPlausibleEventTime(ms)) {
      throw invalid("event_time", "not epoch milliseconds between 2000 and 2100: " + ms);
    }
    r.eventTime = ms;
    r.hasEventTime = true;
  }

  private static @Nullable String string(JsonParser p, JsonToken v, String name)
      throws IOException, RecordRejectedException {
    switch (v) {
      case VALUE_STRING:
        {
          String s = p.getText().trim();
          return s.isEmpty() ? null : s;
        }
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
      case VALUE_TRUE:
      case VALUE_FALSE:
        return p.getText();
      case VALUE_NULL:
        return null;
      default:
        throw invalid(name, "expected a string, found " + describe(v));
    }
  }

  private static @Nullable Boolean bool(JsonParser p, JsonToken v, String name)
      throws IOException, RecordRejectedException {
    switch (v) {
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      case VALUE_NUMBER_INT:
        {
          int i = p.getIntValue();
          if (i == 0 || i == 1) {
            return i == 1;
          }
          throw invalid(name, "expected a boolean, found " + i);
        }
      case VALUE_STRING:
        {
          String s = p.getText().trim();
          if (s.isEmpty()) {
            return null;
          }
          if (s.equalsIgnoreCase("true") || s.equals("1")) {
            return Boolean.TRUE;
          }
          if (s.equalsIgnoreCase("false") || s.equals("0")) {
            return Boolean.FALSE;
          }
          throw invalid(name, "expected a boolean, found \"" + abbreviate(s) + "\"");
        }
      default:
        throw invalid(name, "expected a boolean, found " + describe(v));
    }
  }

  /** A number, from a JSON number or a numeric string; null when null or an empty string. */
  private static @Nullable Double number(JsonParser p, JsonToken v, String name)
      throws IOException, RecordRejectedException {
    switch (v) {
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_NULL:
        return null;
      case VALUE_STRING:
        {
          String s = p.getText().trim();
          if (s.isEmpty()) {
            return null;
          }
          try {
            double d = new BigDecimal(s).doubleValue();
            if (Double.isFinite(d)) {
              return d;
            }
          } catch (NumberFormatException e) {
            // fall through to the error below
          }
          throw invalid(name, "expected a number, found \"" + abbreviate(s) + "\"");
        }
      default:
        throw invalid(name, "expected a number, found " + describe(v));
    }
  }

  private static @Nullable Long nonNegativeLong(JsonParser p, JsonToken v, String name)
      throws IOException, RecordRejectedException {
    if (v == JsonToken.VALUE_NUMBER_INT) {
      long l = p.getLongValue();
      if (l < 0) {
        throw invalid(name, "must not be negative, got " + l);
      }
      return l;
    }
    Double d = number(p, v, name);
    if (d == null) {
      return null;
    }
    if (d < 0) {
      throw invalid(name, "must not be negative, got " + d);
    }
    return (long) Math.floor(d); // fractional counts and milliseconds: whole units, truncated
  }

  private static boolean isBlank(@Nullable String s) {
    return s == null || s.isEmpty();
  }

  private static RecordRejectedException missing(String field) {
    return new RecordRejectedException(DeadLetterReason.MISSING_FIELD, field);
  }

  private static RecordRejectedException invalid(String field, String why) {
    return new RecordRejectedException(DeadLetterReason.INVALID_FIELD, field + " " + why);
  }

  private static String describe(@Nullable JsonToken t) {
    if (t == null) {
      return "nothing";
    }
    switch (t) {
      case START_ARRAY:
        return "an array";
      case START_OBJECT:
        return "an object";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      default:
        return t.toString();
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
