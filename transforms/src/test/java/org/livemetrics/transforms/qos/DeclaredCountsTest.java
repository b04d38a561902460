package org.livemetrics.transforms.qos;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;
import org.livemetrics.schemas.MetricType;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.schemas.family.MetricFamilyDescription.Accumulation;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;
import org.livemetrics.schemas.family.ViewerQosFamily;
import org.livemetrics.transforms.qos.QosAccumulatorCoderTest.Facts;

/**
 * The QoS fold's counts come from the description alone: whatever counts {@link
 * ViewerQosFamily} declares, each row holds, for each per-event count, the sum of its declared
 * amount over the minute's events of its type, computed here from the declaration and nothing
 * else; and an ended session adds 1 to exactly the per-session counts whose test it passes.
 */
public class DeclaredCountsTest implements Serializable {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final String[] PLATFORMS = {"web", "android", "ios"};
  private static final MetricType[] TYPES = {MetricType.PLAY, MetricType.PLAYBACK_SUMMARY,
      MetricType.QUALITY_CHANGED, MetricType.IMPRESSION, MetricType.STOP};

  private static List<PlayerEvent> randomEvents(long seed, int n) {
    Random random = new Random(seed);
    List<PlayerEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      MetricType type = TYPES[random.nextInt(TYPES.length)];
      long time = QosEvents.at(random.nextInt(3), random.nextInt(60));
      String platform = PLATFORMS[random.nextInt(PLATFORMS.length)];
      String session = "s" + random.nextInt(20);
      PlayerEvent.Builder b =
          QosEvents.event(type, time, "5555", random.nextInt(20), session, platform);
      if (type == MetricType.PLAYBACK_SUMMARY) {
        b.playingTimeMs(random.nextBoolean() ? null : (long) random.nextInt(60_000))
            .bufferingTimeMs(random.nextBoolean() ? null : (long) random.nextInt(5_000));
        b.errorCount = random.nextBoolean() ? null : (long) random.nextInt(3);
        b.bufferingCount = random.nextBoolean() ? null : (long) random.nextInt(4);
      } else if (type == MetricType.QUALITY_CHANGED) {
        b.stepDirection = new String[] {"UP", "down", null, "sideways"}[random.nextInt(4)];
        b.fromBitrate = random.nextBoolean() ? null : (long) random.nextInt(3) * 1_000_000;
        b.toBitrate = random.nextBoolean() ? null : (long) random.nextInt(3) * 1_000_000;
      }
      events.add(b.build());
    }
    return events;
  }

  /** What the description says a client_platform row's count is, from the events alone. */
  private static long declaredCount(StoredField count, List<PlayerEvent> events, QosMinute row) {
    if (!(count.accumulation() instanceof Accumulation.PerEvent perEvent)) {
      return 0; // per-session counts: no session outcomes are merged in this test
    }
    long sum = 0;
    for (PlayerEvent e : events) {
      if (e.metricType == perEvent.type() && e.eventMinute() * 60_000L == row.minute
          && e.clientPlatform.equals(row.clientPlatform)) {
        sum += perEvent.amount().applyAsLong(e);
      }
    }
    return sum;
  }

  @Test
  public void everyRowHoldsEachDeclaredCountOfItsEvents() {
    List<PlayerEvent> events = randomEvents(14, 400);
    PCollection<QosMinute> rows = p.apply(Create.of(events))
        .apply(ComputeQosMetrics.withMaxSummarySpan(java.time.Duration.ofMinutes(5)));
    PAssert.that(rows).satisfies(all -> {
      java.util.Set<String> checked = new java.util.TreeSet<>();
      for (QosMinute row : all) {
        if (row.dimensionSet != QosDimensionSet.CLIENT_PLATFORM) {
          continue;
        }
        for (StoredField count : ViewerQosFamily.DESCRIPTION.countedFields()) {
          assertEquals(count.name() + " of " + row, declaredCount(count, events, row),
              row.count(count.name()));
        }
        checked.add(row.minute + "/" + row.clientPlatform);
      }
      // every minute and platform with events had its row checked (3 minutes x 3 platforms)
      java.util.Set<String> withEvents = new java.util.TreeSet<>();
      events.forEach(e -> withEvents.add(e.eventMinute() * 60_000L + "/" + e.clientPlatform));
      assertEquals(9, withEvents.size());
      assertTrue(checked + " has " + withEvents, checked.containsAll(withEvents));
      return null;
    });
    p.run();
  }

  @Test
  public void anEndedSessionAddsOneToTheCountsWhoseTestItPasses() {
    Facts played = new Facts(true, false, true, false, true, true);
    QosAccumulator a = QosAccumulator.ofSessionOutcome(played);
    for (StoredField count : ViewerQosFamily.DESCRIPTION.countedFields()) {
      long expected = count.accumulation() instanceof Accumulation.PerSession s
          && s.counts().test(played) ? 1 : 0;
      assertEquals(count.name(), expected, a.counts[ViewerQosFamily.COUNTS.indexOf(count.name())]);
    }
    // and the QoS description has per-session counts this session passes and fails
    assertEquals(4, java.util.Arrays.stream(a.counts).sum());
  }
}
