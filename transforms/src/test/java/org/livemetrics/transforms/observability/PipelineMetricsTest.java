package org.livemetrics.transforms.observability;

import static org.junit.Assert.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.junit.Rule;
import org.junit.Test;

public class PipelineMetricsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  @Test
  public void labelsAreEncodedInTheNameInTheirOrder() {
    assertEquals("records_read_total__source__kinesis_player__shard__shardId_000000000001",
        PipelineMetrics.name(PipelineMetrics.RECORDS_READ, "source", "kinesis_player",
            "shard", "shardId-000000000001"));
    assertEquals("dead_letters_total__reason__too_late",
        PipelineMetrics.name(PipelineMetrics.DEAD_LETTERS, "reason", "too_late"));
    assertEquals("archive_records_written_total",
        PipelineMetrics.name(PipelineMetrics.ARCHIVE_RECORDS_WRITTEN));
  }

  @Test
  public void valuesNeverMakeASeparatorOfTheirOwn() {
    assertEquals("a_b", PipelineMetrics.sanitize("a--b"));
    assertEquals("x", PipelineMetrics.sanitize("-x-"));
    assertEquals("x_y", PipelineMetrics.sanitize("__x__y__"));
    assertEquals("Stream_Start", PipelineMetrics.sanitize("Stream Start"));
    assertEquals("eu_west_1", PipelineMetrics.sanitize("eu-west-1"));
    assertEquals("unknown", PipelineMetrics.sanitize(""));
    assertEquals("unknown", PipelineMetrics.sanitize("äö"));
    assertEquals("unknown", PipelineMetrics.sanitize(null));
  }

  @Test(expected = IllegalArgumentException.class)
  public void labelsComeInPairs() {
    PipelineMetrics.name("x_total", "reason");
  }

  static final class ObserveFn extends DoFn<Long, Void> {
    private final PipelineMetrics.Histogram histogram = PipelineMetrics.endToEndLatency();

    @ProcessElement
    public void process(@Element Long millis) {
      histogram.observe(millis);
    }
  }

  @Test
  public void histogramBucketsAreCumulativeWithCountAndSumInMilliseconds() {
    pipeline.apply(Create.of(-5L, 0L, 500L, 1000L, 1001L, 7000L, 700_000L))
        .apply(ParDo.of(new ObserveFn()));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    Map<String, Long> counters = counters(result);
    String b = PipelineMetrics.END_TO_END_LATENCY + "_bucket__le__";
    // By hand: -5 counts as 0 ms; <= 1 s: -5, 0, 500, 1000; <= 2 s adds 1001; <= 10 s adds 7000;
    // 700 s is past the last bound (600 s).
    assertEquals(Long.valueOf(4), counters.get(b + "1"));
    assertEquals(Long.valueOf(5), counters.get(b + "2"));
    assertEquals(Long.valueOf(5), counters.get(b + "5"));
    assertEquals(Long.valueOf(6), counters.get(b + "10"));
    assertEquals(Long.valueOf(6), counters.get(b + "600"));
    assertEquals(Long.valueOf(7), counters.get(b + "Inf"));
    assertEquals(Long.valueOf(7), counters.get(PipelineMetrics.END_TO_END_LATENCY + "_count"));
    assertEquals(Long.valueOf(0 + 0 + 500 + 1000 + 1001 + 7000 + 700_000),
        counters.get(PipelineMetrics.END_TO_END_LATENCY + "_sum_milliseconds"));
    assertEquals(14 + 2, counters.size());
  }

  @Test
  public void everyBucketIsReportedFromTheFirstObservation() {
    pipeline.apply(Create.of(7000L)).apply(ParDo.of(new ObserveFn()));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    Map<String, Long> counters = counters(result);
    String b = PipelineMetrics.END_TO_END_LATENCY + "_bucket__le__";
    // By hand: 7 s is above the 1, 2 and 5 s bounds (reported as 0) and within all the others.
    for (long bound : PipelineMetrics.END_TO_END_LATENCY_BOUNDS) {
      assertEquals("le " + bound, Long.valueOf(bound < 7 ? 0 : 1), counters.get(b + bound));
    }
    assertEquals(Long.valueOf(1), counters.get(b + "Inf"));
  }

  static Map<String, Long> counters(PipelineResult result) {
    MetricQueryResults q = result.metrics().queryMetrics(MetricsFilter.builder().build());
    Map<String, Long> out = new HashMap<>();
    for (MetricResult<Long> c : q.getCounters()) {
      if (PipelineMetrics.NAMESPACE.equals(c.getName().getNamespace())) {
        out.merge(c.getName().getName(), c.getAttempted(), Long::sum);
      }
    }
    return out;
  }

  static Map<String, Long> gauges(PipelineResult result) {
    MetricQueryResults q = result.metrics().queryMetrics(MetricsFilter.builder().build());
    Map<String, Long> out = new HashMap<>();
    for (MetricResult<org.apache.beam.sdk.metrics.GaugeResult> g : q.getGauges()) {
      if (PipelineMetrics.NAMESPACE.equals(g.getName().getNamespace())) {
        out.put(g.getName().getName(), g.getAttempted().getValue());
      }
    }
    return out;
  }
}
