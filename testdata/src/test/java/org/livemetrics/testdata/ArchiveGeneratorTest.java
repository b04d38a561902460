package org.livemetrics.testdata;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.testdata.ArchiveGenerator.Config;
import org.livemetrics.testdata.ArchiveGenerator.Summary;

public class ArchiveGeneratorTest {

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final Pattern OBJECT_NAME =
      Pattern.compile(
          "livemetrics-player-events-1-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-"
              + "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}(\\.gz)?");

  /** An hour of 150 viewers with every variation at 5 % and 2 % broken records: ~11k records. */
  private static final Config VARIED =
      Config.builder()
          .seed(7)
          .start(Instant.parse("2026-11-22T05:00:00Z"))
          .duration(Duration.ofHours(1))
          .videos(3)
          .viewers(150)
          .shards(2)
          .stringValueRate(0.05)
          .liveLatencySecRate(0.05)
          .countryNameOnlyRate(0.05)
          .missingDeviceFlagsRate(0.05)
          .missingAccountRate(0.05)
          .extraFieldsRate(0.05)
          .unknownMetricTypeRate(0.05)
          .arrayBatchRate(0.01)
          .brokenRecordRate(0.02)
          .lateEventRate(0.05)
          .objectInterval(Duration.ofMinutes(2))
          .build();

  private static Path variedRoot;
  private static Summary varied;
  private static List<ArchiveRecord> records;

  /** One record as found in the archive, read independently of ReferenceMetrics. */
  record ArchiveRecord(String hourPartition, String object, JsonNode json) {}

  @BeforeClass
  public static void generateVaried() throws IOException {
    variedRoot = TMP.newFolder("varied").toPath();
    varied = new ArchiveGenerator(VARIED).generate(variedRoot);
    records = readValidJsonObjects(variedRoot);
  }

  /** Every record that is a JSON object; dead letters that are not are checked elsewhere. */
  private static List<ArchiveRecord> readValidJsonObjects(Path root) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    List<ArchiveRecord> out = new ArrayList<>();
    for (Path file : files(root)) {
      String hour = root.relativize(file.getParent()).toString();
      for (String line : text(file).split("\n")) {
        try (JsonParser p = mapper.getFactory().createParser(line)) {
          while (p.nextToken() != null) {
            JsonNode n = mapper.readTree(p);
            for (JsonNode e : n.isArray() ? n : List.of(n)) {
              if (e.isObject()) {
                out.add(new ArchiveRecord(hour, file.getFileName().toString(), e));
              }
            }
          }
        } catch (IOException brokenLine) {
          // Broken records are checked through ReferenceMetrics.
        }
      }
    }
    return out;
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static boolean isGzip(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    }
  }

  private static String text(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (isGzip(file)) {
      try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
        bytes = in.readAllBytes();
      }
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static Config small(long seed) {
    return Config.builder()
        .seed(seed)
        .duration(Duration.ofMinutes(30))
        .viewers(20)
        .brokenRecordRate(0.02)
        .objectInterval(Duration.ofMinutes(1))
        .build();
  }

  private static Map<String, byte[]> contents(Path root) throws IOException {
    Map<String, byte[]> m = new TreeMap<>();
    for (Path f : files(root)) {
      m.put(root.relativize(f).toString(), Files.readAllBytes(f));
    }
    return m;
  }

  private static void assertRate(String what, long count, long total, double rate) {
    double expected = rate * total;
    // Generous: four standard deviations of a binomial, plus a little.
    double slack = 4 * Math.sqrt(expected) + 0.1 * expected + 2;
    assertThat(what + " " + count + " of " + total + ", expected about " + expected,
        (double) count,
        allOf(greaterThanOrEqualTo(expected - slack), lessThanOrEqualTo(expected + slack)));
  }

  private static long count(java.util.function.Predicate<JsonNode> p) {
    return records.stream().map(ArchiveRecord::json).filter(p).count();
  }

  /** Not one of the damaged copies the generator adds. */
  private static boolean isIntact(JsonNode n) {
    return !n.path("metric_type").asText("").isEmpty()
        && !n.path("session_id").asText("").isEmpty()
        && n.has("channel_watched")
        && n.path("event_time").asText().matches("\\d{13}")
        && !n.path("playing_time_ms").asText().equals("abc");
  }

  private static boolean isSummary(JsonNode n) {
    return n.path("metric_type").asText().equals("PLAYBACK_SUMMARY");
  }

  // -------------------------------------------------------------------------------------------

  @Test
  public void sameSeedWritesTheSameBytes() throws IOException {
    Path a = TMP.newFolder().toPath();
    Path b = TMP.newFolder().toPath();
    Summary sa = new ArchiveGenerator(small(11)).generate(a);
    Summary sb = new ArchiveGenerator(small(11)).generate(b);
    assertEquals(sa, sb);
    Map<String, byte[]> ca = contents(a);
    Map<String, byte[]> cb = contents(b);
    assertEquals(ca.keySet(), cb.keySet());
    ca.forEach((name, bytes) -> assertArrayEquals(name, bytes, cb.get(name)));

    Path c = TMP.newFolder().toPath();
    new ArchiveGenerator(small(12)).generate(c);
    assertNotEquals(ca.keySet(), contents(c).keySet());
  }

  @Test
  public void parallelShardsAreDeterministicToo() throws IOException {
    Config config = small(5).toBuilder().shards(3).build();
    Path a = TMP.newFolder().toPath();
    Path b = TMP.newFolder().toPath();
    new ArchiveGenerator(config).generate(a);
    new ArchiveGenerator(config).generate(b);
    Map<String, byte[]> ca = contents(a);
    Map<String, byte[]> cb = contents(b);
    assertEquals(ca.keySet(), cb.keySet());
    ca.forEach((name, bytes) -> assertArrayEquals(name, bytes, cb.get(name)));
  }

  @Test
  public void referenceAgreesWithTheSummaryOnValidAndBrokenRecords() throws IOException {
    ReferenceMetrics.Result r = ReferenceMetrics.withDefaults().compute(variedRoot);
    assertEquals(varied.validEvents(), r.validRecords());
    assertEquals(varied.brokenByReason(), new TreeMap<>(r.badRecordsByReason()));
    assertEquals(varied.records(), varied.validEvents() + varied.brokenRecords());
    assertEquals(varied.objects(), r.files());
    for (BadRecordReason reason : BadRecordReason.values()) {
      assertThat(reason.apiName(), varied.brokenByReason().get(reason.apiName()), greaterThan(0L));
    }
    assertRate("broken records", varied.brokenRecords(), varied.validEvents(), 0.02);
    // One account, whether or not records carry it.
    assertTrue(r.rows().keySet().stream().allMatch(k -> k.account().equals("default")));
  }

  @Test
  public void variationsAppearAtTheirRates() {
    long total = records.size();
    assertEquals(varied.validEvents() + varied.brokenByReason().get("missing_field")
        + varied.brokenByReason().get("invalid_field"), total);
    // Numbers as strings: event_time is one of them.
    assertRate("string event_time", count(n -> n.path("event_time").isTextual()), total, 0.05);
    long summaries = count(ArchiveGeneratorTest::isSummary);
    assertRate("live_latency_sec",
        count(n -> isSummary(n) && n.has("live_latency_sec")), summaries, 0.05);
    assertRate("live_latency_sec is a string of seconds",
        count(n -> n.path("live_latency_sec").isTextual()
            && n.path("live_latency_sec").asText().matches("\\d+\\.\\d")),
        summaries, 0.05);
    // ~1.5 % of devices have no geo at all.
    assertRate("country name only",
        count(n -> n.has("CloudFront-Viewer-Country-Name") && !n.has("CloudFront-Viewer-Country")),
        total, 0.05 * 0.985);
    assertRate("no device flags", count(n -> !n.has("CloudFront-Is-Desktop-Viewer")), total, 0.05);
    assertRate("no or empty account",
        count(n -> n.path("account_id").asText("").isEmpty()), total, 0.05);
    assertRate("extra fields", count(n -> n.has("sdk_version")), total, 0.05);
    assertRate("unknown metric type",
        count(n -> n.path("metric_type").asText().equals("REBUFFER_START")), total, 0.05);
    assertThat(count(n -> n.path("is_live").isTextual()), greaterThan(0L));
    assertThat(count(n -> n.path("channel_watched").isNumber()), greaterThan(0L));
    assertThat(count(n -> n.path("CloudFront-Is-Mobile-Viewer").isBoolean()), greaterThan(0L));
    assertThat(count(n -> n.path("CloudFront-Viewer-Country").asText("").matches("[a-z]{2}")),
        greaterThan(0L));
    assertThat("devices without ip and user agent",
        count(n -> !n.has("ip") && !n.has("user_agent")), greaterThan(0L));
  }

  @Test
  public void brokenRecordsAreOfEveryKind() throws IOException {
    String all = String.join("\n", files(variedRoot).stream().map(f -> {
      try {
        return text(f);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).toList());
    assertTrue("not an object", all.contains("\n42\n") || all.contains("\n\"heartbeat\"\n"));
    assertTrue("event_time not a number", all.contains("\"event_time\":\"yesterday\""));
    assertTrue("optional number not a number", all.contains("\"playing_time_ms\":\"abc\""));
    assertTrue("empty session", all.contains("\"session_id\":\"\""));
    assertThat("records without session_id", count(n -> n.isObject() && !n.has("session_id")),
        greaterThan(0L));
  }

  @Test
  public void objectsAreNamedAndEncodedLikeFirehoses() throws IOException {
    int gzipNoSuffix = 0;
    int concatenated = 0;
    int ndjson = 0;
    int arrays = 0;
    for (Path f : files(variedRoot)) {
      String name = f.getFileName().toString();
      assertTrue(name, OBJECT_NAME.matcher(name).matches());
      String hour = variedRoot.relativize(f.getParent()).toString();
      assertTrue(hour, hour.matches("\\d{4}/\\d{2}/\\d{2}/\\d{2}"));
      // The name's time is in the partition's hour.
      assertTrue(name, name.contains(hour.replace('/', '-') + "-"));
      boolean gzip = isGzip(f);
      if (name.endsWith(".gz")) {
        assertTrue(name + " is gzip", gzip);
      } else if (gzip) {
        gzipNoSuffix++;
      }
      String text = text(f);
      if (text.contains("}{")) {
        concatenated++;
      } else {
        ndjson++;
      }
      if (text.contains("}[{") || text.startsWith("[{") || text.contains("\n[{")) {
        arrays++;
      }
    }
    assertEquals(varied.gzipObjectsWithoutSuffix(), gzipNoSuffix);
    assertThat(gzipNoSuffix, greaterThan(0));
    assertThat(concatenated, greaterThan(0));
    assertThat(ndjson, greaterThan(0));
    assertThat(arrays, greaterThan(0));
    assertThat(varied.gzipObjects(), greaterThan((long) gzipNoSuffix));
  }

  @Test
  public void lateEventsLandInLaterPartitionsNeverEarlierOnes() {
    long later = 0;
    for (ArchiveRecord r : records) {
      if (!isIntact(r.json())) {
        continue;
      }
      long eventTime = r.json().path("event_time").asLong();
      String eventHour = Instant.ofEpochMilli(eventTime).atZone(ZoneOffset.UTC)
          .format(java.time.format.DateTimeFormatter.ofPattern("yyyy/MM/dd/HH"));
      int cmp = r.hourPartition().compareTo(eventHour);
      assertTrue(r.hourPartition() + " holds an event of " + eventHour, cmp >= 0);
      if (cmp > 0) {
        later++;
        assertTrue("at most 12 minutes late",
            Instant.parse(r.hourPartition().replace('/', '-').replaceFirst(
                    "(\\d{4}-\\d{2}-\\d{2})-(\\d{2})", "$1T$2:00:00Z")).toEpochMilli()
                - eventTime <= 12 * 60_000);
      }
    }
    assertThat(later, greaterThan(0L));
    // The hour after the window holds the stragglers.
    assertEquals(List.of("2026/11/22/05", "2026/11/22/06"), List.copyOf(varied.hourPartitions()));
    assertThat(varied.eventsInLaterHour(), greaterThan(0L));
  }

  @Test
  public void sessionsLookLikePlayerSessions() {
    Map<String, List<JsonNode>> bySession = new TreeMap<>();
    for (ArchiveRecord r : records) {
      JsonNode n = r.json();
      if (!isIntact(n)) {
        continue;
      }
      bySession.computeIfAbsent(n.path("session_id").asText(), k -> new ArrayList<>()).add(n);
    }
    int checked = 0;
    for (List<JsonNode> events : bySession.values()) {
      events.sort(java.util.Comparator.comparingLong(n -> n.path("event_time").asLong()));
      assertEquals("IMPRESSION", events.get(0).path("metric_type").asText());
      long previous = -1;
      for (JsonNode n : events) {
        if (isSummary(n)) {
          long t = n.path("event_time").asLong();
          if (previous > 0) {
            long gap = t - previous;
            long covered = n.path("playing_time_ms").asLong() + n.path("buffering_time_ms").asLong();
            // A little over every minute, covering the time since the last one.
            assertThat(gap, lessThanOrEqualTo(61_700L));
            assertThat(covered, allOf(greaterThan(gap - 50), lessThanOrEqualTo(gap)));
          }
          previous = t;
          checked++;
        }
      }
    }
    assertThat(checked, greaterThan(1000));
  }

  @Test
  public void devicesHaveKnownUserAgentsWhoseClassMatchesTheirFlags() {
    for (ArchiveRecord r : records) {
      JsonNode n = r.json();
      if (!n.has("user_agent") || !n.has("CloudFront-Is-Desktop-Viewer")) {
        continue;
      }
      String ua = n.path("user_agent").asText();
      String expected = KnownUserAgents.deviceTypeOf(ua).orElseThrow();
      String flagged =
          n.path("CloudFront-Is-SmartTV-Viewer").asText().equals("true") ? "smart_tv"
              : n.path("CloudFront-Is-Tablet-Viewer").asText().equals("true") ? "tablet"
              : n.path("CloudFront-Is-Mobile-Viewer").asText().equals("true") ? "mobile"
              : "desktop";
      assertEquals(ua, expected, flagged);
    }
  }

  @Test
  public void bigObjectsAreSplitLikeFirehoseDoesAtItsBufferSize() throws IOException {
    Config c = small(9).toBuilder().maxObjectBytes(64 * 1024).objectInterval(Duration.ofMinutes(15))
        .arrayBatchRate(0.05).build();
    Path root = TMP.newFolder().toPath();
    Summary s = new ArchiveGenerator(c).generate(root);
    // 30 minutes of 20 viewers is over a megabyte: many more objects than the two intervals.
    assertThat(s.objects(), greaterThan(8L));
    ReferenceMetrics.Result r = ReferenceMetrics.withDefaults().compute(root);
    assertEquals(s.validEvents(), r.validRecords());
    assertEquals(s.brokenByReason(), new TreeMap<>(r.badRecordsByReason()));
  }

  @Test
  public void targetEventsSetsTheViewers() throws IOException {
    Config c = Config.builder().duration(Duration.ofMinutes(30)).targetEvents(20_000)
        .gzipFraction(1).build();
    Summary s = new ArchiveGenerator(c).generate(TMP.newFolder().toPath());
    assertThat(s.records(), allOf(greaterThan(17_000L), lessThanOrEqualTo(23_000L)));
  }

  @Test
  public void benchmarkConfigWritesNdjsonAThirdOfItGzipped() throws IOException {
    Config c = Config.benchmark(20_000).toBuilder().duration(Duration.ofMinutes(40)).build();
    Path root = TMP.newFolder().toPath();
    Summary s = new ArchiveGenerator(c).generate(root);
    assertEquals(0, s.concatenatedObjects());
    assertEquals(0, s.gzipObjectsWithoutSuffix());
    assertTrue(s.oneLine(), s.gzipObjects() > 0 && s.gzipObjects() < s.objects());
    for (Path f : files(root)) {
      // DuckDB tells gzip by the suffix only: every gzipped object must carry it.
      assertEquals(f.toString(), f.toString().endsWith(".gz"), isGzip(f));
    }
  }

  @Test
  public void commandLine() throws IOException {
    Path out = TMP.newFolder().toPath().resolve("cli");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int status = ArchiveGenerator.run(
        new String[] {"generate", "--out", out.toString(), "--seed", "3", "--start",
            "2026-11-22T05:00:00Z", "--duration", "PT10M", "--viewers", "5", "--videos", "1"},
        new PrintStream(buf, true, StandardCharsets.UTF_8));
    String printed = buf.toString(StandardCharsets.UTF_8);
    assertEquals(printed, 0, status);
    assertEquals(printed, 1, printed.lines().count());
    assertThat(printed, allOf(containsString("valid events"), containsString(out.toString())));
    assertTrue(Files.isDirectory(out.resolve("2026/11/22/05")));

    buf.reset();
    assertEquals(2, ArchiveGenerator.run(new String[] {"--viewers", "5"},
        new PrintStream(buf, true, StandardCharsets.UTF_8)));
    assertThat(buf.toString(StandardCharsets.UTF_8), containsString("--out DIR is required"));
    buf.reset();
    assertEquals(2, ArchiveGenerator.run(new String[] {"--out", "x", "--duration", "2h"},
        new PrintStream(buf, true, StandardCharsets.UTF_8)));
  }

  @Test
  public void rejectsNonsenseConfigs() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Config.builder().brokenRecordRate(1.5).build());
    assertThat(e.getMessage(), containsString("brokenRecordRate"));
    assertThrows(IllegalArgumentException.class, () -> Config.builder().viewers(0).build());
    assertThrows(IllegalArgumentException.class,
        () -> Config.builder().duration(Duration.ZERO).build());
  }

  @Test
  public void userAgentTableCoversEveryDeviceClass() {
    for (String type : List.of("desktop", "mobile", "tablet", "smart_tv")) {
      assertTrue(type, KnownUserAgents.ALL.stream().anyMatch(u -> u.deviceType().equals(type)));
    }
    assertEquals(KnownUserAgents.ALL.size(), KnownUserAgents.deviceTypeByUserAgent().size());
    assertEquals("tablet", KnownUserAgents.deviceTypeOf(
        "Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15"
            + " (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1").orElseThrow());
    assertTrue(KnownUserAgents.deviceTypeOf("curl/8.0").isEmpty());
  }
}
