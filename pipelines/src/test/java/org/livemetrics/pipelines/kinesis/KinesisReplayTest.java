package org.livemetrics.pipelines.kinesis;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.testdata.ArchiveGenerator;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/** {@link KinesisReplay} putting archives and generated events into a real kinesalite. */
public class KinesisReplayTest {
  @ClassRule public static final LocalStreams KINESIS = new LocalStreams();
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final Pattern EVENT_TIME = Pattern.compile("\"event_time\":\"?(\\d+)");
  private static final long T = 1_795_323_600_000L; // 2026-11-22T05:00:00Z

  private static String event(String type, long time, String session) {
    return "{\"metric_type\":\"" + type + "\",\"event_time\":" + time
        + ",\"channel_watched\":\"v1\",\"session_id\":\"" + session + "\",\"playing_time_ms\":4.20}";
  }

  /** The records of the fixture archive, in arrival order. */
  private static final List<String> RECORDS = List.of(
      event("IMPRESSION", T, "s1"),
      event("PLAY", T + 1_500, "s1"),
      // A player sending numbers as strings.
      event("IMPRESSION", T + 2_000, "s2").replace("\"event_time\":" + (T + 2_000),
          "\"event_time\":\"" + (T + 2_000) + "\""),
      "[" + event("AD_START", T + 61_000, "s2") + "," + event("STOP", T + 62_000, "s2") + "]",
      "this is not json",
      event("STOP", T + 3_600_000, "s1"));

  /** An archive with those records: gzip NDJSON, plain concatenated, a later hour. */
  private Path archive() throws IOException {
    Path root = tmp.newFolder("archive").toPath();
    Path h5 = Files.createDirectories(root.resolve("2026/11/22/05"));
    Files.write(h5.resolve("livemetrics-player-events-1-2026-11-22-05-00-00-a.gz"),
        gzip(String.join("\n", RECORDS.subList(0, 3)) + "\n"));
    Files.writeString(h5.resolve("livemetrics-player-events-1-2026-11-22-05-05-00-b"),
        RECORDS.get(3) + RECORDS.get(4) + "\n");
    Path h6 = Files.createDirectories(root.resolve("2026/11/22/06"));
    Files.writeString(h6.resolve("livemetrics-player-events-1-2026-11-22-06-00-00-c"), RECORDS.get(5));
    Files.writeString(root.resolve("README.md"), "not part of the archive");
    return root;
  }

  private static byte[] gzip(String s) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
      gz.write(s.getBytes(StandardCharsets.UTF_8));
    }
    return b.toByteArray();
  }

  @Test
  public void replaysEachArchiveRecordAsOneKinesisRecordPartitionedBySession() throws Exception {
    String stream = KINESIS.newStream(2);
    KinesisReplay.Summary summary =
        new KinesisReplay(KINESIS.client(), stream, KinesisReplay.Settings.atRate(0), null).replayArchive(archive());

    assertEquals(6, summary.records());
    assertEquals(6, summary.events()); // 5 objects with an event_time, 2 of them in an array; garbage none
    assertEquals(0, summary.retriedEntries());
    List<StreamContents.Stored> stored = StreamContents.read(KINESIS.client(), stream);
    assertThat(stored.stream().map(StreamContents.Stored::data).toList(),
        containsInAnyOrder(RECORDS.toArray()));
    for (StreamContents.Stored s : stored) {
      String key = s.record().partitionKey();
      if (s.data().startsWith("this")) {
        assertThat(key, startsWith("record-"));
      } else {
        assertThat(s.data(), containsString("\"session_id\":\"" + key + "\""));
      }
    }
    assertEquals(summary.recordsByShard(), countByShard(stored));
  }

  private static Map<String, Long> countByShard(List<StreamContents.Stored> stored) {
    Map<String, Long> counts = new TreeMap<>();
    stored.forEach(s -> counts.merge(s.shardId(), 1L, Long::sum));
    return counts;
  }

  @Test
  public void restampingShiftsEveryEventTimeByOneAmountAndChangesNothingElse() throws Exception {
    String stream = KINESIS.newStream(2);
    long before = System.currentTimeMillis();
    KinesisReplay.Summary summary = new KinesisReplay(KINESIS.client(), stream,
        KinesisReplay.Settings.atRate(0).withRestamp(true), null).replayArchive(archive());
    long after = System.currentTimeMillis();

    long shift = summary.shiftMillis();
    assertThat(shift, allOf(greaterThanOrEqualTo(before - T), lessThanOrEqualTo(after - T)));
    // Expected: the archive's records with each event_time moved by the shift, by hand.
    List<String> expected = new ArrayList<>();
    for (String r : RECORDS) {
      expected.add(shifted(r, shift));
    }
    List<StreamContents.Stored> stored = StreamContents.read(KINESIS.client(), stream);
    assertThat(stored.stream().map(StreamContents.Stored::data).toList(),
        containsInAnyOrder(expected.toArray()));
    // Each session's records in their shard, in archive order: spacing and order kept.
    for (String session : List.of("s1", "s2")) {
      List<Long> times = stored.stream()
          .filter(s -> s.record().partitionKey().equals(session))
          .flatMap(s -> eventTimes(s.data()).stream()).toList();
      List<Long> original = RECORDS.stream()
          .filter(r -> r.contains("\"session_id\":\"" + session + "\""))
          .flatMap(r -> eventTimes(r).stream()).map(t -> t + shift).toList();
      assertEquals(original, times);
    }
  }

  private static String shifted(String record, long shift) {
    Matcher m = EVENT_TIME.matcher(record);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String whole = m.group();
      m.appendReplacement(out, whole.replace(m.group(1), Long.toString(Long.parseLong(m.group(1)) + shift)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static List<Long> eventTimes(String record) {
    List<Long> times = new ArrayList<>();
    Matcher m = EVENT_TIME.matcher(record);
    while (m.find()) {
      times.add(Long.parseLong(m.group(1)));
    }
    return times;
  }

  @Test
  public void theRateIsHonoured() throws Exception {
    String stream = KINESIS.newStream(1);
    int n = 200;
    double rate = 200;
    KinesisReplay.Summary summary = new KinesisReplay(KINESIS.client(), stream,
        KinesisReplay.Settings.atRate(rate), null).replay(sink -> {
          for (int i = 0; i < n; i++) {
            sink.accept(event("PLAY", T + i, "s" + i).getBytes(StandardCharsets.UTF_8));
          }
        });
    assertEquals(n, summary.records());
    assertEquals(n, StreamContents.read(KINESIS.client(), stream).size());
    // Record i may leave at i / rate at the earliest: a lower bound, whatever the machine's speed.
    assertThat(summary.elapsedMillis(), greaterThanOrEqualTo((long) ((n - 1) / rate * 1000) - 10));
    // Steady, not one burst: batches of about a tenth of a second's records.
    assertThat(summary.putCalls(), greaterThanOrEqualTo(8L));
  }

  @Test
  public void generatedEventsForATimeRange() throws Exception {
    String stream = KINESIS.newStream(2);
    ArchiveGenerator.Config config = ArchiveGenerator.Config.builder()
        .start(Instant.parse("2026-11-22T05:00:00Z")).duration(Duration.ofMinutes(10))
        .viewers(5).shards(1).arrayBatchRate(0).brokenRecordRate(0).build();
    ArchiveGenerator.Summary generated =
        new ArchiveGenerator(config).generate(tmp.newFolder("generated").toPath());

    KinesisReplay.Summary summary = new KinesisReplay(KINESIS.client(), stream,
        KinesisReplay.Settings.atRate(0), null).replayGenerated(config);
    assertEquals(generated.records(), summary.records());
    assertEquals(generated.records(), summary.events());
    assertEquals(generated.records(), StreamContents.read(KINESIS.client(), stream).size());
  }

  @Test
  public void stopsAfterTheLimit() throws Exception {
    String stream = KINESIS.newStream(1);
    KinesisReplay.Summary summary = new KinesisReplay(KINESIS.client(), stream,
        KinesisReplay.Settings.atRate(0).withLimit(4), null).replayArchive(archive());
    assertEquals(4, summary.records());
    assertEquals(RECORDS.subList(0, 4),
        StreamContents.read(KINESIS.client(), stream).stream().map(StreamContents.Stored::data).toList());
  }

  @Test
  public void onlyTheEntriesPutRecordsReportsAsFailedAreSentAgain() {
    List<PutRecordsRequestEntry> sent = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      sent.add(PutRecordsRequestEntry.builder().data(SdkBytes.fromUtf8String("r" + i))
          .partitionKey("k" + i).build());
    }
    PutRecordsResponse response = PutRecordsResponse.builder().failedRecordCount(2).records(
        PutRecordsResultEntry.builder().shardId("shardId-0").sequenceNumber("1").build(),
        PutRecordsResultEntry.builder().errorCode("ProvisionedThroughputExceededException")
            .errorMessage("Rate exceeded for shard shardId-1").build(),
        PutRecordsResultEntry.builder().shardId("shardId-1").sequenceNumber("2").build(),
        PutRecordsResultEntry.builder().errorCode("InternalFailure").build()).build();
    TreeMap<String, Long> byShard = new TreeMap<>();
    List<PutRecordsRequestEntry> failed = KinesisReplay.failedEntries(sent, response, byShard);
    assertEquals(List.of(sent.get(1), sent.get(3)), failed);
    assertEquals(Map.of("shardId-0", 1L, "shardId-1", 1L), byShard);
  }

  @Test
  public void commandLine() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(0, KinesisReplay.run(new String[] {"--help"}, new PrintStream(out), new PrintStream(err)));
    assertThat(out.toString(), containsString("usage: livemetrics replay"));
    assertThat(out.toString(), containsString("--restamp"));

    List<String> args = new ArrayList<>(KINESIS.server().kinesisArgs("cli-stream"));
    args.add("--archive=" + archive());
    args.add("--rate=0");
    assertEquals(1, run(args, out, err));
    assertThat(err.toString(), containsString("Kinesis stream 'cli-stream' does not exist"));

    args.add("--createShards=2");
    assertEquals(0, run(args, out, err));
    assertThat(out.toString(), containsString("replayed 6 records (6 events"));
    assertThat(err.toString(), containsString("stream 'cli-stream' created with 2 shards"));
    assertEquals(6, StreamContents.read(KINESIS.client(), "cli-stream").size());

    assertEquals(2, run(List.of("--kinesisStream=x", "--from=2026-11-22"), out, err));
    assertThat(err.toString(), containsString("--to is required"));
    assertEquals(2, run(List.of("--kinesisStream=x"), out, err));
    assertThat(err.toString(), containsString("either --archive=DIR or --from=TIME --to=TIME"));
  }

  private static int run(List<String> args, ByteArrayOutputStream out, ByteArrayOutputStream err) {
    return KinesisReplay.run(args.toArray(String[]::new), new PrintStream(out, true),
        new PrintStream(err, true));
  }

  @Test
  public void restampRewritesOnlyTheDigits() {
    String record = "{\"event_time\":1795323600000,\"x\":{\"event_time\":1},\"y\":\"4.20\"}\n";
    byte[] b = record.getBytes(StandardCharsets.UTF_8);
    List<int[]> at = new ArrayList<>();
    PlayerRecordScanner.scan(b, 0, b.length, new PlayerRecordScanner.Visitor() {
      @Override
      public void eventTime(long ms, int start, int end, boolean quoted) {
        at.add(new int[] {start, end, quoted ? 1 : 0});
      }
    });
    assertEquals(1, at.size());
    assertEquals("{\"event_time\":1795323601000,\"x\":{\"event_time\":1},\"y\":\"4.20\"}\n",
        new String(KinesisReplay.restamp(b, at, 1_000), StandardCharsets.UTF_8));
    assertEquals("s1", KinesisReplay.partitionKey("s1", b));
    assertTrue(KinesisReplay.partitionKey(null, b).startsWith("record-"));
    assertTrue(KinesisReplay.partitionKey("x".repeat(257), b).startsWith("record-"));
  }
}
