package org.livemetrics.transforms.qos;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.livemetrics.schemas.family.ViewerQosFamily.BUFFERING_TIME_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.ERROR_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_SUM_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.EXITS_BEFORE_VIDEO_START_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYBACK_FAILURES_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYING_TIME_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.QUALITY_CHANGES_DOWN_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.QUALITY_CHANGES_UP_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.REBUFFER_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.SESSIONS_LOADED_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.SESSIONS_PLAYED_FIELD;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.schemas.SessionFacts;
import org.livemetrics.schemas.family.ViewerQosFamily;
import org.livemetrics.transforms.metrics.DeclaredCounts;

/**
 * The partial QoS row's coder writes only the groups of fields that are not all zero; every
 * group must still come back whole, alone and together, and the bytes must stay those that
 * accumulators in streaming savepoints were written with.
 */
public class QosAccumulatorCoderTest {

  /** An ended session with these facts. */
  record Facts(boolean loaded, boolean exitedBeforeVideoStart, boolean attemptedPlayback,
      boolean failedPlayback, boolean played, boolean rebuffered) implements SessionFacts {}

  private static QosMinute row(QosAccumulator a) {
    return a.fill(QosMinute.builder().account("a").dimensionSet(QosDimensionSet.CLIENT_PLATFORM)
        .clientPlatform("web").minute(60_000)).build();
  }

  private static void set(QosAccumulator a, String count, long v) {
    a.counts[ViewerQosFamily.COUNTS.indexOf(count)] = v;
  }

  private static void addValues(QosAccumulator a, PlayerEvent e) {
    DeclaredCounts.VIEWER_QOS.addValues(e, a.counts, a.sketches);
  }

  private static QosAccumulator roundTrip(QosAccumulator a) throws Exception {
    QosAccumulator.Coder coder = QosAccumulator.Coder.of();
    return CoderUtils.decodeFromByteArray(coder, CoderUtils.encodeToByteArray(coder, a));
  }

  private static int encodedSize(QosAccumulator a) throws Exception {
    return CoderUtils.encodeToByteArray(QosAccumulator.Coder.of(), a).length;
  }

  @Test
  public void anEmptyRowIsTheSessionCountAndTheFlags() throws Exception {
    QosAccumulator empty = new QosAccumulator();
    assertEquals(row(empty), row(roundTrip(empty)));
    assertEquals(4 + 1, encodedSize(empty));
  }

  @Test
  public void aSessionOutcomeCarriesOnlyItsSixCounts() throws Exception {
    QosAccumulator outcome =
        QosAccumulator.ofSessionOutcome(new Facts(true, false, true, true, false, false));
    QosMinute decoded = row(roundTrip(outcome));
    assertEquals(row(outcome), decoded);
    assertEquals(1, decoded.count(SESSIONS_LOADED_FIELD));
    assertEquals(1, decoded.count(PLAYBACK_FAILURES_FIELD));
    assertEquals(0, decoded.count(SESSIONS_PLAYED_FIELD));
    // the set's size, the flags, six longs (the old layout wrote 20 longs and 3 lengths: 176)
    assertEquals(4 + 1 + 6 * 8, encodedSize(outcome));
  }

  @Test
  public void everyGroupComesBack() throws Exception {
    QosAccumulator a = new QosAccumulator();
    a.addKeys(new long[] {11});
    a.addKeys(new long[] {-7});
    set(a, ERROR_COUNT_FIELD, 2);
    set(a, PLAYING_TIME_MS_FIELD, 55_000);
    set(a, BUFFERING_TIME_MS_FIELD, 1_200);
    set(a, REBUFFER_COUNT_FIELD, 3);
    addValues(a, QosEvents.play(QosEvents.at(0, 1), "v", 1, "s", "web", 900L));
    addValues(a, QosEvents.play(QosEvents.at(0, 2), "v", 1, "s", "web", 1_500L));
    addValues(a, QosEvents.summary(QosEvents.at(0, 3), "v", 1, "s", "web", 0, 0, 0, 0, 4_000L,
        null));
    a.keyed.get(0).put("720p", 30_000L);
    a.keyed.get(0).put("1080p", 25_000L);
    set(a, QUALITY_CHANGES_UP_FIELD, 1);
    set(a, QUALITY_CHANGES_DOWN_FIELD, 4);
    a.merge(QosAccumulator.ofSessionOutcome(new Facts(true, true, false, false, false, false)));
    QosMinute decoded = row(roundTrip(a));
    assertEquals(row(a), decoded);
    assertEquals(2, decoded.concurrentSessions);
    assertEquals(2_400, decoded.count(STARTUP_SUM_MS_FIELD));
    assertEquals(1, decoded.count(LIVE_LATENCY_COUNT_FIELD));
    assertEquals(4, decoded.count(QUALITY_CHANGES_DOWN_FIELD));
    assertEquals(1, decoded.count(EXITS_BEFORE_VIDEO_START_FIELD));
  }

  @Test
  public void aGroupWhoseValuesAreNotAllZeroIsWrittenEvenWithSomeZeros() throws Exception {
    // Only the buffering time of the sums group is set: the group must still be written whole.
    QosAccumulator a = new QosAccumulator();
    set(a, BUFFERING_TIME_MS_FIELD, 10);
    QosMinute decoded = row(roundTrip(a));
    assertEquals(10, decoded.count(BUFFERING_TIME_MS_FIELD));
    assertEquals(0, decoded.count(ERROR_COUNT_FIELD));
    assertEquals(4 + 1 + 4 * 8, encodedSize(a));
  }

  /**
   * Accumulators wait in streaming savepoints: the bytes are those the coder wrote when each count
   * was a field of its own (spelled out here as that coder wrote them), so a pipeline restored
   * from such a savepoint reads them.
   */
  @Test
  public void theBytesAreThoseOfTheLayoutBeforeCountsWereDeclared() throws Exception {
    QosAccumulator a = new QosAccumulator();
    a.addKeys(new long[] {42});
    set(a, ERROR_COUNT_FIELD, 1);
    set(a, PLAYING_TIME_MS_FIELD, 2);
    set(a, BUFFERING_TIME_MS_FIELD, 3);
    set(a, REBUFFER_COUNT_FIELD, 4);
    a.keyed.get(0).put("720p", 5L);
    set(a, QUALITY_CHANGES_UP_FIELD, 6);
    set(a, QUALITY_CHANGES_DOWN_FIELD, 7);
    a.merge(QosAccumulator.ofSessionOutcome(new Facts(true, true, true, true, true, true)));

    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(expected);
    out.writeInt(1);
    out.writeLong(42);
    out.writeByte(1 | 1 << 3 | 1 << 4 | 1 << 5); // sums, renditions, quality, outcomes
    for (long v : new long[] {1, 2, 3, 4}) { // error, playing, buffering, rebuffers
      out.writeLong(v);
    }
    out.writeInt(1);
    out.writeUTF("720p");
    out.writeLong(5);
    out.writeLong(6); // up
    out.writeLong(7); // down
    for (int i = 0; i < 6; i++) { // loaded, exits, attempts, failures, played, rebuffered
      out.writeLong(1);
    }
    assertArrayEquals(expected.toByteArray(),
        CoderUtils.encodeToByteArray(QosAccumulator.Coder.of(), a));
  }
}
