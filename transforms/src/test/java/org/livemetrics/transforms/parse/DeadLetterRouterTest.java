package org.livemetrics.transforms.parse;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.Test;

public class DeadLetterRouterTest {
  @Test
  public void aBadRecordCarriesTheRecordAsJsonAndTheReason() throws Exception {
    byte[] line = "{\"metric_type\":\"PLAY\",\"event_time\":\"soon\"}".getBytes(StandardCharsets.UTF_8);
    RejectedRecord record = RejectedRecord.of("s3://archive/2026/11/22/07/obj.gz", 17, line, 0, line.length);
    RecordRejectedException why =
        new RecordRejectedException(DeadLetterReason.INVALID_FIELD, "event_time is not a number");

    BadRecord bad = DeadLetterRouter.badRecord(record, why, why.getMessage());

    JsonNode json = new ObjectMapper().readTree(bad.getRecord().getHumanReadableJsonRecord());
    assertEquals("s3://archive/2026/11/22/07/obj.gz", json.get("source").asText());
    assertEquals(17, json.get("line").asLong());
    assertEquals("{\"metric_type\":\"PLAY\",\"event_time\":\"soon\"}", json.get("record").asText());
    assertEquals(line.length, json.get("recordBytes").asLong());
    assertEquals(64, json.get("recordSha256").asText().length());
    assertEquals(why.getMessage(), bad.getFailure().getDescription());
    assertEquals(why.toString(), bad.getFailure().getException());
  }

  @Test
  public void staysOneInstanceThroughSerialization() {
    assertSame(DeadLetterRouter.INSTANCE, SerializableUtils.clone(DeadLetterRouter.INSTANCE));
  }
}
