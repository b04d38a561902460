package org.livemetrics.query;

import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_SKETCH_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.ERROR_COUNT_FIELD;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.livemetrics.query.Rows.t;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.schemas.AggregateStoreLayout;
import org.livemetrics.schemas.BroadcastAvro;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.schemas.QosMinuteAvro;
import org.livemetrics.schemas.StreamSession;

/**
 * The Parquet store's QoS, broadcast and stream tables: a committed hour is its run's files only,
 * an unmarked (streamed) hour is merged on read with the highest version of each row winning, and
 * a stream's rows are merged across every partition read.
 */
public class ParquetQosStoreTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private ParquetStoreWriter writer;
  private ParquetAggregateStore store;

  @Before
  public void setUp() throws IOException {
    Path root = tmp.newFolder("store").toPath();
    writer = new ParquetStoreWriter(root);
    store = new ParquetAggregateStore(root.toString(), PipelineOptionsFactory.create());
  }

  @After
  public void tearDown() {
    store.close();
  }

  private void writeQos(String hour, String run, int shard, long version, QosMinute... rows)
      throws IOException {
    List<GenericRecord> records = new ArrayList<>();
    for (QosMinute r : rows) {
      records.add(QosMinuteAvro.toRecord(r, version));
    }
    writer.writeRecords(AggregateStoreLayout.QOS_DIR, hour, run, shard, QosMinuteAvro.SCHEMA,
        records);
  }

  private List<QosMinute> readQos(String from, String to, boolean sketches) throws IOException {
    List<QosMinute> rows = new ArrayList<>();
    QosSelection s = new QosSelection(QosRows.ACCOUNT, QosDimensionSet.CLIENT_PLATFORM, Set.of(),
        Set.of(), t(from), t(to), sketches);
    store.readQos(s, rows::add);
    rows.sort(Comparator.comparingLong((QosMinute r) -> r.minute)
        .thenComparing(r -> r.clientPlatform));
    return rows;
  }

  private static List<Long> sessions(List<QosMinute> rows) {
    return rows.stream().map(r -> r.concurrentSessions).toList();
  }

  @Test
  public void qosCommittedHoursReadTheirRunAndStreamedHoursTheHighestVersion() throws Exception {
    long m10 = t("2020-02-15T10:00");
    long m11 = t("2020-02-15T11:00");
    // 10: recomputed by run "new"; run "old" is superseded.
    writeQos("2020-02-15T10", "old", 0, 0, QosRows.platform("web", m10).concurrentSessions(99)
        .build());
    writeQos("2020-02-15T10", "new", 0, 0, QosRows.platform("web", m10).concurrentSessions(5)
        .build());
    writer.commit(AggregateStoreLayout.QOS_DIR, "2020-02-15T10", "new");
    // 11: streamed, each pane's value of a row in its own file, out of order.
    writeQos("2020-02-15T11", "s1", 2, 2, QosRows.platform("web", m11).concurrentSessions(4)
        .build());
    writeQos("2020-02-15T11", "s1", 1, 1, QosRows.platform("web", m11).concurrentSessions(3)
        .build(), QosRows.platform("ios", m11).concurrentSessions(7).build());
    writeQos("2020-02-15T11", "s1", 0, 0, QosRows.platform("web", m11).concurrentSessions(1)
        .build());

    // 10:00 web 5 (run new); 11:00 ios 7 (its only value), web 4 (version 2).
    assertEquals(List.of(5L, 7L, 4L),
        sessions(readQos("2020-02-15T10:00", "2020-02-15T11:59", false)));
  }

  /**
   * The schema the QoS files had before the country and device_type sets: no country or
   * device_type column, and client_platform required.
   */
  private static org.apache.avro.Schema schemaBeforeCountryAndDeviceType() throws IOException {
    com.fasterxml.jackson.databind.ObjectMapper mapper =
        new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode schema =
        (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(
            QosMinuteAvro.SCHEMA.toString());
    com.fasterxml.jackson.databind.node.ArrayNode fields =
        (com.fasterxml.jackson.databind.node.ArrayNode) schema.get("fields");
    for (int i = fields.size() - 1; i >= 0; i--) {
      String name = fields.get(i).get("name").asText();
      if (name.equals("country") || name.equals("device_type")) {
        fields.remove(i);
      } else if (name.equals("client_platform")) {
        com.fasterxml.jackson.databind.node.ObjectNode f =
            (com.fasterxml.jackson.databind.node.ObjectNode) fields.get(i);
        f.put("type", "string");
        f.remove("default");
      }
    }
    return new org.apache.avro.Schema.Parser().parse(schema.toString());
  }

  @Test
  public void filesWrittenBeforeTheCountryAndDeviceTypeSetsStillRead() throws Exception {
    long m = t("2020-02-15T10:00");
    org.apache.avro.Schema old = schemaBeforeCountryAndDeviceType();
    org.apache.avro.generic.GenericData.Record web =
        new org.apache.avro.generic.GenericData.Record(old);
    GenericRecord current = QosMinuteAvro.toRecord(QosRows.platform("web", m)
        .concurrentSessions(6).count(ERROR_COUNT_FIELD, 2).build(), 0);
    for (org.apache.avro.Schema.Field f : old.getFields()) {
      web.put(f.name(), current.get(f.name()));
    }
    writer.writeRecords(AggregateStoreLayout.QOS_DIR, "2020-02-15T10", "r", 0, old,
        List.of(web));
    // The same hour's next file, written with the country and device type sets.
    writeQos("2020-02-15T10", "r", 1, 0,
        QosMinute.builder().account(QosRows.ACCOUNT).dimensionSet(QosDimensionSet.COUNTRY)
            .country("BR").minute(m).concurrentSessions(4).build(),
        QosMinute.builder().account(QosRows.ACCOUNT).dimensionSet(QosDimensionSet.COUNTRY)
            .country("US").minute(m).concurrentSessions(2).build());
    writer.commit(AggregateStoreLayout.QOS_DIR, "2020-02-15T10", "r");

    // The old row, with no country or device type, and filtered by platform.
    List<QosMinute> rows = new ArrayList<>();
    store.readQos(new QosSelection(QosRows.ACCOUNT, QosDimensionSet.CLIENT_PLATFORM, Set.of(),
        Set.of("web"), m, m, false), rows::add);
    assertEquals(List.of("client_platform[1234/web @" + m + "] sessions=6 errors=2 playing_ms=0"
        + " buffering_ms=0 rebuffers=0 startup=0/0 live_latency=0/0 renditions={} up=0 down=0"),
        rows.stream().map(QosMinute::toString).toList());
    // The same with the sketches read (a percentile asked for): every column of the old file.
    rows.clear();
    store.readQos(new QosSelection(QosRows.ACCOUNT, QosDimensionSet.CLIENT_PLATFORM, Set.of(),
        Set.of("web"), m, m, true), rows::add);
    assertEquals(List.of("client_platform[1234/web @" + m + "] sessions=6 errors=2 playing_ms=0"
        + " buffering_ms=0 rebuffers=0 startup=0/0 live_latency=0/0 renditions={} up=0 down=0"),
        rows.stream().map(QosMinute::toString).toList());
    // A country filter reads the new file's BR row and skips the old file (no country column).
    rows.clear();
    store.readQos(new QosSelection(QosRows.ACCOUNT, QosDimensionSet.COUNTRY,
        java.util.Map.of(org.livemetrics.schemas.Dimension.COUNTRY, Set.of("BR")), m, m, false),
        rows::add);
    assertEquals(1, rows.size());
    assertEquals("BR", rows.get(0).country);
    assertEquals(null, rows.get(0).clientPlatform);
    assertEquals(4, rows.get(0).concurrentSessions);
  }

  @Test
  public void qosSketchesAreReadOnlyWhenAsked() throws Exception {
    long m = t("2020-02-15T10:00");
    QosMinute row = QosRows.liveLatencies(QosRows.platform("web", m).concurrentSessions(1),
        1200, 3400).build();
    writeQos("2020-02-15T10", "r", 0, 0, row);
    writer.commit(AggregateStoreLayout.QOS_DIR, "2020-02-15T10", "r");

    assertEquals(List.of(row), readQos("2020-02-15T10:00", "2020-02-15T10:00", true));
    QosMinute light = readQos("2020-02-15T10:00", "2020-02-15T10:00", false).get(0);
    assertArrayEquals(new byte[0], light.sketch(LIVE_LATENCY_SKETCH_FIELD));
    assertEquals(row.toString(), light.toString()); // every other field
  }

  @Test
  public void broadcastStreamedHoursKeepTheHighestVersionPerRow() throws Exception {
    long m = t("2020-02-15T10:00");
    writer.writeRecords(AggregateStoreLayout.BROADCAST_DIR, "2020-02-15T10", "s", 0,
        BroadcastAvro.MINUTE_SCHEMA, List.of(
            BroadcastAvro.toRecord(QosRows.region("us-west-2", m, 1, 0, 0), 0),
            BroadcastAvro.toRecord(QosRows.region("eu-west-1", m, 1, 0, 0), 0)));
    writer.writeRecords(AggregateStoreLayout.BROADCAST_DIR, "2020-02-15T10", "s", 1,
        BroadcastAvro.MINUTE_SCHEMA, List.of(
            BroadcastAvro.toRecord(QosRows.region("us-west-2", m, 2, 1, 800), 1),
            // Another scope, same region and minute: another row.
            BroadcastAvro.toRecord(QosRows.channel("us-west-2", "a", m, 1, 1, 800), 1)));

    List<BroadcastMinute> rows = new ArrayList<>();
    store.readBroadcast(new BroadcastSelection(BroadcastMinute.Scope.REGION, Set.of(), Set.of(),
        m, m), rows::add);
    rows.sort(Comparator.comparing(BroadcastMinute::region));
    assertEquals(List.of(QosRows.region("eu-west-1", m, 1, 0, 0),
        QosRows.region("us-west-2", m, 2, 1, 800)), rows);
  }

  @Test
  public void aStreamsLatestRowWinsWhicheverPartitionItMovedTo() throws Exception {
    long start = t("2020-02-15T09:50");
    long end = t("2020-02-15T11:20");
    // Streaming first saw only the End: the row went to the hour of its end, version 0. The Start
    // arrived late: the row, now with its start, went to 09:00 as version 1.
    StreamSession endOnly = new StreamSession(QosRows.AWS, "us-west-2",
        QosRows.arn("us-west-2", "a"), "a", "st-1", null, end, StreamSession.Outcome.ENDED, null,
        end, 0, null, null, 0, 0);
    StreamSession whole = QosRows.ended("us-west-2", "a", "st-1", start, end, 1);
    writer.writeRecords(AggregateStoreLayout.STREAMS_DIR, "2020-02-15T11", "s", 0,
        BroadcastAvro.SESSION_SCHEMA, List.of(BroadcastAvro.toRecord(endOnly)));
    writer.writeRecords(AggregateStoreLayout.STREAMS_DIR, "2020-02-15T09", "s", 0,
        BroadcastAvro.SESSION_SCHEMA, List.of(BroadcastAvro.toRecord(whole)));
    // A backfill's stream in a committed hour, and a stream two days before: beyond any stream's
    // length, so its partition is not read.
    StreamSession backfilled = QosRows.ended("eu-west-1", "b", "st-2", t("2020-02-15T10:05"),
        t("2020-02-15T10:35"), 0);
    writer.writeRecords(AggregateStoreLayout.STREAMS_DIR, "2020-02-15T10", "run", 0,
        BroadcastAvro.SESSION_SCHEMA, List.of(BroadcastAvro.toRecord(backfilled)));
    writer.commit(AggregateStoreLayout.STREAMS_DIR, "2020-02-15T10", "run");
    writer.writeRecords(AggregateStoreLayout.STREAMS_DIR, "2020-02-13T09", "s", 0,
        BroadcastAvro.SESSION_SCHEMA, List.of(BroadcastAvro.toRecord(QosRows.ended("us-west-2",
            "a", "st-0", t("2020-02-13T09:00"), t("2020-02-13T09:10"), 0))));

    StreamsResult listed = (StreamsResult) new QueryEngine(store).execute(ApiRequest.parse(
        "/v1/streams/accounts/*?from=" + t("2020-02-15T10:00") + "&to="
            + t("2020-02-15T12:00"), java.time.Clock.systemUTC()));
    assertEquals(List.of(whole, backfilled), listed.streams());
  }
}
