package org.livemetrics.schemas;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What a player event's fields may hold: every numeric field's range and every string's length and
 * character rules, written once. The parser enforces it (a value outside it is a dead letter naming
 * the field, whether it came as a JSON number or a string), and
 * {@code player_event.schema.json} states the same bounds (a test keeps the two equal).
 *
 * <p>Why bounds at all: every field comes from the public internet. A duration of
 * {@code 9223372036854775807} ms or {@code 1e400} would overflow a sum or a sketch and falsify a
 * whole video's numbers; a string with a lone UTF-16 surrogate or a control character cannot be
 * stored in Parquet, Elasticsearch or a spreadsheet. The bounds are far above anything a real
 * player sends (a summary once a minute, so a day of playing time is already absurd) and far below
 * anything that could overflow: a {@code long} sum of 10<sup>11</sup> maximal durations still fits.
 */
public final class PlayerEventContract {
  private PlayerEventContract() {}

  /** How a field's value is read and checked. */
  public enum Kind {
    /** A string that names something (a video, a session): required ones must not be blank. */
    TEXT,
    /** A number, or a string holding one, within {@code [min, max]}; fractions are truncated. */
    WHOLE,
    /** A number, or a string holding one, within {@code [min, max]}. */
    DECIMAL,
    /** true/false, 1/0, or a string holding one of those. */
    BOOLEAN,
    /** Whole epoch milliseconds within {@code [min, max)}. */
    EPOCH_MS
  }

  /**
   * One field's rule.
   *
   * @param maxLength for {@link Kind#TEXT}: the most UTF-16 code units after trimming
   * @param min the smallest allowed value (numbers)
   * @param max the largest allowed value (numbers; exclusive for {@link Kind#EPOCH_MS})
   * @param unit what the number counts, for messages and docs
   */
  public record Field(String name, Kind kind, boolean required, int maxLength, double min,
      double max, String unit) {

    /** The problem with a string value, or null when it is allowed. */
    public @Nullable String checkText(String value) {
      if (value.length() > maxLength) {
        return "is " + value.length() + " characters long, at most " + maxLength + " allowed";
      }
      return checkCharacters(value);
    }

    /** The problem with a numeric value, or null when it is allowed. */
    public @Nullable String checkNumber(double value) {
      boolean tooHigh = kind == Kind.EPOCH_MS ? !(value < max) : !(value <= max);
      if (Double.isNaN(value) || value < min || tooHigh) {
        return "must be " + range() + ", got "
            + (kind == Kind.EPOCH_MS && Double.isFinite(value) ? Long.toString((long) value) : format(value));
      }
      if (kind == Kind.EPOCH_MS && value != Math.rint(value)) {
        return "must be whole epoch milliseconds, got " + format(value);
      }
      return null;
    }

    /** The allowed range in words, e.g. {@code between 0 and 86,400,000 ms}. */
    public String range() {
      if (kind == Kind.EPOCH_MS) {
        return "epoch milliseconds between 2000 and 2100 (" + java.time.Instant.ofEpochMilli((long) min)
            + " inclusive to " + java.time.Instant.ofEpochMilli((long) max) + " exclusive)";
      }
      return "between " + format(min) + " and " + format(max) + (unit.isEmpty() ? "" : " " + unit);
    }

    public boolean isNumeric() {
      return kind == Kind.WHOLE || kind == Kind.DECIMAL || kind == Kind.EPOCH_MS;
    }
  }

  // Durations: a summary covers about a minute; a day is far beyond any real value.
  private static final double DAY_MS = 86_400_000d;
  private static final double HOUR_MS = 3_600_000d;
  private static final double POSITION_SEC = 1e9; // ~31 years of stream position
  private static final double MAX_COUNT = 1_000_000d;

  /** 2000-01-01T00:00:00Z: catches seconds sent as milliseconds. */
  public static final long MIN_EVENT_TIME = 946_684_800_000L;
  /** 2100-01-01T00:00:00Z. */
  public static final long MAX_EVENT_TIME = 4_102_444_800_000L;

  /** The longest record (one JSON object) read; Kinesis' own record limit is 1 MiB too. */
  public static final int MAX_RECORD_BYTES = 1 << 20;
  /** How deep an event's JSON may nest (events are flat; unknown fields may hold objects). */
  public static final int MAX_NESTING_DEPTH = 32;
  /** The longest number literal read (digits and exponent). */
  public static final int MAX_NUMBER_LENGTH = 64;

  private static final Map<String, Field> FIELDS = new LinkedHashMap<>();

  public static final Field METRIC_TYPE = text("metric_type", true, 64);
  public static final Field EVENT_TIME = add(new Field("event_time", Kind.EPOCH_MS, true, 0,
      MIN_EVENT_TIME, MAX_EVENT_TIME, "epoch ms"));
  public static final Field CHANNEL_WATCHED = text("channel_watched", true, 256);
  public static final Field SESSION_ID = text("session_id", true, 256);
  public static final Field USER_ID = text("user_id", false, 256);
  public static final Field CLIENT_PLATFORM = text("client_platform", false, 64);
  public static final Field IS_LIVE = bool("is_live");
  public static final Field ACCOUNT_ID = text("account_id", false, 128);

  public static final Field STARTUP_LATENCY_MS = whole("startup_latency_ms", HOUR_MS, "ms");
  public static final Field START_PLAYBACK_POSITION_SEC =
      decimal("start_playback_position_sec", -POSITION_SEC, POSITION_SEC, "s");
  public static final Field PLAYING_TIME_MS = whole("playing_time_ms", DAY_MS, "ms");
  public static final Field BUFFERING_TIME_MS = whole("buffering_time_ms", DAY_MS, "ms");
  public static final Field BUFFERING_COUNT = whole("buffering_count", MAX_COUNT, "");
  public static final Field ERROR_COUNT = whole("error_count", MAX_COUNT, "");
  public static final Field RENDITION_NAME = text("rendition_name", false, 128);
  public static final Field RENDITION_HEIGHT = whole("rendition_height", 100_000, "px");
  public static final Field LIVE_LATENCY_MS = whole("live_latency_ms", DAY_MS, "ms");
  public static final Field LIVE_LATENCY_SEC = decimal("live_latency_sec", 0, DAY_MS / 1000, "s");
  public static final Field FROM_RENDITION_NAME = text("from_rendition_name", false, 128);
  public static final Field TO_RENDITION_NAME = text("to_rendition_name", false, 128);
  public static final Field FROM_BITRATE = whole("from_bitrate", 1e11, "bit/s");
  public static final Field TO_BITRATE = whole("to_bitrate", 1e11, "bit/s");
  public static final Field STEP_DIRECTION = text("step_direction", false, 16);
  public static final Field END_PLAYBACK_POSITION_SEC =
      decimal("end_playback_position_sec", -POSITION_SEC, POSITION_SEC, "s");

  public static final Field VIEWER_COUNTRY = text("CloudFront-Viewer-Country", false, 64);
  public static final Field VIEWER_COUNTRY_NAME = text("CloudFront-Viewer-Country-Name", false, 128);
  public static final Field IS_DESKTOP_VIEWER = bool("CloudFront-Is-Desktop-Viewer");
  public static final Field IS_MOBILE_VIEWER = bool("CloudFront-Is-Mobile-Viewer");
  public static final Field IS_TABLET_VIEWER = bool("CloudFront-Is-Tablet-Viewer");
  public static final Field IS_SMART_TV_VIEWER = bool("CloudFront-Is-SmartTV-Viewer");
  public static final Field IP = text("ip", false, 64);
  public static final Field USER_AGENT = text("user_agent", false, 2048);
  public static final Field PLAYER = text("player", false, 256);

  /** Every field read, in the contract's order. */
  public static List<Field> fields() {
    return List.copyOf(FIELDS.values());
  }

  /** The rule of a field read by name, or null for a field the pipeline ignores. */
  public static @Nullable Field field(String name) {
    return FIELDS.get(name);
  }

  /**
   * The problem with a string's characters, or null: no lone UTF-16 surrogate (unencodable in
   * UTF-8: Parquet and Elasticsearch refuse it), no control character (C0, DEL, C1: invisible in a
   * report, and NUL ends strings in many tools), no noncharacter U+FFFE/U+FFFF.
   */
  public static @Nullable String checkCharacters(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        return "contains a lone UTF-16 surrogate " + codePoint(c) + " at index " + i;
      }
      if (Character.isLowSurrogate(c)) {
        return "contains a lone UTF-16 surrogate " + codePoint(c) + " at index " + i;
      }
      if (Character.isISOControl(c)) {
        return "contains the control character " + codePoint(c) + " at index " + i;
      }
      if (c == '\uFFFE' || c == '\uFFFF') {
        return "contains the noncharacter " + codePoint(c) + " at index " + i;
      }
    }
    return null;
  }

  /**
   * {@code s} cut to {@code max} characters with anything {@link #checkCharacters} refuses shown
   * as {@code \\uXXXX}: safe to put in a message, a log or a dead letter.
   */
  public static String printable(String s, int max) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 8);
    int i = 0;
    for (; i < s.length() && b.length() < max; i++) {
      char c = s.charAt(i);
      boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1));
      if (pair) {
        b.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c) || Character.isISOControl(c) || c == '\uFFFE' || c == '\uFFFF') {
        b.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
      } else {
        b.append(c);
      }
    }
    if (i < s.length()) {
      b.append('…');
    }
    return b.toString();
  }

  private static String codePoint(char c) {
    return String.format(Locale.ROOT, "U+%04X", (int) c);
  }

  private static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    return Double.toString(v);
  }

  private static Field text(String name, boolean required, int maxLength) {
    return add(new Field(name, Kind.TEXT, required, maxLength, 0, 0, ""));
  }

  private static Field bool(String name) {
    return add(new Field(name, Kind.BOOLEAN, false, 0, 0, 0, ""));
  }

  private static Field whole(String name, double max, String unit) {
    return add(new Field(name, Kind.WHOLE, false, 0, 0, max, unit));
  }

  private static Field decimal(String name, double min, double max, String unit) {
    return add(new Field(name, Kind.DECIMAL, false, 0, min, max, unit));
  }

  private static Field add(Field f) {
    FIELDS.put(f.name(), f);
    return f;
  }
}
