package org.livemetrics.transforms.parse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.livemetrics.schemas.DeviceType;
import org.livemetrics.schemas.MetricType;
import org.livemetrics.schemas.PlayerEvent;

public class PlayerEventDecoderTest {
  private static final String BASE =
      "\"event_time\":1763787600000,\"channel_watched\":\"5555\",\"session_id\":\"s1\"";

  private final CollectedOutput out = new CollectedOutput();
  private final List<PlayerEvent> events = out.events;
  private final List<String> rejected = out.rejected;
  private final List<RejectedRecord> rejectedRecords = out.records;
  private final PlayerEventDecoder decoder = new PlayerEventDecoder("secret", "acct-default");

  private void decode(String source, String payload) throws Exception {
    decoder.decode(RawRecord.of(source, payload), out);
  }

  @Test
  public void fullSummaryRecord() throws Exception {
    decode("obj", "{\"metric_type\":\"PLAYBACK_SUMMARY\"," + BASE + ",\"account_id\":\"1234\","
        + "\"user_id\":\"u1\",\"client_platform\":\"web\",\"is_live\":true,"
        + "\"playing_time_ms\":58000,\"buffering_time_ms\":3000,\"buffering_count\":2,"
        + "\"error_count\":0,\"rendition_name\":\"720p\",\"rendition_height\":720,"
        + "\"live_latency_ms\":4200,\"CloudFront-Viewer-Country\":\"us\","
        + "\"CloudFront-Is-Desktop-Viewer\":\"true\",\"ip\":\"10.0.0.1\",\"user_agent\":\"UA\","
        + "\"player\":\"p1\"}");
    assertEquals(List.of(), rejected);
    PlayerEvent e = events.get(0);
    assertEquals(MetricType.PLAYBACK_SUMMARY, e.metricType);
    assertEquals(1763787600000L, e.eventTime);
    assertEquals("1234", e.account);
    assertEquals("5555", e.video);
    assertEquals("US", e.country);
    assertEquals(DeviceType.DESKTOP, e.deviceType);
    assertEquals(Long.valueOf(58000), e.playingTimeMs);
    assertEquals(Long.valueOf(3000), e.bufferingTimeMs);
    assertEquals(Long.valueOf(4200), e.liveLatencyMs);
    assertEquals(Boolean.TRUE, e.isLive);
    assertEquals("720p", e.renditionName);
  }

  @Test
  public void stringNumbersBooleansAndLatencyInSeconds() throws Exception {
    decode("obj", "{\"metric_type\":\"PLAYBACK_SUMMARY\",\"event_time\":\"1763787600000\","
        + "\"channel_watched\":5555,\"session_id\":\"s1\",\"playing_time_ms\":\"3\","
        + "\"is_live\":\"true\",\"live_latency_sec\":\"4.25\",\"error_count\":\"\"}");
    assertEquals(List.of(), rejected);
    PlayerEvent e = events.get(0);
    assertEquals("5555", e.video);
    assertEquals(Long.valueOf(3), e.playingTimeMs);
    assertEquals(Boolean.TRUE, e.isLive);
    assertEquals(Long.valueOf(4250), e.liveLatencyMs);
    assertNull("an empty string is a missing optional value", e.errorCount);
    assertEquals("acct-default", e.account);
    assertEquals("unknown", e.country);
  }

  @Test
  public void unknownFieldsAndMetricTypesAreKept() throws Exception {
    decode("obj", "{\"metric_type\":\"REBUFFER_START\"," + BASE
        + ",\"extra\":{\"nested\":[1,{\"x\":null}]},\"also\":[]}");
    assertEquals(List.of(), rejected);
    assertEquals(MetricType.UNKNOWN, events.get(0).metricType);
  }

  @Test
  public void countryFromNameOnly() throws Exception {
    decode("obj", "{\"metric_type\":\"PLAY\"," + BASE
        + ",\"CloudFront-Viewer-Country-Name\":\"United Kingdom\"}");
    assertEquals("GB", events.get(0).country);
  }

  @Test
  public void everyDeadLetterReason() throws Exception {
    decode("s3://b/2026/11/22/05/obj", String.join("\n",
        "{\"metric_type\":\"PLAY\"," + BASE,                                   // 1 truncated
        "42",                                                                  // 2
        "{\"event_time\":1763787600000,\"channel_watched\":\"v\",\"session_id\":\"s\"}", // 3
        "{\"metric_type\":\"PLAY\",\"channel_watched\":\"v\",\"session_id\":\"s\"}",     // 4
        "{\"metric_type\":\"PLAY\",\"event_time\":1763787600000,\"session_id\":\"s\"}",  // 5
        "{\"metric_type\":\"PLAY\",\"event_time\":1763787600000,\"channel_watched\":\"v\"}", // 6
        "{\"metric_type\":\"PLAY\",\"event_time\":\"yesterday\",\"channel_watched\":\"v\",\"session_id\":\"s\"}", // 7
        "{\"metric_type\":\"PLAYBACK_SUMMARY\"," + BASE + ",\"playing_time_ms\":\"abc\"}", // 8
        "{\"metric_type\":\"PLAY\",\"event_time\":1763787600,\"channel_watched\":\"v\",\"session_id\":\"s\"}", // 9 seconds
        "{\"metric_type\":\"PLAY\"," + BASE + "}"));                          // 10 valid
    assertEquals(9, rejected.size());
    assertThat(rejected.get(0), startsWith("malformed_json: "));
    assertThat(rejected.get(1), startsWith("not_an_object: "));
    assertEquals("missing_field: metric_type", rejected.get(2));
    assertEquals("missing_field: event_time", rejected.get(3));
    assertEquals("missing_field: channel_watched", rejected.get(4));
    assertEquals("missing_field: session_id", rejected.get(5));
    assertThat(rejected.get(6), startsWith("invalid_field: event_time"));
    assertThat(rejected.get(7), startsWith("invalid_field: playing_time_ms"));
    assertThat(rejected.get(8), containsString("between 2000 and 2100"));
    assertEquals(1, events.size());
    // The raw text, its source and line go with the dead letter.
    assertEquals("42", rejectedRecords.get(1).getRecord());
    assertEquals("s3://b/2026/11/22/05/obj", rejectedRecords.get(1).getSource());
    assertEquals(2, rejectedRecords.get(1).getLine());
    assertEquals(9, rejectedRecords.get(8).getLine());
  }

  @Test
  public void concatenatedObjectsAndArrays() throws Exception {
    decode("kinesis", "{\"metric_type\":\"PLAY\"," + BASE + "}{\"metric_type\":\"STOP\"," + BASE + "}");
    decode("kinesis", "[{\"metric_type\":\"IMPRESSION\"," + BASE + "},7,{\"metric_type\":\"AD_START\"}]");
    assertEquals(3, events.size());
    assertEquals(MetricType.STOP, events.get(1).metricType);
    assertEquals(MetricType.IMPRESSION, events.get(2).metricType);
    assertEquals(2, rejected.size());
    assertThat(rejected.get(0), startsWith("not_an_object"));
    assertEquals("7", rejectedRecords.get(0).getRecord());
    assertEquals("missing_field: event_time", rejected.get(1));
    assertEquals("{\"metric_type\":\"AD_START\"}", rejectedRecords.get(1).getRecord());
  }

  @Test
  public void aBrokenRecordMidBlockCostsOnlyItselfAndNothingIsEmittedTwice() throws Exception {
    String play = "{\"metric_type\":\"PLAY\"," + BASE + "}";
    String stop = "{\"metric_type\":\"STOP\"," + BASE + "}";
    String bad = "{\"metric_type\":\"PLAYBACK_SUMMARY\"," + BASE + ",\"playing_time_ms\":\"abc\"}";
    decode("blk", String.join("\n",
        play,                              // 1
        stop + play,                       // 2: two concatenated
        "{\"metric_type\":\"PLAY\",\"ev",    // 3: truncated
        stop,                              // 4
        bad + stop,                        // 5: invalid, then a good one on the same line
        "  " + play + " 7 " + stop,        // 6: a scalar takes the rest of its line with it
        "[" + play + ",{\"metric_type\":1}]", // 7: array with an element lacking event_time
        play));                            // 8
    assertEquals(List.of("malformed_json", "invalid_field", "not_an_object", "missing_field"),
        rejected.stream().map(s -> s.substring(0, s.indexOf(':'))).toList());
    assertEquals(List.of(3L, 5L, 6L, 7L), rejectedRecords.stream().map(RejectedRecord::getLine).toList());
    assertEquals(bad, rejectedRecords.get(1).getRecord());
    assertEquals("7 " + stop, rejectedRecords.get(2).getRecord());
    // Lines 1, 2 (two), 4, 5 (the second), 6 (the first object, before the scalar), 7 (one), 8.
    assertEquals(List.of(MetricType.PLAY, MetricType.STOP, MetricType.PLAY, MetricType.STOP,
            MetricType.STOP, MetricType.PLAY, MetricType.PLAY, MetricType.PLAY),
        events.stream().map(e -> e.metricType).toList());
  }

  @Test
  public void fingerprintIsKeyedAndIgnoresSession() throws Exception {
    String device = ",\"ip\":\"1.2.3.4\",\"user_agent\":\"UA\",\"player\":\"p\"";
    decode("o", "{\"metric_type\":\"PLAY\"," + BASE + device + "}");
    decode("o", "{\"metric_type\":\"PLAY\",\"event_time\":1763787600000,\"channel_watched\":\"5555\","
        + "\"session_id\":\"s2\"" + device + "}");
    decode("o", "{\"metric_type\":\"PLAY\"," + BASE + ",\"ip\":\"1.2.3.5\",\"user_agent\":\"UA\",\"player\":\"p\"}");
    assertEquals(events.get(0).fingerprint, events.get(1).fingerprint);
    assertNotEquals(events.get(0).fingerprint, events.get(2).fingerprint);
    PlayerEventDecoder otherSecret = new PlayerEventDecoder("other", "a");
    List<PlayerEvent> other = new ArrayList<>();
    otherSecret.decode(RawRecord.of("o", "{\"metric_type\":\"PLAY\"," + BASE + device + "}"),
        new PlayerEventDecoder.Output() {
          @Override
          public void event(PlayerEvent e) {
            other.add(e);
          }

          @Override
          public void rejected(RejectedRecord r, RecordRejectedException why) {}
        });
    assertNotEquals(events.get(0).fingerprint, other.get(0).fingerprint);
  }
}
