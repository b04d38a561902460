package org.livemetrics.benchmarks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.Test;

/** The streaming benchmark's own logic, without running it (that takes minutes and servers). */
public class StreamingBenchmarkTest {
  @Test
  public void percentilesAreNearestRank() {
    List<Double> tenths = List.of(0.4, 0.1, 1.0, 0.7, 0.2, 0.9, 0.3, 0.6, 0.5, 0.8);
    // 10 values: p50 is the 5th smallest, p95 the 10th (ceil(9.5)), p10 the 1st.
    assertEquals(0.5, FreshnessProbes.percentile(tenths, 50), 0);
    assertEquals(1.0, FreshnessProbes.percentile(tenths, 95), 0);
    assertEquals(0.1, FreshnessProbes.percentile(tenths, 10), 0);
    assertEquals(7.0, FreshnessProbes.percentile(List.of(7.0), 95), 0);
    assertEquals(Double.NaN, FreshnessProbes.percentile(List.of(), 50), 0);
  }

  @Test
  public void theGeneratorsWatermarkReadsEventTimeAsPlayersWriteIt() {
    assertEquals(1_700_000_000_123L, eventTime("{\"metric_type\":\"PLAY\",\"event_time\":1700000000123}"));
    assertEquals(1_700_000_000_123L, eventTime("{\"x\":{\"event_time\":1},\"event_time\":\"1700000000123\"}"));
    assertEquals(1_700_000_000_123L, eventTime("[{\"event_time\":1700000000123},{\"event_time\":1}]"));
    assertEquals(Long.MIN_VALUE, eventTime("{\"event_time\":\"soon\"}"));
    assertEquals(Long.MIN_VALUE, eventTime("{\"metric_type\":\"PLAY\""));
    assertEquals(Long.MIN_VALUE, eventTime("42"));
  }

  @Test
  public void theTablePrintsCpuSecondsPerThousandEvents() {
    java.util.Map<String, String> engine = new java.util.HashMap<>(java.util.Map.of(
        "events", "200000", "records", "200000", "seconds", "10.0", "second_half_records",
        "100000", "second_half_seconds", "4.0", "startup_seconds", "5.0", "cpu_seconds", "50.0",
        "second_half_cpu_seconds", "8.0", "peak_rss_mb", "2000", "load_before", "1.00"));
    engine.put("load_after", "2.00");
    engine.put("others_cores", "0.10");
    String table = StreamingBenchmark.table(StreamingBenchmark.Settings.parse(),
        java.util.Map.of("engine", engine));
    // 50 CPU-s for 200,000 events: 0.25 per 1,000; the second half 8 CPU-s for 100,000: 0.08.
    String row = table.lines().filter(l -> l.startsWith("engine:")).findFirst().orElseThrow();
    assertEquals(List.of("engine:", "in-process", "generator", "200,000", "10.0", "20,000", "25,000",
            "5.0", "50.0", "0.25", "0.08", "2,000", "-", "1.00→2.00", "0.10"),
        List.of(row.trim().split("\\s+")));
  }

  private static long eventTime(String record) {
    return GeneratedRecords.firstEventTime(record.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  public void settingsDefaultToTheIssuesMeasurementAndRefuseNonsense() {
    StreamingBenchmark.Settings s = StreamingBenchmark.Settings.parse();
    assertEquals(400_000, s.events());
    assertEquals(500, s.rate(), 0);
    assertEquals(80, s.probes());
    assertEquals(2, s.parallelism());
    assertEquals(2, s.shards());
    assertEquals(List.of("engine", "kinesis", "freshness"), s.phases());
    assertEquals(Path.of(".work/benchmark"), s.dir());
    assertEquals("", s.jobOptions());

    s = StreamingBenchmark.Settings.parse("--phases", "freshness", "--rate", "200", "--probes", "60",
        "--shards", "4");
    assertEquals(List.of("freshness"), s.phases());
    assertEquals(4, s.shards());
    assertEquals(200, s.rate(), 0);
    assertEquals(60, s.probes());
    assertEquals("--maxBundleTimeMills=500 --objectReuse=true", StreamingBenchmark.Settings
        .parse("--jobOptions", " --maxBundleTimeMills=500  --objectReuse=true ").jobOptions()
        .replaceAll("\\s+", " "));
    // A job option must be --name=value: a typo fails here, not minutes later in the phase's JVM.
    assertThrows(IllegalArgumentException.class,
        () -> StreamingBenchmark.Settings.parse("--jobOptions", "maxBundleTimeMills=500"));

    assertThrows(IllegalArgumentException.class,
        () -> StreamingBenchmark.Settings.parse("--phases", "engine,latency"));
    assertThrows(IllegalArgumentException.class, () -> StreamingBenchmark.Settings.parse("--events"));
    assertThrows(IllegalArgumentException.class,
        () -> StreamingBenchmark.Settings.parse("--events", "100"));
    assertThrows(IllegalArgumentException.class, () -> StreamingBenchmark.Settings.parse("--eventz", "1"));
    assertThrows(IllegalArgumentException.class,
        () -> StreamingBenchmark.Settings.parse("--shards", "0"));
  }
}
