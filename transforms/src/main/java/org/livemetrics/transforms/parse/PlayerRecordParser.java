package org.livemetrics.transforms.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.math.BigDecimal;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.MetricType;
import org.livemetrics.schemas.PlayerEventContract;
import org.livemetrics.schemas.PlayerEventContract.Field;

/**
 * Parses one JSON object into a {@link PlayerRecord} with Jackson's streaming parser (no tree, no
 * per-field objects beyond the strings kept), coercing the loose types real players send: numbers
 * and booleans as strings, {@code live_latency_sec} instead of {@code live_latency_ms}. Unknown
 * fields are skipped.
 *
 * <p>The contract is {@code schemas/src/main/resources/org/livemetrics/schemas/player_event.schema.json}.
 */
public final class PlayerRecordParser {
  /** Whether {@code ms} is an event_time this parser accepts (epoch ms between 2000 and 2100). */
  public static boolean isPlausibleEventTime(long ms) {
    return PlayerEventContract.EVENT_TIME.checkNumber(ms) == null;
  }

  /**
   * Jackson with limits that fit a player event: the nesting and string limits make a hostile
   * record a {@code malformed_json} dead letter after bounded work instead of a deep recursion or
   * a 20 MB string.
   */
  public static JsonFactory jsonFactory() {
    return JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(PlayerEventContract.MAX_NESTING_DEPTH)
            .maxStringLength(PlayerEventContract.MAX_RECORD_BYTES)
            .build())
        .build();
  }

  private final JsonFactory factory = jsonFactory();

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
        r.metricTypeName = string(p, v, PlayerEventContract.METRIC_TYPE);
        break;
      case "event_time":
        readEventTime(p, v, r);
        break;
      case "channel_watched":
        r.channelWatched = string(p, v, PlayerEventContract.CHANNEL_WATCHED);
        break;
      case "session_id":
        r.sessionId = string(p, v, PlayerEventContract.SESSION_ID);
        break;
      case "user_id":
        r.userId = string(p, v, PlayerEventContract.USER_ID);
        break;
      case "client_platform":
        r.clientPlatform = string(p, v, PlayerEventContract.CLIENT_PLATFORM);
        break;
      case "is_live":
        r.isLive = bool(p, v, PlayerEventContract.IS_LIVE);
        break;
      case "account_id":
        r.accountId = string(p, v, PlayerEventContract.ACCOUNT_ID);
        break;
      case "CloudFront-Viewer-Country":
        r.countryCode = string(p, v, PlayerEventContract.VIEWER_COUNTRY);
        break;
      case "CloudFront-Viewer-Country-Name":
        r.countryName = string(p, v, PlayerEventContract.VIEWER_COUNTRY_NAME);
        break;
      case "CloudFront-Is-Desktop-Viewer":
        r.desktopViewer = bool(p, v, PlayerEventContract.IS_DESKTOP_VIEWER);
        break;
      case "CloudFront-Is-Mobile-Viewer":
        r.mobileViewer = bool(p, v, PlayerEventContract.IS_MOBILE_VIEWER);
        break;
      case "CloudFront-Is-Tablet-Viewer":
        r.tabletViewer = bool(p, v, PlayerEventContract.IS_TABLET_VIEWER);
        break;
      case "CloudFront-Is-SmartTV-Viewer":
        r.smartTvViewer = bool(p, v, PlayerEventContract.IS_SMART_TV_VIEWER);
        break;
      case "ip":
        r.ip = string(p, v, PlayerEventContract.IP);
        break;
      case "user_agent":
        r.userAgent = string(p, v, PlayerEventContract.USER_AGENT);
        break;
      case "player":
        r.player = string(p, v, PlayerEventContract.PLAYER);
        break;
      case "startup_latency_ms":
        r.startupLatencyMs = whole(p, v, PlayerEventContract.STARTUP_LATENCY_MS);
        break;
      case "start_playback_position_sec":
        r.startPlaybackPositionSec = number(p, v, PlayerEventContract.START_PLAYBACK_POSITION_SEC);
        break;
      case "playing_time_ms":
        r.playingTimeMs = whole(p, v, PlayerEventContract.PLAYING_TIME_MS);
        break;
      case "buffering_time_ms":
        r.bufferingTimeMs = whole(p, v, PlayerEventContract.BUFFERING_TIME_MS);
        break;
      case "buffering_count":
        r.bufferingCount = whole(p, v, PlayerEventContract.BUFFERING_COUNT);
        break;
      case "error_count":
        r.errorCount = whole(p, v, PlayerEventContract.ERROR_COUNT);
        break;
      case "rendition_name":
        r.renditionName = string(p, v, PlayerEventContract.RENDITION_NAME);
        break;
      case "rendition_height":
        r.renditionHeight = whole(p, v, PlayerEventContract.RENDITION_HEIGHT);
        break;
      case "live_latency_ms":
        r.liveLatencyMs = whole(p, v, PlayerEventContract.LIVE_LATENCY_MS);
        break;
      case "live_latency_sec":
        {
          Double sec = number(p, v, PlayerEventContract.LIVE_LATENCY_SEC);
          if (sec != null && r.liveLatencyMs == null) {
            r.liveLatencyMs = Math.round(sec * 1000);
          }
          break;
        }
      case "from_rendition_name":
        r.fromRenditionName = string(p, v, PlayerEventContract.FROM_RENDITION_NAME);
        break;
      case "to_rendition_name":
        r.toRenditionName = string(p, v, PlayerEventContract.TO_RENDITION_NAME);
        break;
      case "from_bitrate":
        r.fromBitrate = whole(p, v, PlayerEventContract.FROM_BITRATE);
        break;
      case "to_bitrate":
        r.toBitrate = whole(p, v, PlayerEventContract.TO_BITRATE);
        break;
      case "step_direction":
        r.stepDirection = string(p, v, PlayerEventContract.STEP_DIRECTION);
        break;
      case "end_playback_position_sec":
        r.endPlaybackPositionSec = number(p, v, PlayerEventContract.END_PLAYBACK_POSITION_SEC);
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
    Double t = number(p, v, PlayerEventContract.EVENT_TIME);
    if (t == null) {
      return; // null: reported as missing by validate()
    }
    r.eventTime = t.longValue();
    r.hasEventTime = true;
  }

  /** A string field, trimmed; numbers and booleans as their text; null when null or empty. */
  private static @Nullable String string(JsonParser p, JsonToken v, Field field)
      throws IOException, RecordRejectedException {
    String s;
    switch (v) {
      case VALUE_STRING:
        s = p.getText().trim();
        if (s.isEmpty()) {
          return null;
        }
        break;
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
      case VALUE_TRUE:
      case VALUE_FALSE:
        s = p.getText();
        break;
      case VALUE_NULL:
        return null;
      default:
        throw invalid(field, "expected a string, found " + describe(v));
    }
    String problem = field.checkText(s);
    if (problem != null) {
      throw invalid(field, problem);
    }
    return s;
  }

  private static @Nullable Boolean bool(JsonParser p, JsonToken v, Field field)
      throws IOException, RecordRejectedException {
    switch (v) {
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
      case VALUE_STRING:
        {
          // Text, not getIntValue(): a huge number must be a dead letter, not a parser exception.
          String s = p.getText().trim();
          if (s.isEmpty() && v == JsonToken.VALUE_STRING) {
            return null;
          }
          if (s.equalsIgnoreCase("true") && v == JsonToken.VALUE_STRING || s.equals("1")) {
            return Boolean.TRUE;
          }
          if (s.equalsIgnoreCase("false") && v == JsonToken.VALUE_STRING || s.equals("0")) {
            return Boolean.FALSE;
          }
          throw invalid(field, "expected a boolean, found "
              + (v == JsonToken.VALUE_STRING ? "\"" + abbreviate(s) + "\"" : abbreviate(s)));
        }
      default:
        throw invalid(field, "expected a boolean, found " + describe(v));
    }
  }

  /**
   * A number, from a JSON number or a numeric string, checked against the field's range the same
   * way whichever it came as; null when null or an empty string.
   */
  private static @Nullable Double number(JsonParser p, JsonToken v, Field field)
      throws IOException, RecordRejectedException {
    double d;
    switch (v) {
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        d = p.getDoubleValue(); // beyond double's range: Infinity, refused by the range below
        break;
      case VALUE_NULL:
        return null;
      case VALUE_STRING:
        {
          String s = p.getText().trim();
          if (s.isEmpty()) {
            return null;
          }
          d = parseNumber(s, field);
          break;
        }
      default:
        throw invalid(field, "expected a number, found " + describe(v));
    }
    String problem = field.checkNumber(d);
    if (problem != null) {
      throw invalid(field, problem);
    }
    return d;
  }

  private static double parseNumber(String s, Field field) throws RecordRejectedException {
    // JSON's number grammar only (no "NaN", "0x10", "1_000"), and short: BigDecimal's parse of a
    // huge literal is not linear.
    if (s.length() <= PlayerEventContract.MAX_NUMBER_LENGTH && NUMBER.matcher(s).matches()) {
      return new BigDecimal(s).doubleValue();
    }
    throw invalid(field, "expected a number, found \"" + abbreviate(s) + "\"");
  }

  private static final java.util.regex.Pattern NUMBER =
      java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  /** A whole number within the field's range; a fraction is truncated to whole units. */
  private static @Nullable Long whole(JsonParser p, JsonToken v, Field field)
      throws IOException, RecordRejectedException {
    Double d = number(p, v, field);
    return d == null ? null : (long) Math.floor(d);
  }

  private static boolean isBlank(@Nullable String s) {
    return s == null || s.isEmpty();
  }

  private static RecordRejectedException missing(String field) {
    return new RecordRejectedException(DeadLetterReason.MISSING_FIELD, field);
  }

  private static RecordRejectedException invalid(Field field, String why) {
    return new RecordRejectedException(DeadLetterReason.INVALID_FIELD, field.name() + " " + why);
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
    return PlayerEventContract.printable(s, 40);
  }
}
