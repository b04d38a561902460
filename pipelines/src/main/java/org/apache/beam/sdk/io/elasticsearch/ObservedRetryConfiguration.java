package org.apache.beam.sdk.io.elasticsearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO.RetryConfiguration;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.http.HttpEntity;
import org.livemetrics.transforms.observability.PipelineMetrics;

/**
 * Bulk latency and retries of {@link ElasticsearchIO.Write}, which Beam 2.62 does not report: its
 * retry predicate is the one hook that sees every bulk response, so this wraps Beam's default
 * predicate (retry on 429) and, on the way, records the response's {@code took} (the time
 * Elasticsearch spent on the bulk request, in ms) in {@code
 * livemetrics_elasticsearch_bulk_latency_seconds}, and counts each response that makes Beam retry
 * in {@code livemetrics_sink_write_retries_total{sink="elasticsearch"}}.
 *
 * <p>It lives in Beam's package because {@code RetryConfiguration.withRetryPredicate} is
 * package-private there (visible for tests); a Beam upgrade that changes it breaks the build
 * here, not the job. Limits: {@code took} leaves out the network and the client's queueing; retries
 * after timeouts or 5xx (no response to look at) are not counted.
 */
public final class ObservedRetryConfiguration {
  private ObservedRetryConfiguration() {}

  /** {@code retries} with the same attempts and back-off, observed. */
  public static RetryConfiguration of(RetryConfiguration retries) {
    return retries.withRetryPredicate(
        new ObservingPredicate(RetryConfiguration.DEFAULT_RETRY_PREDICATE));
  }

  static final class ObservingPredicate implements RetryConfiguration.RetryPredicate {
    private static final JsonFactory JSON = new JsonFactory();

    private final RetryConfiguration.RetryPredicate delegate;
    private final PipelineMetrics.Histogram latency = PipelineMetrics.elasticsearchBulkLatency();
    private final Counter retries =
        PipelineMetrics.sinkWriteRetries(PipelineMetrics.Sink.ELASTICSEARCH);
    /** Beam tests a first response twice in a row: observe each response once. */
    private transient HttpEntity last;
    private transient boolean lastResult;

    ObservingPredicate(RetryConfiguration.RetryPredicate delegate) {
      this.delegate = delegate;
    }

    @Override
    public boolean test(HttpEntity response) {
      if (response != null && response == last) {
        return lastResult;
      }
      boolean retry = delegate.test(response);
      if (response != null) {
        Long took = took(response);
        if (took != null) {
          latency.observe(took);
        }
        if (retry) {
          retries.inc();
        }
      }
      last = response;
      lastResult = retry;
      return retry;
    }

    /** The bulk response's top-level {@code took}, its first field; null if absent. */
    private static Long took(HttpEntity response) {
      if (!response.isRepeatable()) {
        return null; // reading it would consume what Beam still has to read
      }
      try (InputStream in = response.getContent(); JsonParser p = JSON.createParser(in)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          return null;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.getCurrentName();
          JsonToken value = p.nextToken();
          if ("took".equals(name) && value == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
          }
          p.skipChildren();
        }
      } catch (IOException e) {
        return null;
      }
      return null;
    }
  }
}
