package org.livemetrics.schemas;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.Test;

/** The broadcast rows: Avro and coder round trips, the roll-up the query layer uses. */
public class BroadcastRowsTest {
  private static final String ARN = "arn:aws:ivs:eu-west-1:123456789012:channel/tbHb69cdvlbk";

  @Test
  public void minuteRowsRoundTrip() throws Exception {
    for (BroadcastMinute m : List.of(
        new BroadcastMinute(BroadcastMinute.Scope.ALL, null, null, null, 60_000, 3, 1, 2_500),
        new BroadcastMinute(BroadcastMinute.Scope.REGION, "eu-west-1", null, null, 60_000, 2, 0, 0),
        new BroadcastMinute(BroadcastMinute.Scope.CHANNEL, "eu-west-1", ARN, "ivs_channel3", 60_000, 1, 1, 2_500))) {
      GenericRecord r = BroadcastAvro.toRecord(m, 2);
      assertTrue(GenericData.get().validate(BroadcastAvro.MINUTE_SCHEMA, r));
      assertEquals(m, BroadcastAvro.minuteFromRecord(r));
      CoderProperties.coderDecodeEncodeEqual(BroadcastMinute.Coder.of(), m);
    }
  }

  @Test
  public void sessionRowsRoundTrip() throws Exception {
    for (StreamSession s : List.of(
        new StreamSession("123456789012", "eu-west-1", ARN, "ivs_channel3", "st-1", 1_000L, 61_000L,
            StreamSession.Outcome.ENDED, 60_000L, 61_000, 3, 500L, 60_500L, 1, 2_000),
        new StreamSession("123456789012", "eu-west-1", ARN, null, "st-2", null, 61_000L,
            StreamSession.Outcome.FAILED, null, 61_000, 0, null, null, 0, 0))) {
      GenericRecord r = BroadcastAvro.toRecord(s);
      assertTrue(GenericData.get().validate(BroadcastAvro.SESSION_SCHEMA, r));
      assertEquals(s, BroadcastAvro.sessionFromRecord(r));
      CoderProperties.coderDecodeEncodeEqual(StreamSession.Coder.of(), s);
    }
  }

  @Test(expected = IllegalArgumentException.class)
  public void aChannelRowNeedsItsChannel() {
    new BroadcastMinute(BroadcastMinute.Scope.CHANNEL, "eu-west-1", null, null, 0, 1, 0, 0);
  }
}
