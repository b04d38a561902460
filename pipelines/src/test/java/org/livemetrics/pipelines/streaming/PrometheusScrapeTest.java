package org.livemetrics.pipelines.streaming;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.pipelines.kinesis.LocalStreams;
import org.livemetrics.testdata.services.LocalServer;
import org.livemetrics.testdata.services.LocalElasticsearch;
import org.livemetrics.testdata.services.LocalPrometheus;
import org.livemetrics.testdata.services.ServerRule;
import org.livemetrics.transforms.observability.PipelineMetrics;

/**
 * The pipeline metrics as on-call sees them: the streaming pipeline on the embedded FlinkRunner
 * with Flink's Prometheus reporter ({@code --prometheusPort}), fed a known set of player and
 * broadcast events through a real Kinesis (kinesalite) into a real Elasticsearch; its {@code
 * /metrics} endpoint scraped over HTTP, each metric of {@code runners/monitoring/METRICS.md}
 * checked against what the test put in; then a real Prometheus server scraping the same endpoint
 * with {@code runners/monitoring/prometheus/prometheus.yml} and evaluating the recording rules,
 * queried for the relabeled names and the recorded watermark lag.
 */
public class PrometheusScrapeTest {
  private static final String FLINK_PREFIX = "flink_taskmanager_job_task_operator_livemetrics_";
  private static final Path MONITORING = Path.of("..", "runners", "monitoring", "prometheus");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Viewer countries, 8 sessions each; "" sends no country (unknown). */
  private static final String[] COUNTRIES = {"US", "BR", "FR", "DE", "JP", "AU", "NG", ""};
  private static final int SESSIONS = 64;
  private static final int TOO_LATE = 5;

  @ClassRule public static final LocalStreams KINESIS = new LocalStreams();
  @ClassRule
  public static final ServerRule<LocalElasticsearch> ES = ServerRule.of(new LocalElasticsearch());
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void theScrapeConfigUsesTheRelabelRulesVerbatim() throws IOException {
    List<String> rules = significant(Files.readAllLines(MONITORING.resolve("flink-metric-relabel.yml")));
    List<String> config = Files.readAllLines(MONITORING.resolve("prometheus.yml"));
    int at = config.indexOf("    metric_relabel_configs:");
    assertTrue("prometheus.yml has metric_relabel_configs", at > 0);
    List<String> inConfig = new ArrayList<>();
    for (String line : significant(config.subList(at + 1, config.size()))) {
      assertTrue("indented under metric_relabel_configs: " + line, line.startsWith("      "));
      inConfig.add(line.substring(6));
    }
    assertEquals(rules, inConfig);
  }

  private static List<String> significant(List<String> lines) {
    return lines.stream().filter(l -> !l.isBlank() && !l.trim().startsWith("#")).toList();
  }

  @Test(timeout = 300_000)
  public void theStreamingJobServesEveryMetricAndPrometheusRelabelsThem() throws Exception {
    long now = System.currentTimeMillis();
    long minuteA = Math.floorDiv(now - 5 * 60_000, 60_000) * 60_000;
    long minuteB = minuteA + 60_000;

    // The events, counted by type as they are made; sorted by event_time, so none is late.
    List<long[]> timed = new ArrayList<>();
    List<String> events = new ArrayList<>();
    Map<String, Long> byType = new TreeMap<>();
    for (int i = 0; i < SESSIONS; i++) {
      String session = "s" + i;
      String video = "v" + (i % 3);
      String country = COUNTRIES[i % COUNTRIES.length];
      add(events, timed, byType, "IMPRESSION", minuteA + 1_000 + i, session, video, country, "");
      add(events, timed, byType, "PLAY", minuteA + 2_000 + i, session, video, country, "");
      if (i % 4 == 0) {
        add(events, timed, byType, "AD_START", minuteA + 10_000 + i, session, video, country, "");
      }
      if (i % 5 == 0) {
        add(events, timed, byType, "QUALITY_CHANGED", minuteA + 20_000 + i, session, video,
            country, "");
      }
      add(events, timed, byType, "PLAYBACK_SUMMARY", minuteB + 5_000 + i, session, video, country,
          ",\"playing_time_ms\":60000,\"buffering_time_ms\":0");
      if (i % 2 == 0) {
        add(events, timed, byType, "STOP", minuteB + 30_000 + i, session, video, country, "");
      }
      if (i % 10 == 0) {
        // An unknown metric_type is a valid event, counted as "unknown".
        add(events, timed, byType, "HEARTBEAT", minuteB + 31_000 + i, session, video, country, "");
      }
    }
    List<byte[]> records = new ArrayList<>();
    timed.sort((x, y) -> Long.compare(x[0], y[0]));
    for (long[] t : timed) {
      records.add(events.get((int) t[1]).getBytes(StandardCharsets.UTF_8));
    }
    Map<String, Long> badRecords = new TreeMap<>(Map.of(
        "malformed_json", 3L, "missing_field", 2L, "invalid_field", 2L, "not_an_object", 1L));
    for (int i = 0; i < 3; i++) {
      records.add(("{\"metric_type\":\"PLAY\",\"event_time\":" + now).getBytes(StandardCharsets.UTF_8));
    }
    for (int i = 0; i < 2; i++) {
      records.add(("{\"metric_type\":\"PLAY\",\"event_time\":" + now
          + ",\"channel_watched\":\"v0\"}").getBytes(StandardCharsets.UTF_8));
    }
    for (int i = 0; i < 2; i++) {
      records.add(("{\"metric_type\":\"PLAY\",\"event_time\":\"soon\",\"channel_watched\":\"v0\","
          + "\"session_id\":\"bad" + i + "\"}").getBytes(StandardCharsets.UTF_8));
    }
    records.add("42".getBytes(StandardCharsets.UTF_8));

    String stream = KINESIS.newStream(2);
    FlinkStreamingJob.put(KINESIS.client(), stream, records);
    // One PLAY per shard at "now": the watermark moves past minutes A and B (and their lateness).
    int probes = FlinkStreamingJob.putWatermarkProbes(KINESIS.client(), stream, now);
    byType.merge("PLAY", (long) probes, Long::sum);

    // Broadcast: three channels go live in minute A (two in us-east-1, one in eu-west-1) and stay
    // live; one starves for 10 s. Then in every shard an event of a kind the metrics ignore, at
    // "now", moves that shard's watermark on.
    String broadcastStream = KINESIS.newStream(1);
    List<byte[]> broadcast = new ArrayList<>();
    String[][] channels = {{"us-east-1", "c1"}, {"us-east-1", "c2"}, {"eu-west-1", "c3"}};
    for (String[] c : channels) {
      broadcast.add(ivs(c[0], c[1], "IVS Stream State Change", "Stream Start", minuteA + 5_000)
          .getBytes(StandardCharsets.UTF_8));
    }
    broadcast.add(ivs("us-east-1", "c1", "IVS Stream Health Change", "Starvation Start",
        minuteA + 20_000).getBytes(StandardCharsets.UTF_8));
    broadcast.add(ivs("us-east-1", "c1", "IVS Stream Health Change", "Starvation End",
        minuteA + 30_000).getBytes(StandardCharsets.UTF_8));
    FlinkStreamingJob.put(KINESIS.client(), broadcastStream, broadcast);
    int broadcastProbes = FlinkStreamingJob.putIntoEveryShard(KINESIS.client(), broadcastStream,
        shardId -> ivs("us-east-1", "c1", "IVS Limit Breach", "probe-" + shardId, now));
    long broadcastRecords = broadcast.size() + broadcastProbes;
    long ignoredBroadcast = broadcastProbes;

    int restPort = LocalServer.freePort();
    int prometheusPort = LocalServer.freePort();
    FlinkRest rest = new FlinkRest(restPort);
    List<String> args = new ArrayList<>(KINESIS.server().kinesisArgs(stream));
    args.addAll(List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2",
        "--fingerprintSecret=test-secret",
        "--flinkConfDir=" + FlinkRest.writeConf(tmp.newFolder("flink-conf").toPath(), restPort),
        "--prometheusPort=" + prometheusPort,
        "--elasticsearchUrl=" + ES.server().endpoint(), "--flushInterval=PT2S",
        "--earlyFiringSeconds=1", "--allowedLateness=PT1M",
        "--kinesisInitialPosition=TRIM_HORIZON", "--streamId=prom1",
        "--broadcastKinesisStream=" + broadcastStream,
        "--output=" + tmp.newFolder("store"), "--archive=" + tmp.newFolder("archive")));
    FlinkStreamingJob job = FlinkStreamingJob.start(args);
    String jobId = rest.runningJob(Duration.ofMinutes(2), job::check);
    String metricsUrl = "http://127.0.0.1:" + prometheusPort + "/metrics";
    try {
      // The minutes close (the too-late walk reports the watermark), then events of minute A come:
      // too late.
      awaitScrape(metricsUrl, job, "the watermark lag",
          s -> assertFalse("watermark lag reported", s.series("watermark_lag_seconds").isEmpty()));
      Thread.sleep(2_000);
      List<byte[]> late = new ArrayList<>();
      for (int i = 0; i < TOO_LATE; i++) {
        late.add(("{\"metric_type\":\"PLAY\",\"event_time\":" + (minuteA + 40_000 + i)
            + ",\"channel_watched\":\"v0\",\"session_id\":\"late" + i + "\"}")
            .getBytes(StandardCharsets.UTF_8));
      }
      FlinkStreamingJob.put(KINESIS.client(), stream, late);
      byType.merge("PLAY", (long) TOO_LATE, Long::sum);
      badRecords.put("too_late", (long) TOO_LATE);
      long allRecords = records.size() + probes + TOO_LATE;

      // Each operator reports its counters when it finishes a bundle, so one scrape can show a
      // dead letter counted and its too-late event not yet: every check is retried until all hold.
      Scrape scrape = awaitScrape(metricsUrl, job, "every record, dead letter and viewer", s -> {
        assertEquals("records read", allRecords,
            s.sum("records_read_total__source__kinesis_player"));
        assertEquals("records archived", allRecords, s.sum("archive_records_written_total"));
        assertTrue(s.sum("rows_written_total__sink__parquet__table__aggregates") > 0);
        // Throughput: what the test put in.
        for (Map.Entry<String, Long> e : byType.entrySet()) {
          String type = e.getKey().equals("HEARTBEAT") ? "unknown" : e.getKey();
          assertEquals("events of type " + type, e.getValue().longValue(),
              s.sum("events_total__metric_type__" + type + "$"));
        }
        assertEquals(allRecords - badRecords.values().stream().mapToLong(Long::longValue).sum()
                + TOO_LATE, s.sum("events_total__metric_type__"));
        assertEquals("records of both shards", 2,
            s.series("records_read_total__source__kinesis_player__shard__shardId").size());
        assertTrue(s.sum("rows_written_total__sink__elasticsearch__table__aggregates") > 0);
        // Health.
        for (Map.Entry<String, Long> e : badRecords.entrySet()) {
          assertEquals("dead letters " + e.getKey(), e.getValue().longValue(),
              s.sum("dead_letters_total__reason__" + e.getKey() + "$"));
        }
        assertEquals(TOO_LATE, s.sum("too_late_events_total__input__player"));
        assertEquals(0, s.sum("sink_write_failures_total"));
        assertEquals(0, s.sum("sink_write_retries_total"));
        assertHistogram(s, "elasticsearch_bulk_latency_seconds",
            PipelineMetrics.BULK_LATENCY_BOUNDS);
        assertHistogram(s, "end_to_end_latency_seconds", PipelineMetrics.END_TO_END_LATENCY_BOUNDS);
        // Rows of minutes A and B written minutes after they ended: nothing in the 1 s bucket.
        assertTrue(s.sum("end_to_end_latency_seconds_sum_milliseconds")
            >= 60_000 * s.sum("end_to_end_latency_seconds_count"));
        // Lag: kinesalite's arrival times are this machine's clock.
        for (double lag : s.series("source_lag_seconds__source__kinesis_player").values()) {
          assertTrue("source lag " + lag, lag >= 0 && lag < 300);
        }
        for (double lag : s.series("watermark_lag_seconds").values()) {
          assertTrue("watermark lag " + lag, lag >= 0 && lag < 600);
        }
        // The audience of minute B (minute "now" has only the probes): 8 sessions per country.
        Map<String, Long> viewers = Map.of("americas", 16L, "europe", 16L, "asia", 8L,
            "oceania", 8L, "africa", 8L, "unknown", 8L);
        for (Map.Entry<String, Long> e : viewers.entrySet()) {
          assertEquals("viewers in " + e.getKey(), e.getValue().longValue(),
              s.sum("concurrent_viewers__region__" + e.getKey() + "$"));
          assertEquals("peak viewers in " + e.getKey(), e.getValue().longValue(),
              s.sum("peak_concurrent_viewers__region__" + e.getKey() + "$"));
        }
        assertEquals("one worker reports the gauges", 1,
            s.series("concurrent_viewers__region__americas$").size());
        // Broadcast: its records, its events by kind, and the channels live in each region.
        assertEquals("broadcast records read", broadcastRecords,
            s.sum("records_read_total__source__kinesis_broadcast"));
        assertEquals(3, s.sum("broadcast_events_total__event__stream_start$"));
        assertEquals(1, s.sum("broadcast_events_total__event__starvation_start$"));
        assertEquals(1, s.sum("broadcast_events_total__event__starvation_end$"));
        assertEquals(ignoredBroadcast, s.sum("broadcast_events_total__event__ignored$"));
        assertEquals("live channels in us-east-1", 2,
            s.sum("live_channels__region__us_east_1$"));
        assertEquals("live channels in eu-west-1", 1,
            s.sum("live_channels__region__eu_west_1$"));
      });
      System.out.println("Scraped from " + metricsUrl + ": " + scrape);

      // A real Prometheus with the scrape config, its relabel rules and the recording rules.
      Path rules = MONITORING.resolve("livemetrics-rules.yml").toAbsolutePath();
      String config = Files.readString(MONITORING.resolve("prometheus.yml"))
          .replace("'localhost:9249'", "'127.0.0.1:" + prometheusPort + "'")
          .replace("scrape_interval: 15s", "scrape_interval: 1s")
          .replace("evaluation_interval: 15s", "evaluation_interval: 1s")
          + "\nrule_files:\n  - '" + rules + "'\n";
      // The watermark lag is recorded from Flink's input watermark of the task the rule names:
      // that task exists in the real job, once per subtask, with a watermark.
      Matcher closing = Pattern.compile("currentInputWatermark\\{(task_name=~\"[^\"]+\")\\}")
          .matcher(Files.readString(rules));
      assertTrue("the watermark lag rule selects Flink's task by name", closing.find());
      String watermarks = "flink_taskmanager_job_task_currentInputWatermark{" + closing.group(1)
          + "}";
      try (LocalPrometheus prometheus = new LocalPrometheus(config)) {
        prometheus.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Map<String, Double> got = new LinkedHashMap<>();
        Map<String, Double> want = new LinkedHashMap<>();
        want.put("sum(livemetrics_events_total{metric_type=\"PLAY\"})",
            (double) byType.get("PLAY"));
        want.put("sum(livemetrics_dead_letters_total{reason=\"malformed_json\"})", 3.0);
        want.put("sum(livemetrics_records_read_total{source=\"kinesis_player\"})",
            (double) allRecords);
        want.put("count(livemetrics_records_read_total{source=\"kinesis_player\","
            + "shard=~\"shardId_.+\"})", 2.0);
        want.put("sum(livemetrics_end_to_end_latency_seconds_bucket{le=\"+Inf\"})"
            + " - sum(livemetrics_end_to_end_latency_seconds_count)", 0.0);
        want.put("count(count by (le) (livemetrics_end_to_end_latency_seconds_bucket))",
            PipelineMetrics.END_TO_END_LATENCY_BOUNDS.length + 1.0);
        want.put("sum(livemetrics_concurrent_viewers)", (double) SESSIONS);
        want.put("sum(livemetrics_live_channels)", (double) channels.length);
        want.put("sum(livemetrics_archive_records_written_total)", (double) allRecords);
        want.put("absent({__name__=~\"flink_taskmanager_job_task_operator_livemetrics_.*\"})",
            1.0);
        // Two tasks close minutes (player and broadcast), each on two subtasks.
        want.put("count(" + watermarks + " > 0)", 4.0);
        want.put("count(livemetrics:watermark_lag_seconds:max >= 0 < 120)", 1.0);
        while (System.nanoTime() < deadline) {
          for (String q : want.keySet()) {
            got.put(q, value(prometheus.query(q)));
          }
          if (got.equals(want)) {
            break;
          }
          Thread.sleep(1_000);
        }
        assertEquals("Prometheus' answers after relabeling", want, got);
        System.out.println("Prometheus answered: " + got);
      }
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; job exceptions: " + rest.exceptions(jobId)
          + "\n" + ES.server().diagnose(), e);
    } finally {
      rest.cancel(jobId);
      job.await();
    }
  }

  /** An IVS event as EventBridge puts it on the broadcast stream. */
  private static String ivs(String region, String channel, String detailType, String eventName,
      long time) {
    String arn = "arn:aws:ivs:" + region + ":123456789012:channel/" + channel;
    return "{\"version\":\"0\",\"id\":\"" + channel + "-" + eventName + "-" + time + "\","
        + "\"detail-type\":\"" + detailType + "\",\"source\":\"aws.ivs\","
        + "\"account\":\"123456789012\",\"time\":\""
        + java.time.Instant.ofEpochSecond(time / 1000) + "\",\"region\":\"" + region + "\","
        + "\"resources\":[\"" + arn + "\"],\"detail\":{\"event_name\":\"" + eventName
        + "\",\"channel_name\":\"" + channel + "\",\"stream_id\":\"st-" + channel + "\"}}";
  }

  private static void add(List<String> events, List<long[]> timed, Map<String, Long> byType,
      String type, long time, String session, String video, String country, String extra) {
    timed.add(new long[] {time, events.size()});
    events.add("{\"metric_type\":\"" + type + "\",\"event_time\":" + time
        + ",\"channel_watched\":\"" + video + "\",\"session_id\":\"" + session + "\""
        + (country.isEmpty() ? "" : ",\"CloudFront-Viewer-Country\":\"" + country + "\"")
        + extra + "}");
    byType.merge(type, 1L, Long::sum);
  }

  /** Every bucket of the histogram is there (none waits for an observation), cumulative. */
  private static void assertHistogram(Scrape s, String base, long[] boundsSeconds) {
    List<String> bounds = new ArrayList<>();
    for (long b : boundsSeconds) {
      bounds.add(Long.toString(b));
    }
    bounds.add("Inf");
    long previous = 0;
    for (String bound : bounds) {
      Map<String, Double> bucket = s.series(base + "_bucket__le__" + bound + "$");
      assertFalse(base + " bucket " + bound + " reported", bucket.isEmpty());
      long n = s.sum(base + "_bucket__le__" + bound + "$");
      assertTrue(base + " buckets are cumulative at " + bound, n >= previous);
      previous = n;
    }
    long count = s.sum(base + "_count");
    assertTrue(base + " observed", count > 0);
    assertEquals(base + " +Inf bucket = count", count, s.sum(base + "_bucket__le__Inf"));
    assertFalse(s.series(base + "_sum_milliseconds").isEmpty());
  }

  /** The one sample of a Prometheus instant query's answer (NaN when it has none). */
  private static double value(String body) throws IOException {
    JsonNode result = JSON.readTree(body).path("data").path("result");
    return result.isEmpty() ? Double.NaN : result.get(0).path("value").get(1).asDouble();
  }

  /** One scrape of Flink's /metrics, the livemetrics series by their Beam names. */
  static final class Scrape {
    private static final Pattern LINE =
        Pattern.compile("^" + FLINK_PREFIX + "(\\w+)(\\{[^}]*\\})?\\s+(\\S+)$");
    private static final Pattern SUBTASK = Pattern.compile("subtask_index=\"(\\d+)\"");
    private final Map<String, Double> series = new TreeMap<>();

    Scrape(String text) {
      for (String line : text.split("\n")) {
        Matcher m = LINE.matcher(line);
        if (m.matches()) {
          // Flink's labels tell the subtasks apart; the rest (operator, task, job) is not needed.
          Matcher subtask = SUBTASK.matcher(m.group(2) == null ? "" : m.group(2));
          series.put(m.group(1) + "{subtask=" + (subtask.find() ? subtask.group(1) : "") + "}",
              Double.parseDouble(m.group(3)));
        }
      }
    }

    /** The series whose Beam name starts with {@code name}, or is {@code name} if it ends in $. */
    Map<String, Double> series(String name) {
      boolean exact = name.endsWith("$");
      String n = exact ? name.substring(0, name.length() - 1) : name;
      Map<String, Double> out = new TreeMap<>();
      series.forEach((k, v) -> {
        String beamName = k.contains("{") ? k.substring(0, k.indexOf('{')) : k;
        if (exact ? beamName.equals(n) : beamName.startsWith(n)) {
          out.put(k, v);
        }
      });
      return out;
    }

    long sum(String name) {
      return Math.round(series(name).values().stream().mapToDouble(Double::doubleValue).sum());
    }

    @Override
    public String toString() {
      return series.toString();
    }
  }

  /** A check of one scrape: throws an AssertionError while the scrape does not show it yet. */
  private interface ScrapeCheck {
    void check(Scrape s);
  }

  /** Scrapes every second until {@code check} passes; after 150 s, its last failure. */
  private static Scrape awaitScrape(String url, FlinkStreamingJob job, String what,
      ScrapeCheck check) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
    Scrape last = null;
    AssertionError failure = null;
    while (System.nanoTime() < deadline) {
      job.check();
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        last = new Scrape(r.body());
        if (r.statusCode() == 200) {
          check.check(last);
          return last;
        }
      } catch (IOException notYet) {
        // the reporter starts with the job
      } catch (AssertionError notYet) {
        failure = notYet;
      }
      Thread.sleep(1_000);
    }
    throw new AssertionError("no scrape showed " + what + ": "
        + (failure == null ? "" : failure.getMessage()) + "; the last: " + last, failure);
  }
}
