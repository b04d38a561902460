package org.livemetrics.query;

import static org.livemetrics.schemas.family.ViewerQosFamily.BUFFERING_TIME_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.ERROR_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYING_TIME_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.QUALITY_CHANGES_DOWN_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.QUALITY_CHANGES_UP_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.REBUFFER_COUNT_FIELD;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.livemetrics.query.Rows.t;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.schemas.AggregateStoreLayout;
import org.livemetrics.schemas.BroadcastAvro;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.schemas.QosMinuteAvro;
import org.livemetrics.schemas.StreamSession;
import org.livemetrics.schemas.elasticsearch.BroadcastDocuments;
import org.livemetrics.schemas.elasticsearch.DocumentFormat;
import org.livemetrics.schemas.elasticsearch.ElasticsearchConnection;
import org.livemetrics.schemas.elasticsearch.QosDocuments;
import org.livemetrics.schemas.elasticsearch.StreamDocuments;
import org.livemetrics.testdata.services.LocalElasticsearch;
import org.livemetrics.testdata.services.ServerRule;

/**
 * The same QoS, broadcast and stream rows in Parquet and in a real Elasticsearch give the same
 * answers, byte for byte, for every kind of request; Elasticsearch is read two hits a page, so
 * {@code search_after} paging is exercised on every table.
 */
public class QosElasticsearchMatchesParquetTest {
  @ClassRule
  public static final ServerRule<LocalElasticsearch> ES = ServerRule.of(new LocalElasticsearch());
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final String ALIAS = "t-qos-match-aggregates";
  private static final Clock NOON =
      Clock.fixed(Instant.parse("2020-02-15T12:00:00Z"), ZoneOffset.UTC);

  private static ElasticsearchConnection es;
  private static ParquetAggregateStore parquet;
  private static ElasticsearchAggregateStore elasticsearch;

  @BeforeClass
  public static void storeTheSameRowsInBoth() throws IOException {
    Random random = new Random(5);
    List<QosMinute> qos = new ArrayList<>();
    for (int minute = 0; minute < 5; minute++) {
      long m = t("2020-02-15T10:00") + minute * 60_000L;
      for (String platform : List.of("web", "ios", "android")) {
        double[] latencies = new double[1 + random.nextInt(40)];
        for (int i = 0; i < latencies.length; i++) {
          latencies[i] = 800 + random.nextInt(6000);
        }
        qos.add(QosRows.renditions(QosRows.startups(QosRows.liveLatencies(
            QosRows.platform(platform, m).concurrentSessions(random.nextInt(50))
                .count(ERROR_COUNT_FIELD, random.nextInt(3))
                .count(PLAYING_TIME_MS_FIELD, random.nextInt(60_000))
                .count(BUFFERING_TIME_MS_FIELD, random.nextInt(5_000))
                .count(REBUFFER_COUNT_FIELD, random.nextInt(4))
                .count(QUALITY_CHANGES_UP_FIELD, random.nextInt(3))
                .count(QUALITY_CHANGES_DOWN_FIELD, random.nextInt(3)), latencies),
            latencies[0] + 100), Map.of("720p", (long) random.nextInt(30_000))).build());
        for (String video : List.of("5555", "6666")) {
          qos.add(QosRows.liveLatencies(QosRows.video(video, platform, m)
              .concurrentSessions(random.nextInt(20))
              .count(PLAYING_TIME_MS_FIELD, random.nextInt(60_000))
              .count(BUFFERING_TIME_MS_FIELD, random.nextInt(5_000)), latencies).build());
        }
      }
    }
    List<BroadcastMinute> broadcast = new ArrayList<>();
    for (int minute = 0; minute < 5; minute++) {
      long m = t("2020-02-15T10:00") + minute * 60_000L;
      broadcast.add(QosRows.all(m, 3, minute % 2, 700L * minute));
      broadcast.add(QosRows.region("us-west-2", m, 2, minute % 2, 700L * minute));
      broadcast.add(QosRows.region("eu-west-1", m, 1, 0, 0));
      broadcast.add(QosRows.channel("us-west-2", "a", m, 1, minute % 2, 700L * minute));
      broadcast.add(QosRows.channel("us-west-2", "b", m, 1, 0, 0));
      broadcast.add(QosRows.channel("eu-west-1", "c", m, 1, 0, 0));
    }
    List<StreamSession> streams = List.of(
        QosRows.ended("us-west-2", "a", "st-1", t("2020-02-15T09:00"), t("2020-02-15T10:02"), 3),
        QosRows.open("us-west-2", "b", "st-2", t("2020-02-15T09:30"), t("2020-02-15T10:05"), 9),
        QosRows.failed("eu-west-1", "c", "st-3", t("2020-02-15T10:01"), t("2020-02-15T10:03")),
        QosRows.ended("eu-west-1", "c", "st-4", t("2020-02-15T10:03"), t("2020-02-15T10:04"), 0));

    Path root = TMP.newFolder("store").toPath();
    ParquetStoreWriter writer = new ParquetStoreWriter(root);
    List<GenericRecord> qosRecords = new ArrayList<>();
    qos.forEach(r -> qosRecords.add(QosMinuteAvro.toRecord(r)));
    writer.writeRecords(AggregateStoreLayout.QOS_DIR, "2020-02-15T10", "r", 0,
        QosMinuteAvro.SCHEMA, qosRecords);
    writer.commit(AggregateStoreLayout.QOS_DIR, "2020-02-15T10", "r");
    List<GenericRecord> broadcastRecords = new ArrayList<>();
    broadcast.forEach(r -> broadcastRecords.add(BroadcastAvro.toRecord(r, 0)));
    writer.writeRecords(AggregateStoreLayout.BROADCAST_DIR, "2020-02-15T10", "r", 0,
        BroadcastAvro.MINUTE_SCHEMA, broadcastRecords);
    for (int i = 0; i < streams.size(); i++) { // one file each, in the hour of its start
      StreamSession s = streams.get(i);
      writer.writeRecords(AggregateStoreLayout.STREAMS_DIR,
          AggregateStoreLayout.hourPartition(s.startTime()).substring(5), "r", i,
          BroadcastAvro.SESSION_SCHEMA, List.of(BroadcastAvro.toRecord(s)));
    }
    parquet = new ParquetAggregateStore(root.toString(), PipelineOptionsFactory.create());

    es = ElasticsearchConnection.parse(ES.server().endpoint());
    ElasticsearchRows.store(es, QosDocuments.FORMAT, prefix(QosDocuments.TABLE), qos);
    ElasticsearchRows.store(es, BroadcastDocuments.FORMAT, prefix(BroadcastDocuments.TABLE),
        broadcast);
    ElasticsearchRows.store(es, StreamDocuments.FORMAT, prefix(StreamDocuments.TABLE), streams);
    elasticsearch = new ElasticsearchAggregateStore(es, ALIAS, 2, 2);
  }

  private static String prefix(String table) {
    return DocumentFormat.prefixFor(ALIAS, table);
  }

  @AfterClass
  public static void close() throws IOException {
    if (parquet != null) {
      parquet.close();
    }
    if (es != null) {
      for (String table : List.of(QosDocuments.TABLE, BroadcastDocuments.TABLE,
          StreamDocuments.TABLE)) {
        ElasticsearchRows.drop(es, prefix(table));
      }
    }
  }

  private static String answer(AggregateStore store, String uri) throws IOException {
    return BrightcoveJson.toJson(new QueryEngine(store).execute(ApiRequest.parse(uri, NOON)));
  }

  @Test
  public void everyKindOfRequestGetsTheSameAnswerFromBothStores() throws IOException {
    String range = "&from=" + t("2020-02-15T10:00") + "&to=" + t("2020-02-15T10:59");
    String qosMetrics = "metrics=concurrent_sessions,error_count,buffer_ratio,rebuffer_count,"
        + "startup_time_ms_mean,startup_time_ms_p50,startup_time_ms_p95,live_latency_ms_mean,"
        + "live_latency_ms_p50,live_latency_ms_p95,rendition_seconds_played,quality_changes_up,"
        + "quality_changes_down";
    List<String> uris = List.of(
        "/v1/timeseries/accounts/1234?" + qosMetrics + range,
        "/v1/timeseries/accounts/1234?" + qosMetrics + range + "&bucket_duration=2m",
        "/v1/timeseries/accounts/1234?dimensions=client_platform&" + qosMetrics + range,
        "/v1/events/accounts/1234?dimensions=client_platform&" + qosMetrics
            + "&where=client_platform==web,android" + range,
        "/v1/timeseries/accounts/1234?dimensions=video,client_platform&metrics=buffer_ratio,"
            + "live_latency_ms_p95&where=video==5555" + range,
        "/v1/events/accounts/1234?dimensions=video&metrics=concurrent_sessions,"
            + "live_latency_ms_p50" + range,
        "/v1/timeseries/accounts/*?metrics=channel_concurrency,starvation_count,"
            + "starvation_seconds" + range,
        "/v1/timeseries/accounts/*?dimensions=region&metrics=channel_concurrency" + range,
        "/v1/events/accounts/*?dimensions=region,channel&metrics=channel_concurrency,"
            + "starvation_seconds" + range,
        "/v1/streams/accounts/*?" + range.substring(1),
        "/v1/streams/accounts/*?where=region==eu-west-1" + range);
    for (String uri : uris) {
      String fromParquet = answer(parquet, uri);
      assertThat(uri, fromParquet.length() > 20);
      assertEquals(uri, fromParquet, answer(elasticsearch, uri));
    }
    // Not empty answers: the streams of the range are all four.
    assertThat(answer(elasticsearch, uris.get(9)), containsString("\"stream_id\":\"st-4\""));
  }

  @Test
  public void aTableTheClusterLacksIsNamed() {
    ElasticsearchAggregateStore elsewhere =
        new ElasticsearchAggregateStore(es, "t-nothing-here-aggregates", 2, 2);
    IOException e = assertThrows(IOException.class, () -> answer(elsewhere,
        "/v1/timeseries/accounts/1234?metrics=buffer_ratio&from=0&to=60000"));
    assertThat(e.getMessage(), containsString("no index or alias 't-nothing-here-qos'"));
    assertThat(e.getMessage(), containsString("no qos rows yet"));
  }
}
