package org.livemetrics.query;

import static org.livemetrics.query.Rows.t;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.livemetrics.schemas.AggregateStoreLayout;
import org.livemetrics.schemas.BroadcastAvro;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.schemas.QosMinuteAvro;
import org.livemetrics.schemas.StreamSession;
import org.livemetrics.schemas.elasticsearch.BroadcastDocuments;
import org.livemetrics.schemas.elasticsearch.DocumentFormat;
import org.livemetrics.schemas.elasticsearch.ElasticsearchConnection;
import org.livemetrics.schemas.elasticsearch.QosDocuments;
import org.livemetrics.schemas.elasticsearch.StreamDocuments;

/**
 * The rows of the tenant-isolation tests (issue 16), for the query layer's and the API's: two
 * accounts with their own channels ({@code alpha}: an AWS account, {@code beta}: an ARN prefix),
 * {@code gamma} sharing alpha's channel a1, and two unmapped channels; audience and QoS rows of
 * the same video in alpha and beta. All in 2020-02-15 10:00-10:01 UTC.
 */
public final class TwoTenants {
  public static final long M0 = t("2020-02-15T10:00");
  public static final long M1 = t("2020-02-15T10:01");
  public static final String RANGE = "from=" + M0 + "&to=" + (M1 + 59_999);

  /** alpha: all of AWS account 1111…; beta: 2222…'s us-west-2 channels named b*. */
  public static final String A1 = "arn:aws:ivs:us-west-2:111111111111:channel/a1";
  public static final String A2 = "arn:aws:ivs:eu-west-1:111111111111:channel/a2";
  public static final String B1 = "arn:aws:ivs:us-west-2:222222222222:channel/b1";
  /** Unmapped: beta's AWS account but not its prefix, and an AWS account nobody owns. */
  public static final String X9 = "arn:aws:ivs:us-west-2:222222222222:channel/x9";
  public static final String U1 = "arn:aws:ivs:us-west-2:333333333333:channel/u1";

  public static final List<String> OWNERS_FILE = List.of(
      "# AWS account or channel ARN prefix -> livemetrics accounts",
      "111111111111 alpha",
      "arn:aws:ivs:us-west-2:222222222222:channel/b   beta   # only the b channels",
      "arn:aws:ivs:us-west-2:111111111111:channel/a1 gamma");

  private TwoTenants() {}

  static BroadcastMinute channel(String arn, long minute, long live, long starvations, long ms) {
    String region = arn.split(":")[3];
    return new BroadcastMinute(BroadcastMinute.Scope.CHANNEL, region, arn,
        arn.substring(arn.lastIndexOf('/') + 1), minute, live, starvations, ms);
  }

  /** The channel rows, and the region and overall rows the pipeline sums from them. */
  public static List<BroadcastMinute> broadcastRows() {
    return List.of(
        channel(A1, M0, 1, 1, 500), channel(A2, M0, 1, 0, 0), channel(B1, M0, 1, 2, 2_000),
        channel(X9, M0, 1, 0, 0), channel(U1, M0, 1, 1, 7_000),
        channel(A1, M1, 1, 0, 0), channel(B1, M1, 1, 0, 0), channel(U1, M1, 1, 0, 0),
        new BroadcastMinute(BroadcastMinute.Scope.REGION, "us-west-2", null, null, M0, 4, 4, 9_500),
        new BroadcastMinute(BroadcastMinute.Scope.REGION, "eu-west-1", null, null, M0, 1, 0, 0),
        new BroadcastMinute(BroadcastMinute.Scope.REGION, "us-west-2", null, null, M1, 3, 0, 0),
        new BroadcastMinute(BroadcastMinute.Scope.ALL, null, null, null, M0, 5, 4, 9_500),
        new BroadcastMinute(BroadcastMinute.Scope.ALL, null, null, null, M1, 3, 0, 0));
  }

  public static StreamSession stream(String arn, String id, long start, StreamSession.Outcome outcome) {
    String[] parts = arn.split(":");
    Long end = outcome == StreamSession.Outcome.OPEN ? null : M1;
    return new StreamSession(parts[4], parts[3], arn, arn.substring(arn.lastIndexOf('/') + 1), id,
        start, end, outcome, (end == null ? M1 : end) - start, M1, 0, null, null, 0, 0);
  }

  public static List<StreamSession> streamRows() {
    return List.of(stream(A1, "st-a1", M0, StreamSession.Outcome.ENDED),
        stream(B1, "st-b1", M0 + 10_000, StreamSession.Outcome.OPEN),
        stream(X9, "st-x9", M0 + 20_000, StreamSession.Outcome.ENDED),
        stream(U1, "st-u1", M0 + 30_000, StreamSession.Outcome.FAILED));
  }

  /** The same video id in alpha and beta, with different counts. */
  public static List<MinuteAggregate> audienceRows() {
    return List.of(Rows.video("5555", M0).account("alpha").views(3).sessions(1, 4).build(),
        Rows.video("5555", M0).account("beta").views(7).sessions(1, 9).build());
  }

  public static List<QosMinute> qosRows() {
    List<QosMinute> rows = new ArrayList<>();
    for (Map.Entry<String, Long> e : Map.of("alpha", 4L, "beta", 9L).entrySet()) {
      rows.add(QosMinute.builder().account(e.getKey()).dimensionSet(QosDimensionSet.CLIENT_PLATFORM)
          .clientPlatform("web").minute(M0).concurrentSessions(e.getValue()).build());
    }
    return rows;
  }

  /** Writes every table's rows under {@code root}; returns it. */
  public static Path writeParquet(Path root) throws IOException {
    ParquetStoreWriter writer = new ParquetStoreWriter(root);
    writer.writeAll("r", audienceRows());
    List<GenericRecord> qos = new ArrayList<>();
    qosRows().forEach(r -> qos.add(QosMinuteAvro.toRecord(r)));
    writer.writeRecords(AggregateStoreLayout.QOS_DIR, "2020-02-15T10", "r", 0,
        QosMinuteAvro.SCHEMA, qos);
    List<GenericRecord> broadcast = new ArrayList<>();
    broadcastRows().forEach(r -> broadcast.add(BroadcastAvro.toRecord(r, 0)));
    writer.writeRecords(AggregateStoreLayout.BROADCAST_DIR, "2020-02-15T10", "r", 0,
        BroadcastAvro.MINUTE_SCHEMA, broadcast);
    List<GenericRecord> streams = new ArrayList<>();
    streamRows().forEach(r -> streams.add(BroadcastAvro.toRecord(r)));
    writer.writeRecords(AggregateStoreLayout.STREAMS_DIR, "2020-02-15T10", "r", 0,
        BroadcastAvro.SESSION_SCHEMA, streams);
    return root;
  }

  /** Stores every table's rows under {@code alias} (the aggregates) and the aliases next to it. */
  public static void storeInElasticsearch(ElasticsearchConnection es, String alias)
      throws IOException {
    ElasticsearchRows.store(es, alias, audienceRows());
    ElasticsearchRows.store(es, QosDocuments.FORMAT, DocumentFormat.prefixFor(alias,
        QosDocuments.TABLE), qosRows());
    ElasticsearchRows.store(es, BroadcastDocuments.FORMAT, DocumentFormat.prefixFor(alias,
        BroadcastDocuments.TABLE), broadcastRows());
    ElasticsearchRows.store(es, StreamDocuments.FORMAT, DocumentFormat.prefixFor(alias,
        StreamDocuments.TABLE), streamRows());
  }

  public static void drop(ElasticsearchConnection es, String alias) throws IOException {
    ElasticsearchRows.drop(es, alias);
    for (String table : List.of(QosDocuments.TABLE, BroadcastDocuments.TABLE,
        StreamDocuments.TABLE)) {
      ElasticsearchRows.drop(es, DocumentFormat.prefixFor(alias, table));
    }
  }
}
