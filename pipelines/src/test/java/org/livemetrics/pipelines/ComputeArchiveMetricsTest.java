package org.livemetrics.pipelines;

import static org.junit.Assert.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;
import org.livemetrics.pipelines.backfill.ComputeArchiveMetrics;
import org.livemetrics.pipelines.io.ReadArchive;
import org.livemetrics.transforms.metrics.ComputeLiveMetrics;
import org.livemetrics.transforms.parse.ParsePlayerEvents;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.testdata.SampleArchive;
import org.livemetrics.transforms.qos.ComputeQosMetrics;
import org.livemetrics.transforms.sessions.ComputeSessionOutcomes;

/**
 * The backfill's fused step (read, decode and fold each object at once) against the same pieces
 * applied one after another as the streaming job applies them: every audience and QoS row of the
 * sample archive, the session outcomes included (the fused step feeds them from its own output of
 * partial sessions), must come out identical, also when a bundle has to emit its partial rows
 * early after every block (a bound of 50 buffered entries).
 */
public class ComputeArchiveMetricsTest {
  private static final long HOUR = 3_600_000L;
  private static final long FROM = Instant.parse("2026-11-22T05:00:00Z").toEpochMilli();
  private static final long TO = Instant.parse("2026-11-22T08:00:00Z").toEpochMilli();
  private static final java.time.Duration GAP = java.time.Duration.ofMinutes(3);

  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Test
  public void fusedStepGivesTheRowsOfTheSeparateSteps() {
    // Two bad-record handlers in one pipeline give their inner steps the same names.
    p.getOptions().setStableUniqueNames(org.apache.beam.sdk.options.PipelineOptions.CheckEnabled.OFF);
    List<Long> hours = new ArrayList<>();
    for (long h = FROM - HOUR; h <= TO; h += HOUR) {
      hours.add(h);
    }
    String archive = SampleArchive.locate().toString();
    BadRecordErrorHandler<PCollection<Long>> fusedBad =
        p.registerBadRecordErrorHandler(Count.globally());
    PCollectionTuple fused = p.apply("Fused", ComputeArchiveMetrics.of(
        ReadArchive.hours(archive, hours).withBadRecordErrorHandler(fusedBad),
        ParsePlayerEvents.create("test-secret", "default").withBadRecordErrorHandler(fusedBad),
        ComputeLiveMetrics.withMaxSummarySpan(java.time.Duration.ofMinutes(5))
            .withMinuteRange(FROM, TO).withMaxBufferedEntries(50),
        ComputeQosMetrics.withMaxSummarySpan(java.time.Duration.ofMinutes(5))
            .withSessionOutcomes(ComputeSessionOutcomes.withGap(GAP))
            .withMinuteRange(FROM, TO).withMaxBufferedEntries(50)));
    fusedBad.close();

    BadRecordErrorHandler<PCollection<Long>> separateBad =
        p.registerBadRecordErrorHandler(Count.globally());
    var events = p
        .apply("Read", ReadArchive.hours(archive, hours).withBadRecordErrorHandler(separateBad))
        .apply("Parse", ParsePlayerEvents.create("test-secret", "default")
            .withBadRecordErrorHandler(separateBad));
    PCollection<String> liveSeparate = events
        .apply("Live", ComputeLiveMetrics.withMaxSummarySpan(java.time.Duration.ofMinutes(5))
            .withMinuteRange(FROM, TO))
        .apply("LiveText", MapElements.into(TypeDescriptors.strings()).via((MinuteAggregate r) -> r.toString()));
    PCollection<String> qosSeparate = events
        .apply("Qos", ComputeQosMetrics.withMaxSummarySpan(java.time.Duration.ofMinutes(5))
            .withSessionOutcomes(ComputeSessionOutcomes.withGap(GAP))
            .withMinuteRange(FROM, TO))
        .apply("QosText", MapElements.into(TypeDescriptors.strings()).via((QosMinute r) -> r.toString()));
    separateBad.close();

    PCollection<String> liveFused = fused.get(ComputeArchiveMetrics.AGGREGATES)
        .apply("LiveFusedText", MapElements.into(TypeDescriptors.strings())
            // Not Object::toString twice: javac deserializes equal method references of different
            // types in one class as the first one (a ClassCastException at run time).
            .via((MinuteAggregate r) -> "" + r));
    PCollection<String> qosFused = fused.get(ComputeArchiveMetrics.QOS)
        .apply("QosFusedText", MapElements.into(TypeDescriptors.strings()).via((QosMinute r) -> "" + r));

    assertSameRows("Live", liveFused, liveSeparate, 100);
    assertSameRows("Qos", qosFused, qosSeparate, 100);
    // Rows with session outcomes exist, so the comparison covers them too.
    assertAtLeast("QosWithOutcomes",
        qosFused.apply("WithOutcomes", Filter.by((String r) -> r.contains(" loaded="))), 1);
    // Both paths sent the same number of dead letters.
    assertSameRows("Bad",
        fusedBad.getOutput().apply("BadFusedText", MapElements.into(TypeDescriptors.strings()).via(n -> "bad=" + n)),
        separateBad.getOutput().apply("BadText", MapElements.into(TypeDescriptors.strings()).via(n -> "bad=" + n)),
        1);
    p.run().waitUntilFinish();
  }

  /**
   * Each row text tagged 1 on one side and 2 on the other: summed per text, every text must sum
   * to exactly 3 (once on each side), and there must be rows at all.
   */
  private static void assertSameRows(String name, PCollection<String> a, PCollection<String> b,
      long atLeast) {
    PCollection<KV<String, Integer>> tagged = PCollectionList.of(
            a.apply(name + "TagA", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(),
                TypeDescriptors.integers())).via(s -> KV.of(s, 1))))
        .and(b.apply(name + "TagB", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(),
            TypeDescriptors.integers())).via(s -> KV.of(s, 2))))
        .apply(name + "Both", Flatten.pCollections());
    PCollection<KV<String, Integer>> sums = tagged.apply(name + "Sum", Sum.integersPerKey());
    PAssert.that(sums.apply(name + "Unmatched", Filter.by(kv -> kv.getValue() != 3))).empty();
    assertAtLeast(name, a, atLeast);
  }

  private static void assertAtLeast(String name, PCollection<String> rows, long atLeast) {
    PAssert.thatSingleton(rows.apply(name + "CountA", Count.globally()))
        .satisfies(n -> {
          assertEquals(name + " rows: " + n, true, n >= atLeast);
          return null;
        });
  }
}
