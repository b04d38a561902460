package org.livemetrics.pipelines;

import static org.livemetrics.schemas.family.AudienceFamily.ALIVE_SS_AD_START_FIELD;
import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_IMPRESSION_FIELD;
import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_SECONDS_VIEWED_MS_FIELD;
import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_VIEW_FIELD;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.pipelines.backfill.Backfill;
import org.livemetrics.pipelines.backfill.BackfillOptions;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.MinuteAggregate;

/**
 * The backfill on a hand-written archive whose every expected row and dead letter was worked out by
 * hand: plain, gzip-without-suffix and concatenated objects, a late event in the next partition, a
 * summary spanning an hour boundary, bad records, a truncated gzip object.
 */
public class BackfillTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private Path archive;
  private Path store;

  private static long t(String hhmmss) {
    return Instant.parse("2026-11-22T" + hhmmss + "Z").toEpochMilli();
  }

  private static String device1(String type, String time, String session, String extra) {
    return "{\"metric_type\":\"" + type + "\",\"event_time\":" + t(time) + ",\"channel_watched\":\"v1\","
        + "\"session_id\":\"" + session + "\",\"account_id\":\"1234\",\"ip\":\"1.1.1.1\","
        + "\"user_agent\":\"UA-1\",\"player\":\"p\",\"CloudFront-Viewer-Country\":\"US\","
        + "\"CloudFront-Is-Desktop-Viewer\":\"true\"" + extra + "}";
  }

  private static String device2(String type, String time, String session, String extra) {
    return "{\"metric_type\":\"" + type + "\",\"event_time\":\"" + t(time) + "\",\"channel_watched\":\"v1\","
        + "\"session_id\":\"" + session + "\",\"account_id\":\"1234\",\"ip\":\"2.2.2.2\","
        + "\"user_agent\":\"UA-2\",\"player\":\"p\",\"CloudFront-Viewer-Country-Name\":\"United Kingdom\","
        + "\"CloudFront-Is-Mobile-Viewer\":true" + extra + "}";
  }

  @Before
  public void writeArchive() throws Exception {
    archive = tmp.newFolder("archive").toPath();
    store = tmp.newFolder("store").toPath();
    ArchiveFixture a = new ArchiveFixture(archive);
    // Hour 05, plain NDJSON, named without extension.
    a.plain("2026/11/22/05", "player-events-1-2026-11-22-05-10-00-a", String.join("\n",
        device1("IMPRESSION", "05:10:00", "s1", ""),
        device1("PLAY", "05:10:05", "s1", ""),
        device1("PLAYBACK_SUMMARY", "05:11:06", "s1", ",\"playing_time_ms\":60000,\"buffering_time_ms\":1000"),
        "{\"metric_type\":\"PLAY\",\"event_time\":",
        "{\"metric_type\":\"PLAY\",\"event_time\":" + t("05:20:00") + ",\"channel_watched\":\"v1\"}",
        ""));
    // Hour 05, gzip without a .gz name, objects concatenated with no separator (Firehose default).
    a.gzip("2026/11/22/05", "player-events-1-2026-11-22-05-59-00-b",
        device2("PLAY", "05:59:30", "s2", "") + device2("QUALITY_CHANGED", "05:59:40", "s2", ",\"step_direction\":\"UP\""));
    // Hour 06: the summary that spans the hour boundary, a late AD_START of hour 05, a bad record.
    a.gzip("2026/11/22/06", "player-events-1-2026-11-22-06-00-00-c.gz", String.join("\n",
        device2("PLAYBACK_SUMMARY", "06:00:31", "s2", ",\"playing_time_ms\":\"60000\",\"buffering_time_ms\":\"1000\""),
        device1("AD_START", "05:12:00", "s1", ""),
        "42"));
    // Hour 07: a gzip object cut short; the complete record before the damage still counts.
    StringBuilder many = new StringBuilder(device2("STOP", "07:00:10", "s2", "") + "\n");
    for (int i = 0; i < 2000; i++) {
      many.append("{\"metric_type\":\"IMPRESSION\",\"event_time\":").append(t("07:01:00") + i)
          .append(",\"channel_watched\":\"padding\",\"session_id\":\"p").append(i).append("\",\"pad\":\"")
          .append("-".repeat(40 + i % 7)).append("\"}\n");
    }
    a.truncatedGzip("2026/11/22/07", "player-events-1-2026-11-22-07-00-00-d.gz", many.toString(), 3000);
  }

  /** The runner the backfill runs on; subclasses run the same cases on other runners. */
  protected List<String> runnerArgs() {
    return List.of("--runner=DirectRunner");
  }

  /** Called with a backfill's arguments just before it is parsed and run. */
  protected void beforeRun(String[] args) {}

  /** Called after each backfill ran. */
  protected void afterRun() {}

  private Backfill.Result backfill(String from, String to, String runId) throws Exception {
    List<String> args = new ArrayList<>(runnerArgs());
    args.addAll(List.of("--archive=" + archive, "--output=" + store, "--from=" + from,
        "--to=" + to, "--fingerprintSecret=test-secret", "--runId=" + runId));
    beforeRun(args.toArray(String[]::new));
    Backfill.Result result = Backfill.run(PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .withValidation().as(BackfillOptions.class));
    afterRun();
    return result;
  }

  private static String row(MinuteAggregate r) {
    return r.dimensionSet.id() + "/" + r.account + "/" + r.video
        + (r.secondaryValue() == null ? "" : "/" + r.secondaryValue())
        + " " + Instant.ofEpochMilli(r.minute).toString().substring(11, 16)
        + " imp=" + r.count(VIDEO_IMPRESSION_FIELD) + " views=" + r.count(VIDEO_VIEW_FIELD)
        + " ads=" + r.count(ALIVE_SS_AD_START_FIELD)
        + " ms=" + r.count(VIDEO_SECONDS_VIEWED_MS_FIELD) + " ccu=" + r.ccu + " fp="
        + r.fingerprintCount;
  }

  private List<String> rows(DimensionSet set) throws Exception {
    return StoreContents.rows(store).stream()
        .filter(r -> r.dimensionSet == set && r.video.equals("v1"))
        .map(BackfillTest::row)
        .toList();
  }

  @Test
  public void hourFiveFromItsOwnAndLatePartitions() throws Exception {
    Backfill.Result result = backfill("2026-11-22T05", "2026-11-22T06", "run1");
    assertEquals("partitions 04-07 (04: clocks ahead by up to --maxClockSkew; 06: late data; 07: spans "
        + "reaching back)", 4, result.partitionsRead().size());
    assertThat(rows(DimensionSet.VIDEO), containsInAnyOrder(
        "video/1234/v1 05:10 imp=1 views=1 ads=0 ms=0 ccu=1 fp=1",
        "video/1234/v1 05:11 imp=0 views=0 ads=0 ms=60000 ccu=1 fp=1",
        "video/1234/v1 05:12 imp=0 views=0 ads=1 ms=0 ccu=1 fp=1", // arrived in hour 06
        "video/1234/v1 05:59 imp=0 views=1 ads=0 ms=0 ccu=1 fp=1"));
    assertThat(rows(DimensionSet.VIDEO_COUNTRY), containsInAnyOrder(
        "video,country/1234/v1/US 05:10 imp=1 views=1 ads=0 ms=0 ccu=1 fp=1",
        "video,country/1234/v1/US 05:11 imp=0 views=0 ads=0 ms=60000 ccu=1 fp=1",
        "video,country/1234/v1/US 05:12 imp=0 views=0 ads=1 ms=0 ccu=1 fp=1",
        "video,country/1234/v1/GB 05:59 imp=0 views=1 ads=0 ms=0 ccu=1 fp=1"));
    assertThat(rows(DimensionSet.VIDEO_DEVICE_TYPE), containsInAnyOrder(
        "video,device_type/1234/v1/desktop 05:10 imp=1 views=1 ads=0 ms=0 ccu=1 fp=1",
        "video,device_type/1234/v1/desktop 05:11 imp=0 views=0 ads=0 ms=60000 ccu=1 fp=1",
        "video,device_type/1234/v1/desktop 05:12 imp=0 views=0 ads=1 ms=0 ccu=1 fp=1",
        "video,device_type/1234/v1/mobile 05:59 imp=0 views=1 ads=0 ms=0 ccu=1 fp=1"));
    // Only hour 05's own bad records; 06's and 07's belong to the backfill of their hours.
    List<String> dead = StoreContents.deadLetters(store);
    assertThat(dead, hasSize(2));
    assertThat(dead.get(0) + dead.get(1), containsString("\"reason\":\"malformed_json\""));
    assertThat(dead.get(0) + dead.get(1), containsString("\"reason\":\"missing_field\",\"detail\":\"session_id\""));
    assertThat(dead.get(0) + dead.get(1), containsString("\"line\":4"));
    assertEquals(2, result.counter("dead_letters_written"));
    assertEquals(2, result.counter("dead_letter_outside_range"));
    assertEquals(1, result.counter("dead_letter_unreadable_object"));
  }

  @Test
  public void laterHoursGetTheirDeadLettersAndTheSpanningSummary() throws Exception {
    backfill("2026-11-22T06:00:00Z", "2026-11-22T07:30:00Z", "run2");
    assertThat(rows(DimensionSet.VIDEO), containsInAnyOrder(
        "video/1234/v1 06:00 imp=0 views=0 ads=0 ms=60000 ccu=1 fp=1",
        "video/1234/v1 07:00 imp=0 views=0 ads=0 ms=0 ccu=1 fp=1")); // the STOP before the damage
    List<String> dead = StoreContents.deadLetters(store);
    assertThat(dead, hasSize(2));
    String all = String.join("\n", dead);
    assertThat(all, containsString("\"reason\":\"not_an_object\""));
    assertThat(all, containsString("\"record\":\"42\""));
    assertThat(all, containsString("\"reason\":\"unreadable_object\""));
    assertThat(all, not(containsString("1.1.1.1\\\",\\\"user_agent\\\":\\\"UA-1\\\",\\\"player\\\":\\\"p\\\",\\\"CloudFront-Viewer-Country\\\":\\\"US\\\",\\\"CloudFront-Is-Desktop-Viewer\\\":\\\"true\\\"}\"}")));
  }

  @Test
  public void reRunsReplaceTheirHoursAndNothingElse() throws Exception {
    backfill("2026-11-22T05", "2026-11-22T08", "first");
    List<MinuteAggregate> before = StoreContents.rows(store);
    backfill("2026-11-22T05", "2026-11-22T06", "second");
    List<MinuteAggregate> after = StoreContents.rows(store);
    assertEquals(before.stream().map(BackfillTest::row).sorted().toList(),
        after.stream().map(BackfillTest::row).sorted().toList());
    // Hour 05 now holds only the second run's files; 06 and 07 still the first run's.
    for (Path f : StoreContents.allPartFiles(store.resolve("aggregates"))) {
      String hour = f.getParent().getFileName().toString();
      String expected = hour.equals("hour=2026-11-22T05") ? "part-second-" : "part-first-";
      assertThat(f.toString(), f.getFileName().toString(), org.hamcrest.Matchers.startsWith(expected));
    }
    assertEquals("second", Files.readString(store.resolve("aggregates/hour=2026-11-22T05/_COMMITTED")).trim());
    backfill("2026-11-22T05", "2026-11-22T06", "third");
    assertEquals(before.size(), StoreContents.rows(store).size());
  }

  @Test
  public void badOptionsAreClearErrors() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> backfill("yesterday", "2026-11-22T06", "x"));
    assertThat(e.getMessage(), containsString("--from"));
    e = assertThrows(IllegalArgumentException.class, () -> backfill("2026-11-22T06", "2026-11-22T05", "x"));
    assertThat(e.getMessage(), containsString("--to must be after --from"));
  }
}
