package org.livemetrics.transforms.parse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.joda.time.Duration;
import org.junit.Test;
import org.livemetrics.schemas.PlayerEvent;

/**
 * The validation contract ({@code PlayerEventContract}) as the decoder applies it to values an
 * attacker would send: every expected message and value here is written out by hand.
 */
public class HostileFieldsTest {
  private static final String BASE =
      "\"event_time\":1763787600000,\"channel_watched\":\"5555\",\"session_id\":\"s1\"";
  // 2025-11-22T05:00:00Z, the hour BASE's event_time falls in.
  private static final long HOUR_05 = 1763787600000L;

  private final CollectedOutput out = new CollectedOutput();
  private final List<PlayerEvent> events = out.events;
  private final List<String> rejected = out.rejected;
  private final List<RejectedRecord> records = out.records;

  private void decode(PlayerEventDecoder decoder, RawRecord raw) throws Exception {
    decoder.decode(raw, out);
  }

  private void decode(String payload) throws Exception {
    decode(new PlayerEventDecoder("secret", "acct"), RawRecord.of("obj", payload));
  }

  private String onlyRejection(String payload) throws Exception {
    out.clear();
    decode(payload);
    assertEquals("events of " + payload, 0, events.size());
    assertEquals("dead letters of " + payload, 1, rejected.size());
    return rejected.get(0);
  }

  @Test
  public void aLoneSurrogateIsADeadLetterNamingTheField() throws Exception {
    // The reproduction: a JSON escape of a lone high surrogate inside the video id.
    assertEquals("invalid_field: channel_watched contains a lone UTF-16 surrogate U+D800 at index 2",
        onlyRejection("{\"session_id\":\"x\",\"channel_watched\":\"55\\ud80055\","
            + "\"metric_type\":\"PLAY\",\"event_time\":1763788200000}"));
    // The same as raw bytes ED A0 80 (CESU-style UTF-8 of U+D800) in account_id.
    byte[] head = ("{\"metric_type\":\"PLAY\"," + BASE + ",\"account_id\":\"a").getBytes(StandardCharsets.UTF_8);
    byte[] tail = "b\"}".getBytes(StandardCharsets.UTF_8);
    byte[] raw = new byte[head.length + 3 + tail.length];
    System.arraycopy(head, 0, raw, 0, head.length);
    raw[head.length] = (byte) 0xED;
    raw[head.length + 1] = (byte) 0xA0;
    raw[head.length + 2] = (byte) 0x80;
    System.arraycopy(tail, 0, raw, head.length + 3, tail.length);
    rejected.clear();
    decode(new PlayerEventDecoder("secret", "acct"), new RawRecord("obj", 1, raw));
    assertEquals(0, events.size());
    assertEquals(1, rejected.size());
    assertThat(rejected.get(0), startsWith("invalid_field: account_id contains a lone UTF-16 surrogate"));
    // A proper pair (an emoji) is a valid name.
    events.clear();
    decode("{\"metric_type\":\"PLAY\",\"event_time\":1763787600000,\"session_id\":\"s\","
        + "\"channel_watched\":\"live \\ud83d\\ude00\"}");
    assertEquals("live \uD83D\uDE00", events.get(0).video);
  }

  @Test
  public void controlCharactersAndOverlongStrings() throws Exception {
    assertEquals("invalid_field: session_id contains the control character U+0000 at index 1",
        onlyRejection("{\"metric_type\":\"PLAY\",\"event_time\":1763787600000,"
            + "\"channel_watched\":\"v\",\"session_id\":\"a\\u0000b\"}"));
    assertEquals("invalid_field: channel_watched contains the control character U+009B at index 1",
        onlyRejection("{\"metric_type\":\"PLAY\",\"event_time\":1763787600000,"
            + "\"channel_watched\":\"v\\u009bx\",\"session_id\":\"s\"}"));
    assertEquals("invalid_field: channel_watched is 257 characters long, at most 256 allowed",
        onlyRejection("{\"metric_type\":\"PLAY\",\"event_time\":1763787600000,"
            + "\"channel_watched\":\"" + "v".repeat(257) + "\",\"session_id\":\"s\"}"));
    assertEquals("invalid_field: user_agent is 2049 characters long, at most 2048 allowed",
        onlyRejection("{\"metric_type\":\"PLAY\"," + BASE + ",\"user_agent\":\"" + "M".repeat(2049) + "\"}"));
    // 256 is allowed; surrounding white space is trimmed first.
    events.clear();
    decode("{\"metric_type\":\"PLAY\",\"event_time\":1763787600000,\"channel_watched\":\"  "
        + "v".repeat(256) + " \",\"session_id\":\"s\"}");
    assertEquals(256, events.get(0).video.length());
  }

  @Test
  public void numbersBeyondTheRangeAreRefusedTheSameAsNumbersOrStrings() throws Exception {
    String[] values = {"9223372036854775807", "\"9223372036854775807\"", "1e400", "\"1e400\"",
        "-5", "\"-5\"", "86400001", "99999999999999999999999999"};
    for (String v : values) {
      String why = onlyRejection("{\"metric_type\":\"PLAYBACK_SUMMARY\"," + BASE
          + ",\"playing_time_ms\":" + v + "}");
      assertThat(v, why, startsWith("invalid_field: playing_time_ms must be between 0 and 86,400,000 ms, got "));
    }
    assertEquals("invalid_field: startup_latency_ms must be between 0 and 3,600,000 ms, got 1.0E300",
        onlyRejection("{\"metric_type\":\"PLAY\"," + BASE + ",\"startup_latency_ms\":1e300}"));
    assertEquals("invalid_field: buffering_count must be between 0 and 1,000,000, got 1,000,001",
        onlyRejection("{\"metric_type\":\"PLAYBACK_SUMMARY\"," + BASE + ",\"buffering_count\":1000001}"));
    assertEquals("invalid_field: live_latency_sec must be between 0 and 86,400 s, got -1",
        onlyRejection("{\"metric_type\":\"PLAYBACK_SUMMARY\"," + BASE + ",\"live_latency_sec\":\"-1\"}"));
    assertThat(onlyRejection("{\"metric_type\":\"PLAY\"," + BASE + ",\"startup_latency_ms\":\"NaN\"}"),
        startsWith("invalid_field: startup_latency_ms expected a number, found \"NaN\""));
    assertThat(onlyRejection("{\"metric_type\":\"PLAY\"," + BASE + ",\"startup_latency_ms\":\"0x10\"}"),
        startsWith("invalid_field: startup_latency_ms expected a number"));
    // A huge integer where a boolean belongs is a dead letter too, not a parser exception.
    assertThat(onlyRejection("{\"metric_type\":\"PLAY\"," + BASE + ",\"is_live\":123456789012345678901234}"),
        startsWith("invalid_field: is_live expected a boolean"));
    // The bounds themselves are allowed.
    events.clear();
    decode("{\"metric_type\":\"PLAYBACK_SUMMARY\"," + BASE + ",\"playing_time_ms\":\"86400000\","
        + "\"buffering_time_ms\":86400000,\"live_latency_sec\":86400}");
    assertEquals(Long.valueOf(86_400_000L), events.get(0).playingTimeMs);
    assertEquals(Long.valueOf(86_400_000L), events.get(0).liveLatencyMs);
  }

  @Test
  public void eventTimeIsCheckedAgainstItsArrivalHour() throws Exception {
    PlayerEventDecoder decoder = new PlayerEventDecoder("secret", "acct",
        ArrivalRule.of(Duration.standardMinutes(10), 1));
    String at = "{\"metric_type\":\"PLAY\",\"channel_watched\":\"v\",\"session_id\":\"s\",\"event_time\":";
    // Arrived in hour 05: counted from 04:00 (one late partition) to 06:10 (hour end + skew).
    long[] counted = {HOUR_05 - 3_600_000L, HOUR_05 + 3_600_000L + 599_999L, HOUR_05};
    long[] tooLate = {HOUR_05 - 3_600_001L};
    long[] skewed = {HOUR_05 + 3_600_000L + 600_000L, HOUR_05 + 5 * 3_600_000L};
    for (long t : counted) {
      decode(decoder, new RawRecord("s3://b/2026/11/22/05/o", 1, (at + t + "}").getBytes(), HOUR_05));
    }
    assertEquals(List.of(), rejected);
    assertEquals(3, events.size());
    for (long t : tooLate) {
      decode(decoder, new RawRecord("o", 1, (at + t + "}").getBytes(), HOUR_05 + 1234));
    }
    assertEquals("too_late: event_time 2025-11-22T03:59:59.999Z arrived in hour 2025-11-22T05:00Z,"
        + " more than --latePartitions=1 hour(s) after its own: no backfill reads it with its minute",
        rejected.get(0));
    for (long t : skewed) {
      decode(decoder, new RawRecord("o", 1, (at + t + "}").getBytes(), HOUR_05 + 59 * 60_000L));
    }
    assertEquals("clock_skew: event_time 2025-11-22T06:10:00Z is after its arrival hour "
        + "2025-11-22T05:00Z ends by more than --maxClockSkew=PT600S", rejected.get(1));
    assertThat(rejected.get(2), startsWith("clock_skew: event_time 2025-11-22T10:00:00Z"));
    assertEquals(3, events.size());
    // Arrival unknown (a test's or a tool's own records): no check.
    decode(decoder, RawRecord.of("o", at + (HOUR_05 + 5 * 3_600_000L) + "}"));
    assertEquals(4, events.size());
  }

  @Test
  public void aRecordOverTheLimitKeepsOnlyItsPrefixLengthAndHash() throws Exception {
    String big = "{\"metric_type\":\"PLAY\"," + BASE + ",\"pad\":\"" + "x".repeat(1 << 20) + "\"}";
    decode(big + "\n{\"metric_type\":\"STOP\"," + BASE + "}");
    assertEquals(1, events.size()); // the STOP after the big record still counts
    assertEquals(List.of("record_too_large: " + String.format("%,d", big.length())
        + " bytes, at most 1,048,576"), rejected);
    RejectedRecord r = records.get(0);
    assertEquals(big.length(), r.getRecordBytes());
    assertEquals(RejectedRecord.MAX_KEPT_BYTES, r.getRecord().length());
    assertTrue(big.startsWith(r.getRecord()));
    assertEquals(64, r.getRecordSha256().length());
  }

  @Test
  public void deepNestingIsBoundedAndTheNextRecordStillCounts() throws Exception {
    String deep = "{\"metric_type\":\"PLAY\"," + BASE + ",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
    decode(deep + "\n{\"metric_type\":\"STOP\"," + BASE + "}");
    assertEquals(1, events.size());
    assertEquals(1, rejected.size());
    assertThat(rejected.get(0), startsWith("malformed_json: "));
    assertThat(rejected.get(0), containsString("nesting depth"));
  }

  /**
   * Found by {@link DecoderFuzzTest}: bytes that Jackson takes for UTF-16 (a zero byte first) after
   * a good line made the decoder loop forever on one record, stopping the job.
   */
  @Test(timeout = 20_000)
  public void bytesThatLookLikeUtf16DoNotStopTheDecoder() throws Exception {
    byte[] good = ("{\"metric_type\":\"PLAY\"," + BASE + "}\n").getBytes(StandardCharsets.UTF_8);
    byte[] utf16 = {0x00, 0x7B, 0x00, 0x7D, '\n'}; // "{}" in UTF-16BE
    byte[] payload = new byte[good.length * 2 + utf16.length];
    System.arraycopy(good, 0, payload, 0, good.length);
    System.arraycopy(utf16, 0, payload, good.length, utf16.length);
    System.arraycopy(good, 0, payload, good.length + utf16.length, good.length);
    decode(new PlayerEventDecoder("secret", "acct"), new RawRecord("obj", 1, payload));
    assertEquals(2, events.size());
    assertEquals(1, rejected.size());
    assertThat(rejected.get(0), startsWith("malformed_json: "));
  }

  /** Also found by the fuzzer: bytes Jackson takes for UTF-32 of no known order threw out of decode. */
  @Test
  public void bytesOfAnUnknownUcs4OrderAreADeadLetter() throws Exception {
    decode(new PlayerEventDecoder("secret", "acct"), new RawRecord("obj", 1, new byte[] {0, 0, 1, 0}));
    assertEquals(0, events.size());
    assertEquals(1, rejected.size());
    assertThat(rejected.get(0), startsWith("malformed_json: "));
  }

  @Test
  public void messagesNeverCarryTheRawControlCharacters() throws Exception {
    String why = onlyRejection("{\"metric_type\":\"PLAY\"," + BASE + ",\"is_live\":\"r\\u0007\\u001b[31mred\"}");
    assertEquals("invalid_field: is_live expected a boolean, found \"r\\u0007\\u001B[31mred\"", why);
  }
}
