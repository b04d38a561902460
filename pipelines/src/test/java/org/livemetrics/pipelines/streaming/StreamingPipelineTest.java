package org.livemetrics.pipelines.streaming;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestPipeline;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.pipelines.backfill.Backfill;
import org.livemetrics.pipelines.backfill.BackfillOptions;
import org.livemetrics.query.AggregateSelection;
import org.livemetrics.query.ParquetAggregateStore;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.testdata.ReferenceMetrics;
import org.livemetrics.testdata.SampleArchive;
import org.livemetrics.transforms.parse.ParsePlayerEvents;

/**
 * The streaming pipeline end to end on the DirectRunner, fed the sample archive as a stream: its
 * Parquet aggregates, merged as the store reads them, equal row for row (values and sketches) what
 * the backfill computes from the raw archive the stream itself wrote; and every record reached
 * that archive and every bad one the dead letters.
 */
public class StreamingPipelineTest {
  private static final long FROM = java.time.Instant.parse("2026-11-22T05:00:00Z").toEpochMilli();
  private static final long TO = java.time.Instant.parse("2026-11-22T07:00:00Z").toEpochMilli();

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient TestPipeline p = TestPipeline.fromOptions(options());

  private static StreamingPipelineOptions options() {
    return PipelineOptionsFactory.fromArgs("--fingerprintSecret=test-secret", "--streamId=t1")
        .as(StreamingPipelineOptions.class);
  }

  @Test
  public void streamedAggregatesEqualTheBackfillOfTheArchiveTheStreamWrote() throws Exception {
    Path store = tmp.newFolder("store").toPath();
    Path archive = tmp.newFolder("archive").toPath();
    Path backfillStore = tmp.newFolder("backfill").toPath();
    StreamingPipelineOptions o = p.getOptions().as(StreamingPipelineOptions.class);
    o.setOutput(store.toString());
    o.setArchive(archive.toString());

    List<SampleStream.Item> items = SampleStream.items(SampleArchive.locate());
    StreamingPipeline.attach(
        p.apply("SampleStream", SampleStream.testStream(items, Duration.standardSeconds(61))), o);
    PipelineResult result = p.run();
    result.waitUntilFinish();

    assertEquals("nothing is too late under a perfect watermark", 0, counter(result, "dead_letter_too_late"));
    long parsed = counter(result, "events_parsed");
    assertEquals(items.size(), counter(result, "raw_records_archived"));

    String[] args = {"--archive=" + archive, "--output=" + backfillStore, "--from=2026-11-22T05",
        "--to=2026-11-22T07", "--fingerprintSecret=test-secret", "--runner=DirectRunner"};
    Backfill.Result backfill = Backfill.run(
        PipelineOptionsFactory.fromArgs(args).as(BackfillOptions.class));
    // The backfill reads one late partition (07) beyond the range: every event of the stream.
    assertEquals(parsed, backfill.counter("events_parsed"));
    long deadLetters = backfill.counters().entrySet().stream()
        .filter(e -> e.getKey().startsWith("dead_letter_")
            && !e.getKey().equals("dead_letter_outside_range"))
        .mapToLong(java.util.Map.Entry::getValue).sum();
    assertTrue("the sample has bad records", deadLetters > 0);
    assertEquals(deadLetters, deadLetterLines(store));

    try (ParquetAggregateStore streamed = new ParquetAggregateStore(store.toString());
        ParquetAggregateStore batch = new ParquetAggregateStore(backfillStore.toString())) {
      int compared = 0;
      for (DimensionSet set : DimensionSet.values()) {
        AggregateSelection all = new AggregateSelection(ReferenceMetrics.DEFAULT_ACCOUNT, set,
            Set.of(), Set.of(), FROM, TO - 60_000, true);
        List<String> expected = described(batch.readAll(all));
        List<String> actual = described(streamed.readAll(all));
        assertTrue(set + " has rows", expected.size() > 100);
        assertEquals(set.id(), expected, actual);
        compared += expected.size();
      }
      assertTrue(compared > 1000);
    }
  }

  private static List<String> described(List<MinuteAggregate> rows) {
    List<String> out = new ArrayList<>();
    for (MinuteAggregate r : rows) {
      out.add(r + " sketches=" + java.util.Arrays.hashCode(r.sessionSketch) + "/"
          + java.util.Arrays.hashCode(r.fingerprintSketch));
    }
    out.sort(null);
    return out;
  }

  private static long deadLetterLines(Path store) throws IOException {
    Path dir = store.resolve("dead-letter");
    if (!Files.exists(dir)) {
      return 0;
    }
    long n = 0;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".jsonl")).toList()) {
        n += Files.readAllLines(f).size();
      }
    }
    return n;
  }

  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(ParsePlayerEvents.METRICS_NAMESPACE, name))
        .build()).getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }
}
