package org.livemetrics.testdata;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * IVS broadcast events for the sample's two hours (2026-11-22 05:00 to 07:00 UTC), as EventBridge
 * delivers them: duplicated, out of order, one stream without its end, one malformed record and
 * one event of a detail type the metrics ignore. Laid out as a Firehose archive by delivery time,
 * like the player-event sample ({@code testdata/sample-broadcast} is this, checked in).
 *
 * <p>The story and every value it must give, worked out by hand (a backfill of [05:00, 07:00)):
 *
 * <pre>
 * X  eu-west-1  st-x  Start 05:10:00, End 05:40:00 (the End is delivered at 05:40:05, the Start
 *                     only at 05:41:10); Starvation 05:20:30 to 05:21:15 (the Starvation Start
 *                     delivered twice): 1 episode in 05:20, 30 s in 05:20 and 15 s in 05:21.
 *                     Stream row: ended, 30 min.   Live in minutes 05:10 … 05:39.
 * Y  us-east-1  st-y  Session Created 05:29:50, Start 05:30:00, Failure 06:05:30,
 *                     Session Ended 06:05:40.
 *                     Stream row: failed, 35 min 30 s.   Live in minutes 05:30 … 06:05.
 * Z  eu-west-1  st-z  Start 06:30:00, no end: open, as of 07:00 its duration is 30 min.
 *                     Live in minutes 06:30 … 06:59.
 *
 * channel_concurrency (all): 05:10–05:29 → 1, 05:30–05:39 → 2, 05:40–06:05 → 1, 06:30–06:59 → 1
 *   eu-west-1: 05:10–05:39 → 1, 06:30–06:59 → 1;   us-east-1: 05:30–06:05 → 1
 * starvation: X only: count 1 (05:20), 30 000 ms (05:20) + 15 000 ms (05:21)
 * dead letters: 1 (malformed_json); ignored: 1 (detail type IVS Limit Breach)
 * </pre>
 */
public final class BroadcastSample {
  public static final String ACCOUNT = "123456789012";
  public static final String X = "arn:aws:ivs:eu-west-1:" + ACCOUNT + ":channel/xXxXxXxXxXxX";
  public static final String Y = "arn:aws:ivs:us-east-1:" + ACCOUNT + ":channel/yYyYyYyYyYyY";
  public static final String Z = "arn:aws:ivs:eu-west-1:" + ACCOUNT + ":channel/zZzZzZzZzZzZ";

  private static final DateTimeFormatter FIREHOSE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter HOUR_DIR =
      DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);

  /** One record as delivered: when it reached the archive, and its text. */
  public record Delivery(long deliveredAt, String json) {}

  private BroadcastSample() {}

  /** Every record of the story, in delivery order. */
  public static List<Delivery> deliveries() {
    List<Delivery> d = new ArrayList<>();
    d.add(state("05:40:05", X, "x", "st-x", "Stream End", "05:40:00", "e-x-end"));
    d.add(health("05:20:35", X, "x", "st-x", "Starvation Start", "05:20:30", "e-x-starve"));
    d.add(health("05:22:00", X, "x", "st-x", "Starvation Start", "05:20:30", "e-x-starve"));
    d.add(health("05:21:20", X, "x", "st-x", "Starvation End", "05:21:15", "e-x-fed"));
    d.add(state("05:29:52", Y, "y", "st-y", "Session Created", "05:29:50", "e-y-session"));
    d.add(state("05:30:02", Y, "y", "st-y", "Stream Start", "05:30:00", "e-y-start"));
    d.add(state("05:41:10", X, "x", "st-x", "Stream Start", "05:10:00", "e-x-start"));
    d.add(new Delivery(at("05:45:00"),
        "{\"version\":\"0\",\"id\":\"e-limit\",\"detail-type\":\"IVS Limit Breach\","
            + "\"source\":\"aws.ivs\",\"account\":\"" + ACCOUNT + "\",\"time\":\""
            + iso("05:45:00") + "\",\"region\":\"eu-west-1\",\"resources\":[\"" + X + "\"],"
            + "\"detail\":{\"limit_name\":\"Bitrate\",\"exceeded_limit_value\":9000000}}"));
    d.add(new Delivery(at("05:50:00"), "{\"version\":\"0\",\"id\":\"e-broken\",\"detail-type\":"));
    d.add(state("06:05:31", Y, "y", "st-y", "Stream Failure", "06:05:30", "e-y-fail"));
    d.add(state("06:05:41", Y, "y", "st-y", "Session Ended", "06:05:40", "e-y-session-end"));
    d.add(state("06:30:01", Z, "z", "st-z", "Stream Start", "06:30:00", "e-z-start"));
    // The duplicated Stream End of X, an hour later (EventBridge retries).
    d.add(state("06:40:00", X, "x", "st-x", "Stream End", "05:40:00", "e-x-end"));
    d.sort(java.util.Comparator.comparingLong(Delivery::deliveredAt));
    return d;
  }

  /**
   * Writes the deliveries as a Firehose archive under {@code root}: one object per delivery minute,
   * newline-delimited, named like Firehose's ({@code ROOT/YYYY/MM/DD/HH/<stream>-1-<time>-<uuid>}).
   */
  public static void writeArchive(Path root) throws IOException {
    Map<Long, StringBuilder> objects = new TreeMap<>();
    for (Delivery d : deliveries()) {
      objects.computeIfAbsent(d.deliveredAt() / 60_000 * 60_000, k -> new StringBuilder())
          .append(d.json()).append('\n');
    }
    for (Map.Entry<Long, StringBuilder> o : objects.entrySet()) {
      Instant t = Instant.ofEpochMilli(o.getKey());
      Path dir = root.resolve(HOUR_DIR.format(t));
      Files.createDirectories(dir);
      String uuid = UUID.nameUUIDFromBytes(("broadcast-" + o.getKey()).getBytes(StandardCharsets.UTF_8)).toString();
      Files.writeString(dir.resolve("livemetrics-broadcast-events-1-" + FIREHOSE_TIME.format(t) + "-" + uuid),
          o.getValue().toString(), StandardCharsets.UTF_8);
    }
  }

  /** Writes the checked-in copy: {@code BroadcastSample <root>} (testdata/sample-broadcast). */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: BroadcastSample <archive root>");
      System.exit(2);
    }
    writeArchive(Path.of(args[0]));
  }

  /** {@code 05:40:00} on the sample's day, in epoch ms. */
  public static long at(String time) {
    return Instant.parse(iso(time)).toEpochMilli();
  }

  private static String iso(String time) {
    return "2026-11-22T" + time + "Z";
  }

  private static Delivery state(String delivered, String arn, String name, String stream,
      String event, String time, String id) {
    return event(delivered, "IVS Stream State Change", arn, name, stream, event, time, id);
  }

  private static Delivery health(String delivered, String arn, String name, String stream,
      String event, String time, String id) {
    return event(delivered, "IVS Stream Health Change", arn, name, stream, event, time, id);
  }

  private static Delivery event(String delivered, String detailType, String arn, String name,
      String stream, String event, String time, String id) {
    String region = arn.split(":")[3];
    return new Delivery(at(delivered),
        "{\"version\":\"0\",\"id\":\"" + id + "\",\"detail-type\":\"" + detailType + "\","
            + "\"source\":\"aws.ivs\",\"account\":\"" + ACCOUNT + "\",\"time\":\"" + iso(time)
            + "\",\"region\":\"" + region + "\",\"resources\":[\"" + arn + "\"],"
            + "\"detail\":{\"event_name\":\"" + event + "\",\"channel_name\":\"ivs_channel_" + name
            + "\",\"stream_id\":\"" + stream + "\"}}");
  }
}
