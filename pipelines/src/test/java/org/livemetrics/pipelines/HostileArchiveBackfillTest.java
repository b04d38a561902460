package org.livemetrics.pipelines;

import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_IMPRESSION_FIELD;
import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_VIEW_FIELD;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.pipelines.backfill.Backfill;
import org.livemetrics.pipelines.backfill.BackfillOptions;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.testdata.HostileCorpus;

/**
 * The backfill over {@link HostileCorpus} on embedded Flink: the job finishes and commits, the good
 * events around every hostile record are counted exactly, and each hostile record is one bounded
 * dead letter with its reason. Then the operator's mistakes: a wrong archive path or an empty range
 * is an error that leaves the store as it was, and a dry run writes nothing.
 */
public class HostileArchiveBackfillTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path archive;
  private static Path store;
  private static HostileCorpus.Expected expected;
  private static Backfill.Result result;

  @BeforeClass
  public static void backfillTheCorpus() throws Exception {
    archive = TMP.newFolder("archive").toPath();
    store = TMP.newFolder("store").toPath();
    expected = HostileCorpus.write(archive);
    result = backfill("--archive=" + archive, "--output=" + store, "--runId=hostile");
  }

  private static Backfill.Result backfill(String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("--runner=FlinkRunner", "--flinkMaster=[local]",
        "--parallelism=2", "--fingerprintSecret=test-secret"));
    args.addAll(List.of(extra));
    if (args.stream().noneMatch(a -> a.startsWith("--from="))) {
      args.addAll(List.of("--from=2025-11-22T05", "--to=2025-11-22T06"));
    }
    return Backfill.run(PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .withValidation().as(BackfillOptions.class));
  }

  @Test
  public void goodEventsAroundEveryHostileRecordAreCountedExactly() throws Exception {
    long impressions = 0;
    long views = 0;
    Map<Long, Long> viewsByMinute = new TreeMap<>();
    for (MinuteAggregate r : StoreContents.rows(store)) {
      assertFalse("no hostile record made a row: " + r.video, r.video.equals("bad-video"));
      if (r.dimensionSet == DimensionSet.VIDEO && r.video.equals(HostileCorpus.GOOD_VIDEO)) {
        assertEquals(HostileCorpus.ACCOUNT, r.account);
        impressions += r.count(VIDEO_IMPRESSION_FIELD);
        views += r.count(VIDEO_VIEW_FIELD);
        viewsByMinute.merge(r.minute, r.count(VIDEO_VIEW_FIELD), Long::sum);
      }
    }
    assertEquals(expected.goodImpressions(), impressions);
    assertEquals(expected.goodViews(), views);
    // Each case's PLAY is in its own minute (HostileCorpus.goodMinute: two cases a minute).
    Map<Long, Long> expectedByMinute = new TreeMap<>();
    for (int i = 0; i < HostileCorpus.cases().size(); i++) {
      expectedByMinute.merge(HostileCorpus.goodMinute(i), 1L, Long::sum);
    }
    assertEquals(expectedByMinute, viewsByMinute);
  }

  @Test
  public void eachHostileRecordIsOneBoundedDeadLetterWithItsReason() throws Exception {
    Map<String, Long> reasons = new TreeMap<>();
    for (String line : StoreContents.deadLetters(store)) {
      assertThat("a dead letter line is bounded", line.length(), lessThanOrEqualTo(20_000));
      JsonNode d = JSON.readTree(line);
      reasons.merge(d.get("reason").asText(), 1L, Long::sum);
      assertTrue(line, d.get("source").asText().contains("/2025/11/22/05/"));
      assertTrue(line, d.has("record_bytes") && d.get("record_sha256").asText().length() == 64);
    }
    assertEquals(expected.deadLettersByReason(), reasons);
    // The bomb: 64 MiB of one byte is one dead letter that says how long it was.
    String bomb = StoreContents.deadLetters(store).stream()
        .filter(l -> l.contains("gzip-bomb-one-line")).findFirst().orElseThrow();
    assertThat(bomb, containsString("\"record_bytes\":" + (64 << 20)));
    assertThat(bomb, containsString("\"reason\":\"record_too_large\""));
    // The run's own counters say the same.
    assertEquals(expected.deadLettersByReason().values().stream().mapToLong(Long::longValue).sum(),
        result.counter("dead_letters_written"));
  }

  @Test
  public void aWrongArchivePathIsAnErrorThatLeavesTheStoreUntouched() throws Exception {
    byte[] marker = Files.readAllBytes(store.resolve("aggregates/hour=2025-11-22T05/_COMMITTED"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> backfill("--archive=" + archive + "-typo", "--output=" + store, "--runId=typo"));
    assertThat(e.getMessage(), containsString("no such directory"));
    // An existing archive with nothing in the range: an error unless asked for.
    e = assertThrows(IllegalArgumentException.class, () -> backfill("--archive=" + archive,
        "--output=" + store, "--runId=empty", "--from=2025-11-23T05", "--to=2025-11-23T06"));
    assertThat(e.getMessage(), containsString("--allowEmptyRange"));
    assertEquals(new String(marker, StandardCharsets.UTF_8), Files.readString(
        store.resolve("aggregates/hour=2025-11-22T05/_COMMITTED")));
    assertFalse(Files.exists(store.resolve("aggregates/hour=2025-11-23T05")));
  }

  @Test
  public void aDryRunReportsButWritesNothing() throws Exception {
    Path untouched = TMP.newFolder("dry-store").toPath();
    Backfill.Result dry = backfill("--archive=" + archive, "--output=" + untouched, "--runId=dry",
        "--dryRun=true");
    assertTrue(dry.dryRun());
    assertEquals(result.counter("events_parsed"), dry.counter("events_parsed"));
    assertThat(dry.summary(), containsString("nothing was written to the store"));
    try (var files = Files.list(untouched)) {
      assertEquals(List.of(), files.toList());
    }
  }
}
