package org.livemetrics.schemas;

import static org.junit.Assert.assertEquals;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;

/** The six session counts of a QoS row survive its coder and its Avro form, old files read as 0. */
public class QosMinuteSessionCountsTest {
  private static final QosMinute ROW = QosMinute.builder().account("1234")
      .dimensionSet(QosDimensionSet.CLIENT_PLATFORM).clientPlatform("web").minute(60_000)
      .concurrentSessions(3).sessionOutcomes(5, 1, 6, 2, 4, 3).build();

  @Test
  public void theCoderAndAvroKeepThem() throws Exception {
    QosMinute coded = CoderUtils.decodeFromByteArray(QosMinuteCoder.of(),
        CoderUtils.encodeToByteArray(QosMinuteCoder.of(), ROW));
    assertEquals(ROW, coded);
    assertEquals(3, coded.sessionsRebuffered);
    QosMinute avro = QosMinuteAvro.fromRecord(QosMinuteAvro.toRecord(ROW));
    assertEquals(ROW, avro);
    assertEquals(2, avro.playbackFailures);
  }

  @Test
  public void aRecordOfTheSchemaBeforeThemReadsThemAsZero() {
    GenericRecord current = QosMinuteAvro.toRecord(ROW);

    java.util.List<Schema.Field> kept = new java.util.ArrayList<>();
    for (Schema.Field f : QosMinuteAvro.SCHEMA.getFields()) {
      if (!f.name().startsWith("sessions_") && !f.name().startsWith("playback_")
          && !f.name().equals("exits_before_video_start")) {
        kept.add(new Schema.Field(f, f.schema()));
      }
    }
    Schema old = Schema.createRecord("QosMinute", null, "org.livemetrics", false, kept);
    GenericData.Record r = new GenericData.Record(old);
    for (Schema.Field f : old.getFields()) {
      r.put(f.name(), current.get(f.name()));
    }
    QosMinute back = QosMinuteAvro.fromRecord(r);
    assertEquals(0, back.sessionsLoaded + back.exitsBeforeVideoStart + back.playbackAttempts
        + back.playbackFailures + back.sessionsPlayed + back.sessionsRebuffered);
    assertEquals(3, back.concurrentSessions);
  }
}
