package org.livemetrics.pipelines;

import static org.livemetrics.schemas.family.AudienceFamily.ALIVE_SS_AD_START_FIELD;
import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_IMPRESSION_FIELD;
import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_SECONDS_VIEWED_MS_FIELD;
import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_VIEW_FIELD;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.pipelines.backfill.Backfill;
import org.livemetrics.pipelines.backfill.BackfillOptions;
import org.livemetrics.query.QueryCommand;
import org.livemetrics.schemas.DistinctSketch;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.testdata.ReferenceMetrics;
import org.livemetrics.testdata.ArchiveGenerator;

/**
 * generate → backfill → query: a freshly generated archive (2 videos, 2 hours, every edge
 * variation, broken and late records) through the backfill, every stored row and several query
 * answers compared with {@link ReferenceMetrics}, an independent and deliberately plain
 * implementation of the metric definitions.
 */
public class EndToEndBackfillTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  static final long FROM = Instant.parse("2026-11-22T05:00:00Z").toEpochMilli();

  /**
   * The DirectRunner without its immutability and encodability checks: they walk the pipeline
   * graph for every bundle, and after a GroupByKey every key is a bundle. (BackfillTest runs with
   * the checks on, on small data.)
   */
  /** End of the generated range (exclusive). */
  private long rangeEnd;

  protected List<String> runnerArgs() {
    return List.of("--runner=DirectRunner", "--enforceImmutability=false", "--enforceEncodability=false");
  }

  /**
   * The archive to generate. Smaller on the DirectRunner, whose per-bundle cost (it re-translates
   * each ParDo for every bundle, one bundle per key after a GroupByKey) grows with the number of
   * output rows. The Flink variant runs a larger archive.
   */
  protected ArchiveGenerator.Config archiveConfig() {
    return ArchiveGenerator.Config.builder()
        .seed(7).start(Instant.ofEpochMilli(FROM)).duration(java.time.Duration.ofHours(1))
        .videos(2).viewers(12).build();
  }

  @Test
  public void everyRowMatchesTheReference() throws Exception {
    Path archive = tmp.newFolder("archive").toPath();
    ArchiveGenerator.Config config = archiveConfig();
    rangeEnd = FROM + config.duration().toMillis();
    new ArchiveGenerator(config).generate(archive);
    List<String> videos = config.videoIds();
    Path store = tmp.newFolder("store").toPath();
    List<String> args = new ArrayList<>(runnerArgs());
    args.addAll(List.of("--archive=" + archive, "--output=" + store, "--from=2026-11-22T05",
        "--to=" + Instant.ofEpochMilli(rangeEnd), "--fingerprintSecret=e2e"));
    Backfill.Result result = Backfill.run(
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).withValidation().as(BackfillOptions.class));

    ReferenceMetrics.Result expected = ReferenceMetrics.withDefaults().compute(archive);
    SortedMap<String, String> want = new TreeMap<>();
    for (Map.Entry<ReferenceMetrics.RowKey, ReferenceMetrics.Row> e : expected.rows().entrySet()) {
      ReferenceMetrics.RowKey k = e.getKey();
      if (k.minuteStartMs() >= FROM && k.minuteStartMs() < rangeEnd) {
        ReferenceMetrics.Row r = e.getValue();
        want.put(key(k.account(), k.dimensionSet(), k.video(), k.secondary(), k.minuteStartMs()),
            values(r.videoImpression(), r.videoView(), r.aliveSsAdStart(), r.videoSecondsViewedMs(), r.ccu(), r.fingerprintCount()));
      }
    }
    SortedMap<String, String> got = new TreeMap<>();
    List<MinuteAggregate> rows = StoreContents.rows(store);
    for (MinuteAggregate r : rows) {
      String secondary = r.secondaryValue() == null ? "" : r.secondaryValue();
      String previous = got.put(key(r.account, r.dimensionSet.id(), r.video, secondary, r.minute),
          values(r.count(VIDEO_IMPRESSION_FIELD), r.count(VIDEO_VIEW_FIELD),
              r.count(ALIVE_SS_AD_START_FIELD), r.count(VIDEO_SECONDS_VIEWED_MS_FIELD), r.ccu,
              r.fingerprintCount));
      assertEquals("duplicate row " + r, null, previous);
    }
    assertEquals(want.size(), got.size());
    assertEquals(want, got);

    // Unique sessions and devices over the whole range, from the stored sketches, per video.
    for (String video : videos) {
      DistinctSketch.Merger sessions = DistinctSketch.merger();
      DistinctSketch.Merger devices = DistinctSketch.merger();
      rows.stream().filter(r -> r.video.equals(video) && r.dimensionSet.id().equals("video"))
          .forEach(r -> {
            sessions.add(r.sessionSketch);
            devices.add(r.fingerprintSketch);
          });
      assertEquals(expected.distinctSessions("default", "video", video, "", FROM, rangeEnd).size(), sessions.estimate());
      assertEquals(expected.distinctFingerprints("default", "video", video, "", FROM, rangeEnd).size(), devices.estimate());
    }

    // Every bad record of the range's own partitions is a dead letter, with its reason.
    long expectedBad = expected.badRecords();
    assertEquals(expectedBad, result.counter("dead_letters_written") + result.counter("dead_letter_outside_range"));
    for (Map.Entry<String, Long> e : expected.badRecordsByReason().entrySet()) {
      assertEquals(e.getKey(), (long) e.getValue(), result.counter("dead_letter_" + e.getKey()));
    }
    assertEquals(expected.validRecords(), result.counter("events_parsed"));

    queriesMatchTheReference(store, expected, videos.get(0));
  }

  /** generate → backfill → query: the CLI's JSON answers against the reference's values. */
  private void queriesMatchTheReference(Path store, ReferenceMetrics.Result expected, String video)
      throws Exception {
    // Hourly CCU peaks, views and seconds viewed.
    JsonNode got = query(store, "/v1/timeseries/accounts/default?dimensions=video"
        + "&metrics=ccu,video_view,video_seconds_viewed&where=video==" + video
        + "&from=" + FROM + "&to=" + (rangeEnd - 1) + "&bucket_duration=1h");
    ObjectNode want = JSON.createObjectNode();
    SortedMap<Long, ReferenceMetrics.Row> series = expected.series("default", "video", video, "");
    for (String metric : List.of("ccu", "video_view", "video_seconds_viewed")) {
      ArrayNode points = JSON.createArrayNode();
      for (long hour = FROM; hour < rangeEnd; hour += 3_600_000L) {
        long max = 0;
        long sum = 0;
        for (ReferenceMetrics.Row r : series.subMap(hour, hour + 3_600_000L).values()) {
          max = Math.max(max, r.ccu());
          sum += metric.equals("video_view") ? r.videoView() : r.videoSecondsViewedMs();
        }
        ObjectNode point = points.addObject().put("timestamp", hour);
        if (metric.equals("ccu")) {
          point.put("value", max);
        } else if (metric.equals("video_view")) {
          point.put("value", sum);
        } else {
          point.put("value", BigDecimal.valueOf(sum, 3));
        }
      }
      ObjectNode entry = want.putObject(metric).putArray("data").addObject();
      entry.putObject("dimensions").put("account", "default").put("video", video);
      entry.set("points", points);
    }
    assertTrue("got " + got + "\nwant " + want, want.equals(NUMERIC, got));

    // Views and unique devices by country over the whole range: distinct, not summed.
    got = query(store, "/v1/events/accounts/default?dimensions=video,country"
        + "&metrics=video_view,fingerprint_count&where=video==" + video + "&from=" + FROM + "&to=" + (rangeEnd - 1));
    ArrayNode data = JSON.createArrayNode();
    SortedMap<String, long[]> byCountry = new TreeMap<>();
    for (ReferenceMetrics.RowKey k : expected.rows().keySet()) {
      if (k.dimensionSet().equals("video,country") && k.video().equals(video) && k.minuteStartMs() >= FROM && k.minuteStartMs() < rangeEnd) {
        byCountry.computeIfAbsent(k.secondary(), c -> new long[] {
            expected.sum("video_view", "default", "video,country", video, c, FROM, rangeEnd),
            expected.distinctFingerprints("default", "video,country", video, c, FROM, rangeEnd).size()});
      }
    }
    byCountry.forEach((country, v) -> {
      ObjectNode entry = data.addObject();
      entry.putObject("dimensions").put("account", "default").put("video", video).put("country", country);
      entry.putObject("totals").put("video_view", v[0]).put("fingerprint_count", v[1]);
    });
    ObjectNode wantEvents = JSON.createObjectNode();
    wantEvents.set("data", data);
    assertTrue("got " + got + "\nwant " + wantEvents, wantEvents.equals(NUMERIC, got));
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Numbers compare by value (61.500 == 61.5), everything else as usual. */
  private static final Comparator<JsonNode> NUMERIC = (a, b) -> {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue());
    }
    return a.equals(b) ? 0 : 1;
  };

  private static JsonNode query(Path store, String url) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = QueryCommand.run(new String[] {"--store", store.toString(), url},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(err.toString(StandardCharsets.UTF_8), 0, status);
    return JSON.readTree(out.toByteArray());
  }

  private static String key(String account, String set, String video, String secondary, long minute) {
    return account + "|" + set + "|" + video + "|" + secondary + "|" + Instant.ofEpochMilli(minute);
  }

  private static String values(long imp, long views, long ads, long ms, long ccu, long fps) {
    return "imp=" + imp + " views=" + views + " ads=" + ads + " ms=" + ms + " ccu=" + ccu + " fp=" + fps;
  }
}
