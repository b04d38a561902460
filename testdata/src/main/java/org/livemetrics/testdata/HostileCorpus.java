package org.livemetrics.testdata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * A generated corpus of hostile player records, each class beside good events, with what the
 * pipeline must make of every one written out here by hand: the good events counted exactly, each
 * bad record one dead letter with the reason given.
 *
 * <p>Every case is one archive object of arrival hour 2025-11-22T05 holding a good IMPRESSION of
 * its own session, the hostile bytes, and a good PLAY of the same session after them: the good
 * events around a bad record must survive it. The record-level cases are also single Kinesis
 * records (for the streaming tests); the object-level ones (compression, framing of whole objects)
 * exist only in the archive.
 */
public final class HostileCorpus {
  /** The arrival hour every case's object is filed under. */
  public static final long ARRIVAL_HOUR = Instant.parse("2025-11-22T05:00:00Z").toEpochMilli();
  public static final String ACCOUNT = "acme";
  /** The video of every good event. */
  public static final String GOOD_VIDEO = "good-video";
  private static final long MINUTE = 60_000L;

  /**
   * One class of hostile input.
   *
   * @param name what it is, short (the object's name)
   * @param reason the dead-letter reason its bad record must get
   * @param bad the bad record's bytes (for object cases, the object's middle part)
   * @param objectLevel true when only an archive object can carry it (whole-object framing and
 *     compression, or a record Kinesis itself refuses)
   * @param gzip write the object gzipped
   * @param truncateGzipTo cut the gzipped object to this many bytes (0: whole)
   */
  public record Case(String name, String reason, byte[] bad, boolean objectLevel, boolean gzip,
      int truncateGzipTo) {}

  private HostileCorpus() {}

  /** A good event of the corpus: video {@link #GOOD_VIDEO}, account {@link #ACCOUNT}. */
  public static String good(String metricType, String session, long eventTime) {
    return "{\"metric_type\":\"" + metricType + "\",\"event_time\":" + eventTime
        + ",\"channel_watched\":\"" + GOOD_VIDEO + "\",\"session_id\":\"" + session
        + "\",\"account_id\":\"" + ACCOUNT + "\",\"client_platform\":\"web\","
        + "\"CloudFront-Viewer-Country\":\"DE\",\"CloudFront-Is-Desktop-Viewer\":\"true\","
        + "\"ip\":\"203.0.113.9\",\"user_agent\":\"Mozilla/5.0\",\"player\":\"p\"}";
  }

  /** A record that would be good but for one field's value ({@code "field":value}). */
  private static String with(long hour, String fieldAndValue) {
    return "{\"metric_type\":\"PLAYBACK_SUMMARY\",\"event_time\":" + (hour + 30 * MINUTE)
        + ",\"channel_watched\":\"bad-video\",\"session_id\":\"bad\",\"account_id\":\"" + ACCOUNT
        + "\"," + fieldAndValue + "}";
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** Every case, in a fixed order, for records arriving in {@link #ARRIVAL_HOUR}. */
  public static List<Case> cases() {
    return cases(ARRIVAL_HOUR);
  }

  /** Every case, in a fixed order, for records arriving in the hour starting at {@code hour}. */
  public static List<Case> cases(long hour) {
    List<Case> c = new ArrayList<>();
    // Encodings.
    c.add(record("lone-surrogate-escape", "invalid_field", utf8(with(hour, "\"rendition_name\":\"55\\ud80055\""))));
    c.add(record("lone-surrogate-bytes", "invalid_field", concat(
        utf8("{\"metric_type\":\"PLAY\",\"event_time\":" + (hour + 30 * MINUTE)
            + ",\"channel_watched\":\"bad-video\",\"session_id\":\"bad\",\"account_id\":\"a"),
        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, utf8("\"}"))));
    c.add(record("invalid-utf8-byte", "malformed_json", concat(
        utf8("{\"metric_type\":\"PLAY\",\"event_time\":" + (hour + 30 * MINUTE)
            + ",\"channel_watched\":\"bad-"), new byte[] {(byte) 0xFF, (byte) 0xFE},
        utf8("\",\"session_id\":\"bad\"}"))));
    c.add(record("nul-in-id", "invalid_field", utf8(with(hour, "\"session_id\":\"a\\u0000b\""))));
    c.add(record("terminal-escape-in-name", "invalid_field", utf8(with(hour, "\"rendition_name\":\"x\\u001b[2J\""))));
    // Numbers.
    c.add(record("long-max-duration", "invalid_field", utf8(with(hour, "\"playing_time_ms\":9223372036854775807"))));
    c.add(record("double-overflow", "invalid_field", utf8(with(hour, "\"playing_time_ms\":1e400"))));
    c.add(record("double-overflow-string", "invalid_field", utf8(with(hour, "\"playing_time_ms\":\"1e400\""))));
    c.add(record("negative-duration", "invalid_field", utf8(with(hour, "\"buffering_time_ms\":-5"))));
    c.add(record("huge-latency", "invalid_field", utf8(with(hour, "\"startup_latency_ms\":1e300"))));
    c.add(record("nan-string", "invalid_field", utf8(with(hour, "\"live_latency_ms\":\"NaN\""))));
    c.add(record("huge-integer-boolean", "invalid_field", utf8(with(hour, "\"is_live\":123456789012345678901234567890"))));
    c.add(record("event-time-in-seconds", "invalid_field", utf8("{\"metric_type\":\"PLAY\",\"event_time\":"
        + (hour / 1000) + ",\"channel_watched\":\"bad-video\",\"session_id\":\"bad\"}")));
    c.add(record("fractional-event-time", "invalid_field", utf8("{\"metric_type\":\"PLAY\",\"event_time\":"
        + hour + ".5,\"channel_watched\":\"bad-video\",\"session_id\":\"bad\"}")));
    // Sizes.
    c.add(record("long-video-id", "invalid_field", utf8(with(hour, "\"rendition_name\":\"r\",\"channel_watched\":\""
        + "v".repeat(300) + "\""))));
    // Kinesis refuses a record over 1 MiB itself: this one can only come from an archive object.
    c.add(new Case("record-over-1mib", "record_too_large",
        utf8(with(hour, "\"pad\":\"" + "x".repeat(1_500_000) + "\"")), true, false, 0));
    // Nesting and types.
    c.add(record("deep-nesting", "malformed_json", utf8(with(hour, "\"x\":" + "[".repeat(10_000) + "]".repeat(10_000)))));
    c.add(record("object-as-id", "invalid_field", utf8(with(hour, "\"session_id\":{\"$ne\":null}"))));
    c.add(record("array-as-type", "invalid_field", utf8("{\"metric_type\":[\"PLAY\"],\"event_time\":"
        + (hour + 30 * MINUTE) + ",\"channel_watched\":\"bad-video\",\"session_id\":\"bad\"}")));
    c.add(record("number-at-root", "not_an_object", utf8("42")));
    c.add(record("string-at-root", "not_an_object", utf8("\"heartbeat\"")));
    c.add(record("missing-session", "missing_field", utf8("{\"metric_type\":\"PLAY\",\"event_time\":"
        + (hour + 30 * MINUTE) + ",\"channel_watched\":\"bad-video\"}")));
    // Times.
    c.add(record("clock-hours-ahead", "clock_skew", utf8("{\"metric_type\":\"PLAY\",\"event_time\":"
        + (hour + 5 * 60 * MINUTE) + ",\"channel_watched\":\"bad-video\",\"session_id\":\"bad\"}")));
    c.add(record("arrived-hours-late", "too_late", utf8("{\"metric_type\":\"PLAY\",\"event_time\":"
        + (hour - 3 * 60 * MINUTE) + ",\"channel_watched\":\"bad-video\",\"session_id\":\"bad\"}")));
    // Framing.
    c.add(record("unterminated-object", "malformed_json", utf8("{\"metric_type\":\"PLAY\",\"event_time\":")));
    c.add(record("garbage-line", "malformed_json", utf8("{\"metric_type\":]")));
    // Object level: compression and whole-object framing.
    c.add(new Case("gzip-bomb-one-line", "record_too_large", bomb(64 << 20), true, true, 0));
    c.add(new Case("line-of-3mib", "record_too_large", utf8("{\"pad\":\"" + "y".repeat(3 << 20)), true, false, 0));
    c.add(new Case("truncated-gzip", "unreadable_object", padding(hour, 3000), true, true, 0));
    return c;
  }

  private static Case record(String name, String reason, byte[] bad) {
    return new Case(name, reason, bad, false, false, 0);
  }

  /** {@code bytes} bytes of one letter and no newline: a megabyte or so once gzipped. */
  private static byte[] bomb(int bytes) {
    byte[] b = new byte[bytes];
    Arrays.fill(b, (byte) 'a');
    return b;
  }

  /** Valid filler events of another video, for the truncated object to be cut inside. */
  private static byte[] padding(long hour, int records) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < records; i++) {
      b.append("{\"metric_type\":\"IMPRESSION\",\"event_time\":").append(hour + 40 * MINUTE)
          .append(",\"channel_watched\":\"filler\",\"session_id\":\"f").append(i).append("\"}\n");
    }
    return utf8(b.toString());
  }

  /** The session of case {@code i}'s good events. */
  public static String session(int i) {
    return "good-" + i;
  }

  /** The minute of case {@code i}'s good events: cases spread over the hour, two a minute. */
  public static long goodMinute(int i) {
    return ARRIVAL_HOUR + (i / 2) * MINUTE;
  }

  /** The object of case {@code i}: good IMPRESSION, the hostile bytes, good PLAY, one per line. */
  public static byte[] object(int i, Case c) {
    byte[] before = utf8(good("IMPRESSION", session(i), goodMinute(i) + 1000) + "\n");
    byte[] after = utf8("\n" + good("PLAY", session(i), goodMinute(i) + 2000) + "\n");
    if (c.name().equals("truncated-gzip")) {
      // The good pair first, then filler, cut inside the filler.
      return concat(before, after, c.bad());
    }
    return concat(before, c.bad(), after);
  }

  /** What a backfill of the corpus must produce. */
  public record Expected(long goodImpressions, long goodViews, Map<String, Long> deadLettersByReason) {}

  /** Writes every case's object under {@code root} and says what must come of them. */
  public static Expected write(Path root) throws IOException {
    List<Case> cases = cases();
    Path dir = root.resolve("2025/11/22/05"); // ARRIVAL_HOUR's partition
    Files.createDirectories(dir);
    Map<String, Long> reasons = new TreeMap<>();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      byte[] content = object(i, c);
      String name = String.format(Locale.ROOT, "player-events-1-2025-11-22-05-%02d-00-%s%s", i,
          c.name(), c.gzip() ? ".gz" : "");
      byte[] bytes = c.gzip() ? gzip(content) : content;
      if (c.name().equals("truncated-gzip")) {
        bytes = Arrays.copyOf(bytes, bytes.length / 2);
      }
      Files.write(dir.resolve(name), bytes);
      reasons.merge(c.reason(), 1L, Long::sum);
    }
    return new Expected(cases.size(), cases.size(), reasons);
  }

  /** The record-level cases as Kinesis records would carry them, good events around each. */
  public static List<byte[]> streamRecords() {
    List<byte[]> out = new ArrayList<>();
    List<Case> cases = cases();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      if (c.objectLevel()) {
        continue;
      }
      out.add(utf8(good("IMPRESSION", session(i), goodMinute(i) + 1000)));
      out.add(c.bad());
      out.add(utf8(good("PLAY", session(i), goodMinute(i) + 2000)));
    }
    return out;
  }

  /**
   * {@link #streamRecords()} for records put into a live stream now: the cases of the hour
   * {@code hour} (now's), every good event at {@code goodTime} (a moment ago), so that none is late.
   */
  public static List<byte[]> liveStreamRecords(long hour, long goodTime) {
    List<byte[]> out = new ArrayList<>();
    List<Case> cases = cases(hour);
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      if (c.objectLevel()) {
        continue;
      }
      out.add(utf8(good("IMPRESSION", session(i), goodTime)));
      out.add(c.bad());
      out.add(utf8(good("PLAY", session(i), goodTime + 1)));
    }
    return out;
  }

  /** What {@link #streamRecords} must produce. */
  public static Expected expectedOfStream() {
    Map<String, Long> reasons = new TreeMap<>();
    long good = 0;
    for (Case c : cases()) {
      if (!c.objectLevel()) {
        reasons.merge(c.reason(), 1L, Long::sum);
        good++;
      }
    }
    return new Expected(good, good, reasons);
  }

  static byte[] gzip(byte[] content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(bytes, 1 << 16)) {
      gz.write(content);
    }
    return bytes.toByteArray();
  }

  /** Writes the corpus: {@code HostileCorpus ROOT}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: HostileCorpus ROOT");
      System.exit(2);
    }
    Expected e = write(Path.of(args[0]));
    System.out.println("wrote " + cases().size() + " hostile cases under " + args[0]
        + "/2025/11/22/05: " + e);
  }
}
