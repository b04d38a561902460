package org.livemetrics.transforms.qos;

import static org.junit.Assert.assertEquals;

import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMinute;

/**
 * The partial QoS row's coder writes only the groups of fields that are not all zero; every
 * group must still come back whole, alone and together.
 */
public class QosAccumulatorCoderTest {

  private static QosMinute row(QosAccumulator a) {
    return a.fill(QosMinute.builder().account("a").dimensionSet(QosDimensionSet.CLIENT_PLATFORM)
        .clientPlatform("web").minute(60_000)).build();
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
        QosAccumulator.ofSessionOutcome(true, false, true, true, false, false);
    QosMinute decoded = row(roundTrip(outcome));
    assertEquals(row(outcome), decoded);
    assertEquals(1, decoded.sessionsLoaded);
    assertEquals(1, decoded.playbackFailures);
    assertEquals(0, decoded.sessionsPlayed);
    // the set's size, the flags, six longs (the old layout wrote 20 longs and 3 lengths: 176)
    assertEquals(4 + 1 + 6 * 8, encodedSize(outcome));
  }

  @Test
  public void everyGroupComesBack() throws Exception {
    QosAccumulator a = new QosAccumulator();
    a.addSession(11);
    a.addSession(-7);
    a.errorCount = 2;
    a.playingTimeMs = 55_000;
    a.bufferingTimeMs = 1_200;
    a.rebufferCount = 3;
    a.addStartup(900);
    a.addStartup(1_500);
    a.addLiveLatency(4_000);
    a.addRendition("720p", 30_000);
    a.addRendition("1080p", 25_000);
    a.qualityUp = 1;
    a.qualityDown = 4;
    a.merge(QosAccumulator.ofSessionOutcome(true, true, false, false, false, false));
    QosMinute decoded = row(roundTrip(a));
    assertEquals(row(a), decoded);
    assertEquals(2, decoded.concurrentSessions);
    assertEquals(2_400, decoded.startupSumMs);
    assertEquals(4, decoded.qualityDown);
    assertEquals(1, decoded.exitsBeforeVideoStart);
  }

  @Test
  public void aGroupWhoseValuesAreNotAllZeroIsWrittenEvenWithSomeZeros() throws Exception {
    // Only the buffering time of the sums group is set: the group must still be written whole.
    QosAccumulator a = new QosAccumulator();
    a.bufferingTimeMs = 10;
    QosMinute decoded = row(roundTrip(a));
    assertEquals(10, decoded.bufferingTimeMs);
    assertEquals(0, decoded.errorCount);
    assertEquals(4 + 1 + 4 * 8, encodedSize(a));
  }
}
