package org.livemetrics.testdata;

import java.nio.charset.StandardCharsets;

/**
 * Writes one player event as a JSON object into a reused byte buffer, straight from the simulation
 * state (no object tree, no per-event strings), with the record variations and damage the caller
 * asks for. All values written are ASCII without quotes or backslashes, so nothing needs escaping.
 */
final class PlayerEventEncoder {

  static final int IMPRESSION = 0;
  static final int PLAY = 1;
  static final int PLAYBACK_SUMMARY = 2;
  static final int QUALITY_CHANGED = 3;
  static final int AD_START = 4;
  static final int STOP = 5;
  /** A metric type the pipeline does not know; still a valid event. */
  static final int REBUFFER_START = 6;

  static final String[] METRIC_TYPES = {
    "IMPRESSION", "PLAY", "PLAYBACK_SUMMARY", "QUALITY_CHANGED", "AD_START", "STOP",
    "REBUFFER_START"
  };

  /** How a broken copy of an event is damaged. */
  static final int INTACT = 0;
  static final int NO_METRIC_TYPE = 1;
  static final int NO_EVENT_TIME = 2;
  static final int NO_CHANNEL = 3;
  static final int NO_SESSION = 4;
  static final int EMPTY_SESSION = 5;
  static final int EVENT_TIME_WORD = 6;
  static final int EVENT_TIME_SECONDS = 7;
  static final int NUMBER_WORD = 8;

  /** The IVS ladder: name, height, bitrate. */
  static final String[] RENDITION_NAMES = {"160p30", "360p30", "480p30", "720p60", "1080p60"};
  static final long[] RENDITION_HEIGHTS = {160, 360, 480, 720, 1080};
  static final long[] RENDITION_BITRATES = {300_000, 800_000, 1_500_000, 3_500_000, 6_000_000};

  private static final byte[][] QUOTED_METRIC_TYPES = quotedAll(METRIC_TYPES);
  private static final byte[][] QUOTED_RENDITIONS = quotedAll(RENDITION_NAMES);
  private static final byte[] QUOTED_TRUE = quoted("true");
  private static final byte[] QUOTED_FALSE = quoted("false");
  private static final byte[] TRUE = ascii("true");
  private static final byte[] FALSE = ascii("false");
  private static final byte[] QUOTED_UP = quoted("UP");
  private static final byte[] QUOTED_DOWN = quoted("DOWN");
  private static final byte[] QUOTED_EMPTY = quoted("");
  private static final byte[] QUOTED_ABC = quoted("abc");
  private static final byte[] QUOTED_YESTERDAY = quoted("yesterday");
  private static final byte[] EXTRA_FIELDS =
      ascii(",\"sdk_version\":\"1.24.0\",\"x_trace\":{\"id\":\"1-6737a0c4-5f1e\",\"sampled\":false,"
          + "\"hops\":[1,2]},\"tags\":[\"live\",\"hd\"]");
  private static final byte[] EXTRA_NULL = ascii(",\"buffering_count\":null");

  private static final byte[] K_METRIC_TYPE = key("metric_type");
  private static final byte[] K_EVENT_TIME = key("event_time");
  private static final byte[] K_CHANNEL = key("channel_watched");
  private static final byte[] K_SESSION = key("session_id");
  private static final byte[] K_USER = key("user_id");
  private static final byte[] K_PLATFORM = key("client_platform");
  private static final byte[] K_IS_LIVE = key("is_live");
  private static final byte[] K_ACCOUNT = key("account_id");
  private static final byte[] K_STARTUP = key("startup_latency_ms");
  private static final byte[] K_START_POS = key("start_playback_position_sec");
  private static final byte[] K_PLAYING = key("playing_time_ms");
  private static final byte[] K_BUFFERING = key("buffering_time_ms");
  private static final byte[] K_BUFFERING_COUNT = key("buffering_count");
  private static final byte[] K_ERRORS = key("error_count");
  private static final byte[] K_RENDITION = key("rendition_name");
  private static final byte[] K_HEIGHT = key("rendition_height");
  private static final byte[] K_LATENCY_MS = key("live_latency_ms");
  private static final byte[] K_LATENCY_SEC = key("live_latency_sec");
  private static final byte[] K_FROM_RENDITION = key("from_rendition_name");
  private static final byte[] K_TO_RENDITION = key("to_rendition_name");
  private static final byte[] K_FROM_BITRATE = key("from_bitrate");
  private static final byte[] K_TO_BITRATE = key("to_bitrate");
  private static final byte[] K_STEP = key("step_direction");
  private static final byte[] K_END_POS = key("end_playback_position_sec");
  private static final byte[] K_IP = key("ip");
  private static final byte[] K_USER_AGENT = key("user_agent");
  private static final byte[] K_PLAYER = key("player");
  private static final byte[] K_COUNTRY = key("CloudFront-Viewer-Country");
  private static final byte[] K_COUNTRY_NAME = key("CloudFront-Viewer-Country-Name");
  private static final byte[] K_CITY = key("CloudFront-Viewer-City");
  private static final byte[] K_DESKTOP = key("CloudFront-Is-Desktop-Viewer");
  private static final byte[] K_MOBILE = key("CloudFront-Is-Mobile-Viewer");
  private static final byte[] K_TABLET = key("CloudFront-Is-Tablet-Viewer");
  private static final byte[] K_SMART_TV = key("CloudFront-Is-SmartTV-Viewer");

  private static final byte[] DIGIT_PAIRS = digitPairs();

  final byte[] buf = new byte[16 * 1024];
  private int pos;
  private boolean first;

  // The event: set by the simulation before encode().
  int type;
  long eventTime;
  byte[] channelQuoted;
  byte[] channelBare;
  byte[] sessionQuoted;
  ViewerSimulation.Device device;
  byte[] accountQuoted;
  long startupLatencyMs;
  long positionTenths;
  long playingMs;
  long bufferingMs;
  long bufferingCount;
  long errorCount;
  int rendition;
  long liveLatencyMs;
  int fromRendition;

  // Its variations.
  boolean stringValues;
  boolean latencyInSeconds;
  boolean countryNameOnly;
  boolean noDeviceFlags;
  boolean noAccount;
  boolean emptyAccount;
  boolean extraFields;

  /** Encodes the event into {@link #buf}; returns the length. */
  int encode(int damage) {
    pos = 0;
    buf[pos++] = '{';
    first = true;
    boolean s = stringValues;
    if (damage != NO_METRIC_TYPE) {
      field(K_METRIC_TYPE);
      put(QUOTED_METRIC_TYPES[type]);
    }
    if (damage == EVENT_TIME_WORD) {
      field(K_EVENT_TIME);
      put(QUOTED_YESTERDAY);
    } else if (damage == EVENT_TIME_SECONDS) {
      field(K_EVENT_TIME);
      number(eventTime / 1000, false);
    } else if (damage != NO_EVENT_TIME) {
      field(K_EVENT_TIME);
      number(eventTime, s);
    }
    if (damage != NO_CHANNEL) {
      field(K_CHANNEL);
      // Numeric video ids arrive as JSON numbers from some players.
      put(s ? channelBare : channelQuoted);
    }
    if (damage == EMPTY_SESSION) {
      field(K_SESSION);
      put(QUOTED_EMPTY);
    } else if (damage != NO_SESSION) {
      field(K_SESSION);
      put(sessionQuoted);
    }
    ViewerSimulation.Device d = device;
    if (d.userIdQuoted != null) {
      field(K_USER);
      put(d.userIdQuoted);
    }
    field(K_PLATFORM);
    put(d.platformQuoted);
    field(K_IS_LIVE);
    put(s ? QUOTED_TRUE : TRUE);
    if (!noAccount) {
      field(K_ACCOUNT);
      put(emptyAccount ? QUOTED_EMPTY : accountQuoted);
    }
    switch (type) {
      case PLAY -> {
        field(K_STARTUP);
        number(startupLatencyMs, s);
        field(K_START_POS);
        tenths(positionTenths, s);
      }
      case PLAYBACK_SUMMARY -> {
        field(K_PLAYING);
        if (damage == NUMBER_WORD) {
          put(QUOTED_ABC);
        } else {
          number(playingMs, s);
        }
        field(K_BUFFERING);
        number(bufferingMs, s);
        field(K_BUFFERING_COUNT);
        number(bufferingCount, s);
        field(K_ERRORS);
        number(errorCount, s);
        field(K_RENDITION);
        put(QUOTED_RENDITIONS[rendition]);
        field(K_HEIGHT);
        number(RENDITION_HEIGHTS[rendition], s);
        if (latencyInSeconds) {
          field(K_LATENCY_SEC);
          tenths(liveLatencyMs / 100, true);
        } else {
          field(K_LATENCY_MS);
          number(liveLatencyMs, s);
        }
      }
      case QUALITY_CHANGED -> {
        field(K_FROM_RENDITION);
        put(QUOTED_RENDITIONS[fromRendition]);
        field(K_TO_RENDITION);
        put(QUOTED_RENDITIONS[rendition]);
        field(K_FROM_BITRATE);
        number(RENDITION_BITRATES[fromRendition], s);
        field(K_TO_BITRATE);
        number(RENDITION_BITRATES[rendition], s);
        field(K_STEP);
        put(rendition > fromRendition ? QUOTED_UP : QUOTED_DOWN);
      }
      case STOP -> {
        field(K_END_POS);
        tenths(positionTenths, s);
      }
      default -> { }
    }
    if (damage == NUMBER_WORD && type != PLAYBACK_SUMMARY) {
      field(K_PLAYING);
      put(QUOTED_ABC);
    }
    if (!s && !countryNameOnly && !noDeviceFlags) {
      put(d.usualTail);
    } else {
      deviceTail(d, s, countryNameOnly, noDeviceFlags);
    }
    if (extraFields) {
      put(EXTRA_FIELDS);
      if (type != PLAYBACK_SUMMARY) {
        put(EXTRA_NULL);
      }
    }
    buf[pos++] = '}';
    return pos;
  }

  /** Where the event came from: the fields the edge and the player add about the device. */
  private void deviceTail(
      ViewerSimulation.Device d, boolean s, boolean countryNameOnly, boolean noDeviceFlags) {
    if (d.ipQuoted != null) {
      field(K_IP);
      put(d.ipQuoted);
      field(K_USER_AGENT);
      put(d.userAgentQuoted);
    }
    field(K_PLAYER);
    put(d.playerQuoted);
    if (d.country != null) {
      if (!countryNameOnly) {
        field(K_COUNTRY);
        put(s ? d.countryCodeLowerQuoted : d.countryCodeQuoted);
      }
      field(K_COUNTRY_NAME);
      put(d.countryNameQuoted);
      field(K_CITY);
      put(d.cityQuoted);
    }
    if (!noDeviceFlags) {
      String c = d.userAgent.deviceType();
      flag(K_DESKTOP, c.equals(KnownUserAgents.DESKTOP), s);
      // CloudFront marks tablets as mobile too; the tablet flag wins.
      flag(K_MOBILE, c.equals(KnownUserAgents.MOBILE) || c.equals(KnownUserAgents.TABLET), s);
      flag(K_TABLET, c.equals(KnownUserAgents.TABLET), s);
      flag(K_SMART_TV, c.equals(KnownUserAgents.SMART_TV), s);
    }
  }

  /** The device fields as most records carry them, encoded once per device. */
  static byte[] usualTail(ViewerSimulation.Device d) {
    PlayerEventEncoder e = new PlayerEventEncoder();
    e.first = false;
    e.deviceTail(d, false, false, false);
    return java.util.Arrays.copyOf(e.buf, e.pos);
  }

  private void flag(byte[] key, boolean value, boolean asBoolean) {
    field(key);
    // CloudFront sends header values, i.e. strings; "string values" records send booleans.
    if (asBoolean) {
      put(value ? TRUE : FALSE);
    } else {
      put(value ? QUOTED_TRUE : QUOTED_FALSE);
    }
  }

  private void field(byte[] key) {
    if (first) {
      first = false;
    } else {
      buf[pos++] = ',';
    }
    put(key);
  }

  private void put(byte[] b) {
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
  }

  private void number(long v, boolean asString) {
    if (asString) {
      buf[pos++] = '"';
    }
    digits(v);
    if (asString) {
      buf[pos++] = '"';
    }
  }

  /** A value in tenths as a decimal: 42 → 4.2. */
  private void tenths(long v, boolean asString) {
    if (asString) {
      buf[pos++] = '"';
    }
    digits(v / 10);
    buf[pos++] = '.';
    buf[pos++] = (byte) ('0' + v % 10);
    if (asString) {
      buf[pos++] = '"';
    }
  }

  private void digits(long v) {
    if (v < 0) {
      buf[pos++] = '-';
      v = -v;
    }
    if (v >= 10_000_000_000_000_000L || v < 0) {
      put(ascii(Long.toString(v)));
      return;
    }
    // Epoch milliseconds have 13 digits: the top part and then 8 digits, two at a time.
    if (v >= 100_000_000L) {
      digits((int) (v / 100_000_000L));
      int low = (int) (v % 100_000_000L);
      for (int i = 6; i >= 0; i -= 2) {
        int p = (low % 100) * 2;
        low /= 100;
        buf[pos + i] = DIGIT_PAIRS[p];
        buf[pos + i + 1] = DIGIT_PAIRS[p + 1];
      }
      pos += 8;
      return;
    }
    digits((int) v);
  }

  private void digits(int x) {
    int n = x < 10 ? 1 : x < 100 ? 2 : x < 1_000 ? 3 : x < 10_000 ? 4 : x < 100_000 ? 5
        : x < 1_000_000 ? 6 : x < 10_000_000 ? 7 : x < 100_000_000 ? 8 : x < 1_000_000_000 ? 9
        : 10;
    int i = pos + n;
    while (x >= 10) {
      int p = (x % 100) * 2;
      x /= 100;
      buf[--i] = DIGIT_PAIRS[p + 1];
      buf[--i] = DIGIT_PAIRS[p];
    }
    if (i > pos) {
      buf[--i] = (byte) ('0' + x);
    }
    pos += n;
  }

  private static byte[] digitPairs() {
    byte[] b = new byte[200];
    for (int i = 0; i < 100; i++) {
      b[2 * i] = (byte) ('0' + i / 10);
      b[2 * i + 1] = (byte) ('0' + i % 10);
    }
    return b;
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] quoted(String s) {
    if (s.indexOf('"') >= 0 || s.indexOf('\\') >= 0) {
      throw new IllegalArgumentException("Generated values need no escaping: " + s);
    }
    return ascii('"' + s + '"');
  }

  private static byte[] key(String name) {
    return ascii('"' + name + "\":");
  }

  private static byte[][] quotedAll(String[] values) {
    byte[][] out = new byte[values.length][];
    for (int i = 0; i < values.length; i++) {
      out[i] = quoted(values[i]);
    }
    return out;
  }
}
