package org.livemetrics.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.livemetrics.schemas.elasticsearch.AggregateDocuments;
import org.livemetrics.schemas.elasticsearch.ElasticsearchConnection;
import org.livemetrics.schemas.elasticsearch.ElasticsearchException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Freshness: how long after an event arrives its minute's value can be read from Elasticsearch.
 *
 * <p>Each probe is one PLAY event of a video of its own ({@code probe-<n>}, account {@value
 * #ACCOUNT}) with the clock as its {@code event_time}, put into the stream alongside the live
 * traffic; its arrival is the time the put was sent. It is visible once a search on the read
 * alias (what the query layer and dashboards use, so after Elasticsearch's refresh) returns the
 * video's row of the {@code video} dimension set. Being the first event of its row, a probe waits
 * for the row's first firing: the early firing (--earlyFiringSeconds after it) or the on-time one
 * (when the watermark passes its minute), whichever comes first.
 */
final class FreshnessProbes {
  static final String ACCOUNT = "probe";

  private final KinesisClient kinesis;
  private final String stream;
  private final ElasticsearchConnection es;
  private final String alias;
  private final Map<Integer, Long> putMillis = new ConcurrentHashMap<>();
  private final Map<Integer, Long> visibleMillis = new ConcurrentHashMap<>();

  FreshnessProbes(KinesisClient kinesis, String stream, ElasticsearchConnection es) {
    this.kinesis = kinesis;
    this.stream = stream;
    this.es = es;
    this.alias = AggregateDocuments.DEFAULT_PREFIX;
  }

  static String video(int n) {
    return "probe-" + n;
  }

  /** The probe's record, as a player would send it. */
  static String record(int n, long eventTime) {
    return "{\"metric_type\":\"PLAY\",\"event_time\":" + eventTime + ",\"channel_watched\":\""
        + video(n) + "\",\"session_id\":\"" + video(n) + "\",\"account_id\":\"" + ACCOUNT + "\"}";
  }

  /** Puts probe {@code n} (a partition key of its own spreads the probes over the shards). */
  void put(int n) {
    long now = System.currentTimeMillis();
    kinesis.putRecord(b -> b.streamName(stream).partitionKey(video(n))
        .data(SdkBytes.fromUtf8String(record(n, now))));
    putMillis.put(n, now);
  }

  /** One search for the probes' rows; notes when each is first seen. Returns how many are visible. */
  int poll() throws IOException {
    String query = "{\"size\":10000,\"_source\":[\"" + AggregateDocuments.VIDEO + "\"],"
        + "\"query\":{\"bool\":{\"filter\":["
        + "{\"term\":{\"" + AggregateDocuments.ACCOUNT + "\":\"" + ACCOUNT + "\"}},"
        + "{\"term\":{\"" + AggregateDocuments.DIMENSION_SET + "\":\"video\"}}]}}}";
    JsonNode hits;
    try {
      hits = es.post("/" + alias + "/_search", query).path("hits").path("hits");
    } catch (ElasticsearchException e) {
      if (e.status() == 404) {
        return visibleMillis.size(); // no row written yet: the alias comes with the first index
      }
      throw e;
    }
    long now = System.currentTimeMillis();
    for (JsonNode hit : hits) {
      String video = hit.path("_source").path(AggregateDocuments.VIDEO).asText();
      if (video.startsWith("probe-")) {
        visibleMillis.putIfAbsent(Integer.parseInt(video.substring(6)), now);
      }
    }
    return visibleMillis.size();
  }

  /** Rows of any account searchable so far (0 before the first index exists). */
  long rows() throws IOException {
    try {
      return es.get("/" + alias + "/_count").path("count").asLong();
    } catch (ElasticsearchException e) {
      if (e.status() == 404) {
        return 0;
      }
      throw e;
    }
  }

  int put() {
    return putMillis.size();
  }

  /** Seconds from put to visible, of the probes seen so far. */
  List<Double> freshnessSeconds() {
    List<Double> out = new ArrayList<>();
    putMillis.forEach((n, put) -> {
      Long seen = visibleMillis.get(n);
      if (seen != null) {
        out.add((seen - put) / 1000.0);
      }
    });
    out.sort(null);
    return out;
  }

  /**
   * Each seen probe in the order they were put, as {@code second-of-minute:freshness}: a tail that
   * clusters at one second of the minute points at the minute's on-time firing.
   */
  String byPutTime() {
    StringBuilder out = new StringBuilder();
    new java.util.TreeMap<>(putMillis).forEach((n, put) -> {
      Long seen = visibleMillis.get(n);
      out.append(String.format(Locale.ROOT, " %02d:%s", (put / 1000) % 60,
          seen == null ? "-" : String.format(Locale.ROOT, "%.1f", (seen - put) / 1000.0)));
    });
    return out.toString();
  }

  /** The nearest-rank percentile {@code p} (0 < p ≤ 100) of {@code values}. */
  static double percentile(List<Double> values, double p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
