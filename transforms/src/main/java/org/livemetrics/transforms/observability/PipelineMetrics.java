package org.livemetrics.transforms.observability;

import java.io.Serializable;
import java.util.Locale;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The catalog of the pipelines' operational metrics: every name, its labels and units, in one
 * place (documented in {@code runners/monitoring/METRICS.md}).
 *
 * <p>Beam metrics have no labels, so labels are encoded in the Beam name as {@code
 * <base>__<label>__<value>} (and {@code __<label2>__<value2>} for a second one); the runner's
 * Prometheus reporter exposes them as {@code flink_taskmanager_job_task_operator_livemetrics_<name>}
 * and the relabel rules of {@code runners/monitoring/prometheus/flink-metric-relabel.yml} turn
 * them into {@code livemetrics_<base>{<label>="<value>"}}. Values are sanitized so that no name
 * ever holds a double underscore outside the separators. Only bounded label values are used (a
 * metric_type, a reason, a shard, a region), never a video or a session.
 *
 * <p>Histograms are Beam counters too ({@link Histogram}): the Flink reporter exports Beam
 * distributions as 0.
 */
public final class PipelineMetrics {
  /** The Beam metric namespace of everything livemetrics reports. */
  public static final String NAMESPACE = "livemetrics";

  static final String SEPARATOR = "__";

  public static final String RECORDS_READ = "records_read_total";
  public static final String EVENTS = "events_total";
  public static final String BROADCAST_EVENTS = "broadcast_events_total";
  public static final String ROWS_WRITTEN = "rows_written_total";
  public static final String ARCHIVE_RECORDS_WRITTEN = "archive_records_written_total";
  public static final String DEAD_LETTERS = "dead_letters_total";
  public static final String TOO_LATE_EVENTS = "too_late_events_total";
  public static final String SINK_WRITE_FAILURES = "sink_write_failures_total";
  public static final String SINK_WRITE_RETRIES = "sink_write_retries_total";
  public static final String ELASTICSEARCH_BULK_LATENCY = "elasticsearch_bulk_latency_seconds";
  public static final String END_TO_END_LATENCY = "end_to_end_latency_seconds";
  public static final String SOURCE_LAG = "source_lag_seconds";
  public static final String WATERMARK_LAG = "watermark_lag_seconds";
  public static final String LIVE_CHANNELS = "live_channels";
  public static final String CONCURRENT_VIEWERS = "concurrent_viewers";
  public static final String PEAK_CONCURRENT_VIEWERS = "peak_concurrent_viewers";

  /** Where records come from ({@code source} label). */
  public enum Source {
    KINESIS_PLAYER, KINESIS_BROADCAST, ARCHIVE_PLAYER, ARCHIVE_BROADCAST;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Where rows go ({@code sink} label). */
  public enum Sink {
    ELASTICSEARCH, PARQUET, ARCHIVE;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Which kind of row ({@code table} label). */
  public enum Table {
    AGGREGATES, QOS, BROADCAST, STREAMS;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Which input an event came on ({@code input} label). */
  public enum Input {
    PLAYER, BROADCAST;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The label value for a record that came from the archive rather than a Kinesis shard. */
  public static final String ARCHIVE_SHARD = "archive";

  /** Upper bounds (seconds) of the end-to-end latency histogram's buckets (+Inf implied). */
  public static final long[] END_TO_END_LATENCY_BOUNDS =
      {1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 300, 600};
  /** Bounds of the bulk latency histogram: whole seconds, as the contract's names require. */
  public static final long[] BULK_LATENCY_BOUNDS = {1, 2, 5, 10, 30, 60};

  private PipelineMetrics() {}

  public static Counter recordsRead(Source source, String shard) {
    return counter(RECORDS_READ, "source", source.label(), "shard", shard);
  }

  public static Counter events(String metricType) {
    return counter(EVENTS, "metric_type", metricType);
  }

  public static Counter broadcastEvents(String event) {
    return counter(BROADCAST_EVENTS, "event", event);
  }

  public static Counter rowsWritten(Sink sink, Table table) {
    return counter(ROWS_WRITTEN, "sink", sink.label(), "table", table.label());
  }

  public static Counter archiveRecordsWritten() {
    return counter(ARCHIVE_RECORDS_WRITTEN);
  }

  public static Counter deadLetters(String reason) {
    return counter(DEAD_LETTERS, "reason", reason);
  }

  public static Counter tooLateEvents(Input input) {
    return counter(TOO_LATE_EVENTS, "input", input.label());
  }

  public static Counter sinkWriteFailures(Sink sink) {
    return counter(SINK_WRITE_FAILURES, "sink", sink.label());
  }

  public static Counter sinkWriteRetries(Sink sink) {
    return counter(SINK_WRITE_RETRIES, "sink", sink.label());
  }

  public static Histogram elasticsearchBulkLatency() {
    return new Histogram(ELASTICSEARCH_BULK_LATENCY, BULK_LATENCY_BOUNDS);
  }

  public static Histogram endToEndLatency() {
    return new Histogram(END_TO_END_LATENCY, END_TO_END_LATENCY_BOUNDS);
  }

  public static Gauge sourceLag(Source source, String shard) {
    return gauge(SOURCE_LAG, "source", source.label(), "shard", shard);
  }

  public static Gauge watermarkLag() {
    return gauge(WATERMARK_LAG);
  }

  public static Gauge liveChannels(String region) {
    return gauge(LIVE_CHANNELS, "region", region);
  }

  public static Gauge concurrentViewers(String region) {
    return gauge(CONCURRENT_VIEWERS, "region", region);
  }

  public static Gauge peakConcurrentViewers(String region) {
    return gauge(PEAK_CONCURRENT_VIEWERS, "region", region);
  }

  /**
   * The Beam name of a metric: its base, then each (label, value) pair joined by {@code __},
   * values sanitized.
   */
  public static String name(String base, String... labelsAndValues) {
    if (labelsAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("labels and values come in pairs: " + base);
    }
    StringBuilder b = new StringBuilder(base);
    for (int i = 0; i < labelsAndValues.length; i += 2) {
      b.append(SEPARATOR).append(labelsAndValues[i])
          .append(SEPARATOR).append(sanitize(labelsAndValues[i + 1]));
    }
    return b.toString();
  }

  /**
   * A label value as it can appear in a metric name: characters outside {@code [A-Za-z0-9]}
   * become {@code _}, runs of {@code _} one, none at either end (so the value never makes a
   * {@code __} separator of its own); an empty value is {@code unknown}.
   */
  public static String sanitize(String value) {
    if (value == null) {
      return "unknown";
    }
    StringBuilder b = new StringBuilder(value.length());
    boolean underscore = true; // drops leading ones
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (ok) {
        b.append(c);
        underscore = false;
      } else if (!underscore) {
        b.append('_');
        underscore = true;
      }
    }
    int end = b.length();
    if (end > 0 && b.charAt(end - 1) == '_') {
      b.setLength(end - 1);
    }
    return b.length() == 0 ? "unknown" : b.toString();
  }

  static Counter counter(String base, String... labelsAndValues) {
    return Metrics.counter(NAMESPACE, name(base, labelsAndValues));
  }

  static Gauge gauge(String base, String... labelsAndValues) {
    return Metrics.gauge(NAMESPACE, name(base, labelsAndValues));
  }

  /**
   * A Prometheus histogram made of Beam counters: cumulative {@code <base>_bucket__le__<bound>}
   * (bounds in whole seconds, {@code Inf} last), {@code <base>_count} and {@code
   * <base>_sum_milliseconds} (relabeling cannot divide, so the sum stays in ms).
   */
  public static final class Histogram implements Serializable {
    private final long[] boundsMs;
    private final Counter[] buckets;
    private final Counter count;
    private final Counter sumMs;

    Histogram(String base, long[] boundsSeconds) {
      boundsMs = new long[boundsSeconds.length];
      buckets = new Counter[boundsSeconds.length + 1];
      for (int i = 0; i < boundsSeconds.length; i++) {
        boundsMs[i] = boundsSeconds[i] * 1000;
        buckets[i] = counter(base + "_bucket", "le", Long.toString(boundsSeconds[i]));
      }
      buckets[boundsSeconds.length] = counter(base + "_bucket", "le", "Inf");
      count = counter(base + "_count");
      sumMs = counter(base + "_sum_milliseconds");
    }

    /** Records one observation of {@code millis} (negative ones count as 0). */
    public void observe(long millis) {
      observe(millis, 1);
    }

    /** Records {@code n} observations of {@code millis} each. */
    public void observe(long millis, long n) {
      if (n <= 0) {
        return;
      }
      long ms = Math.max(0, millis);
      // Every bucket, by 0 where the value lies above it: a Beam counter is only reported once
      // touched, and a histogram missing its lower buckets (until a fast observation came) would
      // skew histogram_quantile and change shape from one scrape to the next.
      for (int i = 0; i < boundsMs.length; i++) {
        buckets[i].inc(ms <= boundsMs[i] ? n : 0);
      }
      buckets[boundsMs.length].inc(n);
      count.inc(n);
      sumMs.inc(ms * n);
    }
  }
}
