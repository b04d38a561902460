package org.livemetrics.query;

import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_SKETCH_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_SUM_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_SKETCH_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_SUM_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.BUFFERING_TIME_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.ERROR_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYING_TIME_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.QUALITY_CHANGES_UP_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.REBUFFER_COUNT_FIELD;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.junit.ClassRule;
import org.junit.Test;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.LatencySketch;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.schemas.StreamSession;
import org.livemetrics.schemas.elasticsearch.BroadcastDocuments;
import org.livemetrics.schemas.elasticsearch.DocumentFormat;
import org.livemetrics.schemas.elasticsearch.ElasticsearchConnection;
import org.livemetrics.schemas.elasticsearch.QosDocuments;
import org.livemetrics.schemas.elasticsearch.StreamDocuments;
import org.livemetrics.testdata.services.LocalElasticsearch;
import org.livemetrics.testdata.services.ServerRule;

/**
 * Each QoS / broadcast / stream document format on a real Elasticsearch: its template installs,
 * the strict mapping accepts the documents, the alias finds them by keyword and date, they read
 * back as the rows written, and rewriting a row overwrites its document.
 */
public class DocumentTemplatesOnElasticsearchTest {
  @ClassRule
  public static final ServerRule<LocalElasticsearch> ES = ServerRule.of(new LocalElasticsearch());

  private static final String ARN = "arn:aws:ivs:us-west-2:123456789012:channel/AbCd";
  private static final long MINUTE = Rows.t("2026-11-22T05:13");

  private static byte[] sketch(double... values) {
    KllDoublesSketch s = LatencySketch.newSketch();
    for (double v : values) {
      s.update(v);
    }
    return s.toByteArray();
  }

  private static QosMinute qos(long sessions) {
    return QosMinute.builder().account("1234").dimensionSet(QosDimensionSet.VIDEO_CLIENT_PLATFORM)
        .video("5555").clientPlatform("ios").minute(MINUTE).concurrentSessions(sessions)
        .count(ERROR_COUNT_FIELD, 1).count(PLAYING_TIME_MS_FIELD, 58_000)
        .count(BUFFERING_TIME_MS_FIELD, 2_000).count(REBUFFER_COUNT_FIELD, 3)
        .count(STARTUP_COUNT_FIELD, 2).count(STARTUP_SUM_MS_FIELD, 1_900)
        .sketch(STARTUP_SKETCH_FIELD, sketch(700, 1_200)).count(LIVE_LATENCY_COUNT_FIELD, 1)
        .count(LIVE_LATENCY_SUM_MS_FIELD, 2_500)
        .sketch(LIVE_LATENCY_SKETCH_FIELD, sketch(2_500))
        .renditionPlayingMs(Map.of("720p", 58_000L)).count(QUALITY_CHANGES_UP_FIELD, 1).build();
  }

  private static <T> void storeSearchAndOverwrite(DocumentFormat<T> format, String prefix,
      T row, T rewritten, String keywordField, String keywordValue, String dateField, long date)
      throws IOException {
    ElasticsearchConnection es = ElasticsearchConnection.parse(ES.server().endpoint());
    try {
      ElasticsearchRows.store(es, format, prefix, List.of(row));
      String search = "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"" + keywordField + "\":\""
          + keywordValue + "\"}},{\"range\":{\"" + dateField + "\":{\"gte\":" + date + ",\"lte\":"
          + date + ",\"format\":\"epoch_millis\"}}}]}}}";
      JsonNode hits = es.post("/" + prefix + "/_search", search).path("hits").path("hits");
      assertEquals(hits.toString(), 1, hits.size());
      assertEquals(row, format.fromDocument(hits.get(0).path("_source")));
      assertEquals(format.id(hits.get(0).path("_source")), hits.get(0).path("_id").asText());

      ElasticsearchRows.store(es, format, prefix, List.of(rewritten));
      assertEquals(1, ElasticsearchRows.count(es, prefix));
      hits = es.post("/" + prefix + "/_search", search).path("hits").path("hits");
      assertEquals(rewritten, format.fromDocument(hits.get(0).path("_source")));
    } finally {
      ElasticsearchRows.drop(es, prefix);
    }
  }

  @Test
  public void qosMinutes() throws IOException {
    String prefix = DocumentFormat.prefixFor("t-templates-aggregates", QosDocuments.TABLE);
    assertEquals("t-templates-qos", prefix);
    storeSearchAndOverwrite(QosDocuments.FORMAT, prefix, qos(7), qos(9),
        QosDocuments.CLIENT_PLATFORM, "ios", QosDocuments.MINUTE, MINUTE);
  }

  @Test
  public void broadcastMinutes() throws IOException {
    storeSearchAndOverwrite(BroadcastDocuments.FORMAT, "t-templates-broadcast",
        new BroadcastMinute(BroadcastMinute.Scope.CHANNEL, "us-west-2", ARN, "news", MINUTE, 1, 1,
            2_000),
        new BroadcastMinute(BroadcastMinute.Scope.CHANNEL, "us-west-2", ARN, "news", MINUTE, 1, 2,
            5_000),
        BroadcastDocuments.CHANNEL, ARN, BroadcastDocuments.MINUTE, MINUTE);
  }

  @Test
  public void streamSessions() throws IOException {
    long start = MINUTE + 5_000;
    StreamSession open = new StreamSession("123456789012", "us-west-2", ARN, "news", "st-1", start,
        null, StreamSession.Outcome.OPEN, 60_000L, start + 60_000, 0, null, null, 0, 0);
    StreamSession ended = new StreamSession("123456789012", "us-west-2", ARN, "news", "st-1",
        start, start + 90_000, StreamSession.Outcome.ENDED, 90_000L, start + 90_000, 1, start + 1,
        start + 89_000, 1, 3_000);
    storeSearchAndOverwrite(StreamDocuments.FORMAT, "t-templates-streams", open, ended,
        StreamDocuments.CHANNEL, ARN, StreamDocuments.START, start);
  }
}
