package org.livemetrics.query;

import static org.livemetrics.schemas.family.ViewerQosFamily.BUFFERING_TIME_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYING_TIME_MS_FIELD;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.livemetrics.query.Rows.t;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.schemas.AggregateStoreLayout;
import org.livemetrics.schemas.BroadcastAvro;
import org.livemetrics.schemas.QosMinuteAvro;

/** {@code livemetrics query} answers QoS, broadcast and stream requests from a Parquet store. */
public class QosQueryCommandTest {
  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();

  private static final long M0 = t("2020-02-15T10:00");
  private static Path store;

  @BeforeClass
  public static void writeStore() throws IOException {
    store = tmp.newFolder("store").toPath();
    ParquetStoreWriter writer = new ParquetStoreWriter(store);
    writer.writeRecords(AggregateStoreLayout.QOS_DIR, "2020-02-15T10", "r", 0,
        QosMinuteAvro.SCHEMA, List.of(
            QosMinuteAvro.toRecord(QosRows.platform("web", M0).concurrentSessions(3)
                .count(PLAYING_TIME_MS_FIELD, 3000).count(BUFFERING_TIME_MS_FIELD, 1000).build()),
            QosMinuteAvro.toRecord(QosRows.platform("ios", M0).concurrentSessions(2)
                .count(PLAYING_TIME_MS_FIELD, 1000).build())));
    writer.writeRecords(AggregateStoreLayout.BROADCAST_DIR, "2020-02-15T10", "r", 0,
        BroadcastAvro.MINUTE_SCHEMA,
        List.of(BroadcastAvro.toRecord(QosRows.all(M0, 4, 2, 1250), 0)));
    writer.writeRecords(AggregateStoreLayout.STREAMS_DIR, "2020-02-15T10", "r", 0,
        BroadcastAvro.SESSION_SCHEMA, List.of(BroadcastAvro.toRecord(
            QosRows.failed("us-west-2", "a", "st-1", M0, M0 + 30_000))));
  }

  private static QueryCommandTest.Run query(String uri) {
    return QueryCommandTest.run("--store", store.toString(), "--now",
        Long.toString(t("2020-02-15T12:00")), uri);
  }

  @Test
  public void answersViewerQosBroadcastAndStreams() {
    // Both platforms: sessions 3 + 2 = 5; buffering 1000 / (3000 + 1000 + 1000) = 0.2.
    QueryCommandTest.Run qos = query("/v1/events/accounts/1234?metrics=concurrent_sessions,"
        + "buffer_ratio&from=" + M0);
    assertEquals(qos.err(), 0, qos.status());
    assertEquals("{\"data\":[{\"dimensions\":{\"account\":\"1234\"},\"totals\":{"
        + "\"concurrent_sessions\":5,\"buffer_ratio\":0.2}}]}\n", qos.out());

    QueryCommandTest.Run broadcast = query("/v1/events/accounts/*?metrics=channel_concurrency,"
        + "starvation_count,starvation_seconds&from=" + M0);
    assertEquals("{\"data\":[{\"dimensions\":{},\"totals\":{\"channel_concurrency\":4,"
        + "\"starvation_count\":2,\"starvation_seconds\":1.25}}]}\n", broadcast.out());

    QueryCommandTest.Run streams = query("/v1/streams/accounts/*?from=" + M0);
    assertEquals(streams.err(), 0, streams.status());
    assertThat(streams.out(), startsWith("{\"data\":[{\"account\":\"123456789012\","
        + "\"region\":\"us-west-2\",\"channel\":\"" + QosRows.arn("us-west-2", "a") + "\","
        + "\"channel_name\":\"a\",\"stream_id\":\"st-1\",\"start\":" + M0 + ",\"end\":"
        + (M0 + 30_000) + ",\"outcome\":\"failed\",\"duration_seconds\":30,"));
  }

  @Test
  public void badQosRequestsExitTwoNamingTheParameter() {
    QueryCommandTest.Run r = query("/v1/timeseries/accounts/1234?dimensions=device_type,video"
        + "&metrics=buffer_ratio");
    assertEquals(QueryCommand.BAD_REQUEST, r.status());
    assertThat(r.err(), startsWith("error: dimensions: 'device_type,video' is not a dimension"
        + " combination of viewer QoS metrics; use (none) | client_platform | video |"
        + " video,client_platform | country | device_type"));
  }

  @Test
  public void channelOwnersFileGivesAnAccountItsStreams() throws IOException {
    Path owners = tmp.newFile("owners").toPath();
    java.nio.file.Files.writeString(owners, QosRows.AWS + " 1234\n");
    long now = t("2020-02-15T12:00");
    for (String option : List.of("--channel-owners", "--channelOwners")) {
      QueryCommandTest.Run mine = QueryCommandTest.run("--store", store.toString(), "--now",
          Long.toString(now), option + "=" + owners, "/v1/streams/accounts/1234?from=" + M0);
      assertEquals(mine.err(), 0, mine.status());
      assertThat(mine.out(), org.hamcrest.Matchers.containsString("\"stream_id\":\"st-1\""));
      QueryCommandTest.Run theirs = QueryCommandTest.run("--store", store.toString(), "--now",
          Long.toString(now), option, owners.toString(), "/v1/streams/accounts/5678?from=" + M0);
      assertEquals("{\"data\":[]}\n", theirs.out());
    }
    // Without the file, no account owns a channel.
    assertEquals("{\"data\":[]}\n", query("/v1/streams/accounts/1234?from=" + M0).out());
    QueryCommandTest.Run bad = QueryCommandTest.run("--store", store.toString(),
        "--channel-owners", tmp.getRoot() + "/missing", "/v1/streams/accounts/1234");
    assertEquals(QueryCommand.BAD_REQUEST, bad.status());
    assertThat(bad.err(), startsWith("error: channel-owners: cannot read"));
  }
}
