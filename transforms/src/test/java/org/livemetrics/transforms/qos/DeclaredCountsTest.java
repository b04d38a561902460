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
import java.util.HashMap;
import java.util.HashSet;
import java.util.function.BiFunction;
import org.livemetrics.schemas.DistinctSketch;
import org.livemetrics.transforms.metrics.FoldSettings;
import org.livemetrics.transforms.metrics.ViewingRule;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongBiFunction;
import org.apache.beam.sdk.transforms.Filter;
import java.util.TreeMap;
import java.util.TreeSet;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.LatencySketch;
import org.livemetrics.schemas.MetricType;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.family.AudienceFamily;
import org.livemetrics.transforms.metrics.ComputeLiveMetrics;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.schemas.family.MetricFamilyDescription;
import org.livemetrics.schemas.family.MetricFamilyDescription.Accumulation;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;
import org.livemetrics.schemas.family.ViewerQosFamily;
import org.livemetrics.transforms.qos.QosAccumulatorCoderTest.Facts;

/**
 * The folds' counts come from the descriptions alone: whatever counts {@link ViewerQosFamily} and
 * {@link AudienceFamily} declare, each row holds, for each per-event count, the sum of its
 * declared amount over the minute's events of its type, and for each distinct count the number of
 * distinct declared keys viewing in the minute, computed here from the declaration and nothing
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
        b.liveLatencyMs = random.nextBoolean() ? null : (long) random.nextInt(20_000);
        b.renditionName = random.nextBoolean() ? null : "r" + random.nextInt(4);
      } else if (type == MetricType.PLAY) {
        b.startupLatencyMs = random.nextBoolean() ? null : (long) random.nextInt(5_000);
      } else if (type == MetricType.QUALITY_CHANGED) {
        b.stepDirection = new String[] {"UP", "down", null, "sideways"}[random.nextInt(4)];
        b.fromBitrate = random.nextBoolean() ? null : (long) random.nextInt(3) * 1_000_000;
        b.toBitrate = random.nextBoolean() ? null : (long) random.nextInt(3) * 1_000_000;
      }
      events.add(b.build());
    }
    return events;
  }

  private static final ViewingRule RULE =
      FoldSettings.withMaxSummarySpan(java.time.Duration.ofMinutes(5)).viewingRule();

  /**
   * Checks each row of {@code rows} against {@code family}'s declared counts: a per-event count is
   * the sum of its declared amount over the events placed in the row ({@code inMinute}: an event's
   * place in one of its minutes; {@code ofRow}: a row's), the count or sum of a sketch's values how
   * many values those events carry or their sum, a per-session count 0 (no session outcomes are
   * merged in these tests), a distinct count the number of distinct declared keys of the events
   * that mark viewing in the row's place in any minute they mark (with its sketch, if declared,
   * estimating the same: these sets are small enough to be exact); and every place with events
   * has a row.
   */
  private static <R> void assertDeclaredCounts(Iterable<R> rows, MetricFamilyDescription family,
      List<PlayerEvent> events, BiFunction<PlayerEvent, Long, String> inMinute,
      Function<R, String> ofRow, ToLongBiFunction<R, String> count, int places) {
    Function<PlayerEvent, String> ofEvent = e -> inMinute.apply(e, e.eventMinute());
    // a count or sum of a sketch's values: the values, and whether the field counts or sums them
    Map<String, Accumulation.PerEventValues> valuesOf = new HashMap<>();
    for (StoredField f : family.sketchedFields()) {
      Accumulation.PerEventValues v = (Accumulation.PerEventValues) f.accumulation();
      valuesOf.put(v.countField(), v);
      valuesOf.put(v.sumField(), v);
    }
    Set<String> checked = new TreeSet<>();
    for (R row : rows) {
      for (StoredField field : family.countedFields()) {
        long sum = 0;
        for (PlayerEvent e : events) {
          if (!ofEvent.apply(e).equals(ofRow.apply(row))) {
            continue;
          }
          if (field.accumulation() instanceof Accumulation.PerEvent perEvent
              && e.metricType == perEvent.type()) {
            sum += perEvent.amount().applyAsLong(e);
          }
          Accumulation.PerEventValues values = valuesOf.get(field.name());
          Long value = values == null || e.metricType != values.type() ? null
              : values.value().apply(e);
          if (value != null) {
            sum += field.name().equals(values.countField()) ? 1 : value;
          }
        }
        assertEquals(field.name() + " of " + row, sum, count.applyAsLong(row, field.name()));
      }
      for (StoredField field : family.keyedFields()) { // these events stay within the bound
        Accumulation.SumByKey sum = (Accumulation.SumByKey) field.accumulation();
        Map<String, Long> sums = new TreeMap<>();
        for (PlayerEvent e : events) {
          if (e.metricType == sum.type() && ofEvent.apply(e).equals(ofRow.apply(row))
              && sum.amount().applyAsLong(e) > 0) {
            sums.merge(sum.key().apply(e), sum.amount().applyAsLong(e), Long::sum);
          }
        }
        assertEquals(field.name() + " of " + row, sums, field.value().apply(row));
      }
      for (StoredField field : family.distinctFields()) {
        Accumulation.DistinctViewing distinct = (Accumulation.DistinctViewing) field.accumulation();
        Set<Long> keys = new HashSet<>();
        for (PlayerEvent e : events) {
          for (long m = RULE.firstViewingMinute(e); ViewingRule.marksViewing(e)
              && m <= e.eventMinute(); m++) {
            if (inMinute.apply(e, m).equals(ofRow.apply(row))) {
              keys.add(distinct.key().applyAsLong(e));
            }
          }
        }
        assertEquals(field.name() + " of " + row, (long) keys.size(),
            ((Number) field.value().apply(row)).longValue());
        if (distinct.sketchField() != null) {
          StoredField sketch = family.storedFields().stream()
              .filter(f -> f.name().equals(distinct.sketchField())).findFirst().orElseThrow();
          assertEquals(sketch.name() + " of " + row, keys.size(), DistinctSketch.merger()
              .add((byte[]) sketch.value().apply(row)).estimate());
        }
      }
      checked.add(ofRow.apply(row));
    }
    Set<String> withEvents = new TreeSet<>();
    events.forEach(e -> withEvents.add(ofEvent.apply(e)));
    assertEquals(places, withEvents.size());
    assertTrue(checked + " has " + withEvents, checked.containsAll(withEvents));
  }

  @Test
  public void everyRowHoldsEachDeclaredCountOfItsEvents() {
    List<PlayerEvent> events = randomEvents(14, 400);
    PCollection<QosMinute> rows = p.apply(Create.of(events))
        .apply(ComputeQosMetrics.withMaxSummarySpan(java.time.Duration.ofMinutes(5)))
        .apply(Filter.by(r -> r.dimensionSet == QosDimensionSet.CLIENT_PLATFORM));
    PAssert.that(rows).satisfies(all -> {
      // 3 minutes x 3 platforms
      assertDeclaredCounts(all, ViewerQosFamily.DESCRIPTION, events,
          (e, minute) -> minute * 60_000L + "/" + e.clientPlatform,
          r -> r.minute + "/" + r.clientPlatform, QosMinute::count, 9);
      // each declared sketch holds as many values as its count says
      for (QosMinute row : all) {
        for (StoredField f : ViewerQosFamily.DESCRIPTION.sketchedFields()) {
          String countField = ((Accumulation.PerEventValues) f.accumulation()).countField();
          assertEquals(f.name() + " of " + row, row.count(countField),
              LatencySketch.heapify(row.sketch(f.name())).getN());
        }
      }
      return null;
    });
    p.run();
  }

  /** The same for the audience rows, from the audience description's declarations. */
  @Test
  public void everyAudienceRowHoldsEachDeclaredCountOfItsEvents() {
    List<PlayerEvent> events = new ArrayList<>(randomEvents(12, 400));
    Random random = new Random(5);
    for (int i = 0; i < 40; i++) { // ad starts, which only the audience family counts
      events.add(QosEvents.event(MetricType.AD_START, QosEvents.at(random.nextInt(3), 5), "5555",
          1, "s1", PLATFORMS[random.nextInt(PLATFORMS.length)]).build());
    }
    PCollection<MinuteAggregate> rows = p.apply(Create.of(events))
        .apply(ComputeLiveMetrics.withMaxSummarySpan(java.time.Duration.ofMinutes(5)))
        .apply(Filter.by(r -> r.dimensionSet == DimensionSet.VIDEO));
    PAssert.that(rows).satisfies(all -> {
      // one video, 3 minutes
      assertDeclaredCounts(all, AudienceFamily.DESCRIPTION, events,
          (e, minute) -> String.valueOf(minute * 60_000L), r -> String.valueOf(r.minute),
          MinuteAggregate::count, 3);
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
