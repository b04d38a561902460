package org.livemetrics.schemas;

import static org.livemetrics.schemas.family.ViewerQosFamily.ERROR_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYING_TIME_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.BUFFERING_TIME_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.REBUFFER_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.QUALITY_CHANGES_UP_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.QUALITY_CHANGES_DOWN_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_SKETCH_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_SUM_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_SKETCH_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_SUM_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.EXITS_BEFORE_VIDEO_START_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYBACK_ATTEMPTS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYBACK_FAILURES_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.SESSIONS_LOADED_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.SESSIONS_PLAYED_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.SESSIONS_REBUFFERED_FIELD;
import static org.junit.Assert.assertEquals;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;
import org.livemetrics.schemas.family.ViewerQosFamily;

/**
 * The counts of a QoS row survive its coder and its Avro form, old files read the session counts
 * as 0, and the coder writes the bytes rows in streaming state were written with.
 */
public class QosMinuteSessionCountsTest {
  private static final QosMinute ROW = QosMinute.builder().account("1234")
      .dimensionSet(QosDimensionSet.CLIENT_PLATFORM).clientPlatform("web").minute(60_000)
      .concurrentSessions(3).count(SESSIONS_LOADED_FIELD, 5)
      .count(EXITS_BEFORE_VIDEO_START_FIELD, 1).count(PLAYBACK_ATTEMPTS_FIELD, 6)
      .count(PLAYBACK_FAILURES_FIELD, 2).count(SESSIONS_PLAYED_FIELD, 4)
      .count(SESSIONS_REBUFFERED_FIELD, 3).build();

  @Test
  public void theCoderAndAvroKeepThem() throws Exception {
    QosMinute coded = CoderUtils.decodeFromByteArray(QosMinuteCoder.of(),
        CoderUtils.encodeToByteArray(QosMinuteCoder.of(), ROW));
    assertEquals(ROW, coded);
    assertEquals(3, coded.count(SESSIONS_REBUFFERED_FIELD));
    QosMinute avro = QosMinuteAvro.fromRecord(QosMinuteAvro.toRecord(ROW));
    assertEquals(ROW, avro);
    assertEquals(2, avro.count(PLAYBACK_FAILURES_FIELD));
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
    assertEquals(0, back.count(SESSIONS_LOADED_FIELD) + back.count(EXITS_BEFORE_VIDEO_START_FIELD)
        + back.count(PLAYBACK_ATTEMPTS_FIELD)
        + back.count(PLAYBACK_FAILURES_FIELD) + back.count(SESSIONS_PLAYED_FIELD) +
        back.count(SESSIONS_REBUFFERED_FIELD));
    assertEquals(3, back.concurrentSessions);
  }

  /**
   * Rows wait in the streaming Parquet writer's state: the coder's bytes are those it wrote when
   * each count was a field of its own (spelled out here as it wrote them).
   */
  @Test
  public void theCoderWritesTheLayoutOfRowsBeforeCountsWereDeclared() throws Exception {
    QosMinute row = QosMinute.builder().account("1234")
        .dimensionSet(QosDimensionSet.CLIENT_PLATFORM).clientPlatform("web").minute(60_000)
        .concurrentSessions(3)
        .count(ERROR_COUNT_FIELD, 100).count(PLAYING_TIME_MS_FIELD, 101)
        .count(BUFFERING_TIME_MS_FIELD, 102).count(REBUFFER_COUNT_FIELD, 103)
        .count(STARTUP_COUNT_FIELD, 1).count(STARTUP_SUM_MS_FIELD, 900)
        .sketch(STARTUP_SKETCH_FIELD, new byte[] {9})
        .count(LIVE_LATENCY_COUNT_FIELD, 2).count(LIVE_LATENCY_SUM_MS_FIELD, 5_000)
        .sketch(LIVE_LATENCY_SKETCH_FIELD, new byte[0])
        .renditionPlayingMs(java.util.Map.of("720p", 61_000L))
        .count(QUALITY_CHANGES_UP_FIELD, 104).count(QUALITY_CHANGES_DOWN_FIELD, 105)
        .count(SESSIONS_LOADED_FIELD, 106).count(EXITS_BEFORE_VIDEO_START_FIELD, 107)
        .count(PLAYBACK_ATTEMPTS_FIELD, 108).count(PLAYBACK_FAILURES_FIELD, 109)
        .count(SESSIONS_PLAYED_FIELD, 110).count(SESSIONS_REBUFFERED_FIELD, 111).build();
    java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream out = new java.io.DataOutputStream(expected);
    out.writeUTF("1234");
    out.writeByte(QosDimensionSet.CLIENT_PLATFORM.ordinal());
    for (String dimension : new String[] {"", "web", "", ""}) { // video, platform, country, device
      out.writeUTF(dimension);
    }
    out.writeLong(60_000);
    out.writeLong(3);
    for (long v : new long[] {100, 101, 102, 103}) { // errors, playing, buffering, rebuffers
      out.writeLong(v);
    }
    out.writeLong(1); // startup: count, sum, sketch
    out.writeLong(900);
    out.writeInt(1);
    out.writeByte(9);
    out.writeLong(2); // live latency: count, sum, sketch (left out: empty)
    out.writeLong(5_000);
    out.writeInt(0);
    out.writeInt(1); // renditions
    out.writeUTF("720p");
    out.writeLong(61_000);
    for (long v = 104; v < 112; v++) { // up, down, then the six session outcomes
      out.writeLong(v);
    }
    // a count or sketch added since: extend the layout
    assertEquals(16, ViewerQosFamily.COUNTS.size());
    assertEquals(2, ViewerQosFamily.SKETCHES.size());
    byte[] encoded = CoderUtils.encodeToByteArray(QosMinuteCoder.of(), row);
    org.junit.Assert.assertArrayEquals(expected.toByteArray(), encoded);
    assertEquals(row, CoderUtils.decodeFromByteArray(QosMinuteCoder.of(), encoded));
  }
}
