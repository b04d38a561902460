package org.livemetrics.pipelines;

import static org.junit.Assert.assertEquals;

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
import org.livemetrics.schemas.DistinctSketch;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.testdata.ReferenceMetrics;
import org.livemetrics.testdata.SampleArchive;

/**
 * The checked-in sample archive (generated: 2 videos, 40 viewers, 2 hours, every edge variation,
 * broken and late records) through the backfill, every row compared with {@link ReferenceMetrics},
 * an independent and deliberately plain implementation of the metric definitions.
 */
public class EndToEndBackfillTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  static final long FROM = Instant.parse("2026-11-22T05:00:00Z").toEpochMilli();
  static final long TO = Instant.parse("2026-11-22T07:00:00Z").toEpochMilli();

  protected List<String> runnerArgs() {
    return List.of("--runner=DirectRunner");
  }

  @Test
  public void everyRowMatchesTheReference() throws Exception {
    Path archive = SampleArchive.locate();
    Path store = tmp.newFolder("store").toPath();
    List<String> args = new ArrayList<>(runnerArgs());
    args.addAll(List.of("--archive=" + archive, "--output=" + store, "--from=2026-11-22T05",
        "--to=2026-11-22T07", "--fingerprintSecret=e2e"));
    Backfill.Result result = Backfill.run(
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).withValidation().as(BackfillOptions.class));

    ReferenceMetrics.Result expected = ReferenceMetrics.withDefaults().compute(archive);
    SortedMap<String, String> want = new TreeMap<>();
    for (Map.Entry<ReferenceMetrics.RowKey, ReferenceMetrics.Row> e : expected.rows().entrySet()) {
      ReferenceMetrics.RowKey k = e.getKey();
      if (k.minuteStartMs() >= FROM && k.minuteStartMs() < TO) {
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
          values(r.videoImpression, r.videoView, r.aliveSsAdStart, r.videoSecondsViewedMs, r.ccu, r.fingerprintCount));
      assertEquals("duplicate row " + r, null, previous);
    }
    assertEquals(want.size(), got.size());
    assertEquals(want, got);

    // Unique sessions and devices over the whole range, from the stored sketches, per video.
    for (String video : List.of("6336854458112", "6373141262112")) {
      DistinctSketch.Merger sessions = DistinctSketch.merger();
      DistinctSketch.Merger devices = DistinctSketch.merger();
      rows.stream().filter(r -> r.video.equals(video) && r.dimensionSet.id().equals("video"))
          .forEach(r -> {
            sessions.add(r.sessionSketch);
            devices.add(r.fingerprintSketch);
          });
      assertEquals(expected.distinctSessions("default", "video", video, "", FROM, TO).size(), sessions.estimate());
      assertEquals(expected.distinctFingerprints("default", "video", video, "", FROM, TO).size(), devices.estimate());
    }

    // Every bad record of the range's own partitions is a dead letter, with its reason.
    long expectedBad = expected.badRecords();
    assertEquals(expectedBad, result.counter("dead_letters_written") + result.counter("dead_letter_outside_range"));
    for (Map.Entry<String, Long> e : expected.badRecordsByReason().entrySet()) {
      assertEquals(e.getKey(), (long) e.getValue(), result.counter("dead_letter_" + e.getKey()));
    }
    assertEquals(expected.validRecords(), result.counter("events_parsed"));
  }

  private static String key(String account, String set, String video, String secondary, long minute) {
    return account + "|" + set + "|" + video + "|" + secondary + "|" + Instant.ofEpochMilli(minute);
  }

  private static String values(long imp, long views, long ads, long ms, long ccu, long fps) {
    return "imp=" + imp + " views=" + views + " ads=" + ads + " ms=" + ms + " ccu=" + ccu + " fp=" + fps;
  }
}
