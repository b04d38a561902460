package org.livemetrics.pipelines;

import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_VIEW_FIELD;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.pipelines.backfill.Backfill;
import org.livemetrics.pipelines.backfill.BackfillOptions;
import org.livemetrics.pipelines.io.StoredRows;
import org.livemetrics.pipelines.io.WriteDeadLetters;
import org.livemetrics.pipelines.io.WriteRowsToParquet;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.MinuteAggregateCoder;
import org.livemetrics.transforms.observability.PipelineMetrics;

/**
 * Issue 11, item 1: one row Parquet cannot encode (a lone UTF-16 surrogate) used to fail the
 * Parquet file, the bundle and the whole run (MalformedInputException, nothing committed). Now it
 * is a dead letter {@code unwritable_row} naming the table, the row and the field, and the run goes
 * on and commits. Checked at the sink directly (rows built by hand, bypassing the parser, whatever
 * the parser later accepts) and through the whole backfill with the issue's records.
 */
public class UnwritableRowsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long HOUR = Instant.parse("2025-11-22T05:00:00Z").toEpochMilli();
  private static final long MINUTE = Instant.parse("2025-11-22T05:10:00Z").toEpochMilli();

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  /** The runner; {@code UnwritableRowsOnFlinkTest} runs the same cases on the embedded Flink. */
  protected List<String> runnerArgs() {
    return List.of("--runner=DirectRunner");
  }

  private static MinuteAggregate row(String account, String video, long views) {
    return new MinuteAggregate(account, video, DimensionSet.VIDEO, null, null, MINUTE,
        new long[] {0, views, 0, 0}, new long[] {1, 1}, new byte[][] {{1}, {2}});
  }

  @Test
  public void theParquetSinkFilesARowItCannotEncodeAsADeadLetterAndWritesTheRest() throws Exception {
    Path store = tmp.newFolder("store").toPath();
    Pipeline p = Pipeline.create(
        PipelineOptionsFactory.fromArgs(runnerArgs().toArray(String[]::new)).create());
    BadRecordErrorHandler<?> deadLetters = p.registerBadRecordErrorHandler(
        WriteDeadLetters.to(store.toString(), "run1", HOUR, HOUR + 3_600_000L));
    p.apply(Create.of(List.of(
            row("1234", "v1", 3),
            row("1234", "55\uD80055", 1),  // the issue's channel_watched
            row("\uDC80x", "v2", 1)))      // a lone low surrogate first
            .withCoder(MinuteAggregateCoder.of()))
        .apply(WriteRowsToParquet.aggregates(store.toString(), "run1")
            .withBadRecordErrorHandler(deadLetters));
    deadLetters.close();
    PipelineResult result = p.run();
    assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());

    // Only the good row reached Parquet (no commit marker: every part file is read).
    List<String> written = new ArrayList<>();
    for (MinuteAggregate r : StoreContents.rows(store)) {
      written.add(r.account + "/" + r.video + " views=" + r.count(VIDEO_VIEW_FIELD));
    }
    assertEquals(List.of("1234/v1 views=3"), written);

    List<String> lines = new ArrayList<>();
    for (String line : StoreContents.deadLetters(store)) {
      JsonNode d = JSON.readTree(line);
      lines.add(d.get("reason").asText() + " | " + d.get("sink").asText() + " | "
          + d.get("table").asText() + " | " + d.get("key").asText() + " | " + d.get("detail").asText());
    }
    // Keys: account, dimension set, video, secondary value, minute, joined by U+0001 (shown
    // escaped, like the surrogates).
    String key1 = "1234\\u0001video\\u000155\\uD80055\\u0001\\u0001" + MINUTE;
    String key2 = "\\uDC80x\\u0001video\\u0001v2\\u0001\\u0001" + MINUTE;
    assertThat(lines, containsInAnyOrder(
        "unwritable_row | parquet | aggregates | " + key1 + " | parquet aggregates row " + key1
            + ": field video is not valid UTF-16: lone surrogate U+D800 at char 2 of 5",
        "unwritable_row | parquet | aggregates | " + key2 + " | parquet aggregates row " + key2
            + ": field account is not valid UTF-16: lone surrogate U+DC80 at char 0 of 2"));
    // Filed under the rows' own hour, as the backfill of that hour would replace them.
    assertTrue(Files.isDirectory(store.resolve("dead-letter").resolve("hour=2025-11-22T05")));
    assertEquals(2, counter(result, "livemetrics", "dead_letter_unwritable_row"));
    assertEquals(2, counter(result, PipelineMetrics.NAMESPACE,
        "dead_letters_total__reason__unwritable_row"));
    assertEquals(1, counter(result, "livemetrics", "aggregate_rows_written"));
  }

  /** The issue's reproduction: one hour partition holding the records, through the backfill. */
  @Test
  public void aBackfillWithTheIssuesRecordsFinishesCommitsAndFilesThemAsDeadLetters()
      throws Exception {
    Path archive = tmp.newFolder("archive").toPath();
    Path store = tmp.newFolder("store").toPath();
    ByteArrayOutputStream object = new ByteArrayOutputStream();
    object.write(("{\"session_id\":\"x\",\"channel_watched\":\"55\\ud80055\",\"metric_type\":\"PLAY\","
        + "\"event_time\":1763788200000}\n").getBytes(StandardCharsets.UTF_8));
    // Raw bytes ED A0 80 (U+D800 encoded as if it were a character) in account_id.
    object.write("{\"session_id\":\"y\",\"channel_watched\":\"v2\",\"account_id\":\"a".getBytes(StandardCharsets.UTF_8));
    object.write(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
    object.write("\",\"metric_type\":\"PLAY\",\"event_time\":1763788200000}\n".getBytes(StandardCharsets.UTF_8));
    object.write(("{\"session_id\":\"z\",\"channel_watched\":\"v1\",\"metric_type\":\"PLAY\","
        + "\"event_time\":1763788200000}\n").getBytes(StandardCharsets.UTF_8));
    Path hour = archive.resolve("2025/11/22/05");
    Files.createDirectories(hour);
    Files.write(hour.resolve("player-events-1-2025-11-22-05-10-00-a"), object.toByteArray());

    List<String> args = new ArrayList<>(runnerArgs());
    args.addAll(List.of("--archive=" + archive, "--output=" + store, "--from=2025-11-22T05",
        "--to=2025-11-22T06", "--fingerprintSecret=test-secret", "--runId=run1"));
    Backfill.Result result = Backfill.run(PipelineOptionsFactory.fromArgs(
        args.toArray(String[]::new)).withValidation().as(BackfillOptions.class));

    // Committed: every area of the hour has its marker, no temporary file is left.
    for (String area : List.of("aggregates", "qos", "dead-letter")) {
      assertEquals(area, "run1",
          Files.readString(store.resolve(area).resolve("hour=2025-11-22T05").resolve("_COMMITTED")).trim());
    }
    try (var files = Files.walk(store)) {
      // (Beam leaves its emptied .temp-beam directories behind, as on any run.)
      assertThat(files.filter(Files::isRegularFile).map(Path::toString).toList(),
          not(hasItem(org.hamcrest.Matchers.containsString(".temp-beam"))));
    }
    // The good event is counted; the two bad ones reached no row.
    List<String> videos = new ArrayList<>();
    for (MinuteAggregate r : StoreContents.rows(store)) {
      if (r.dimensionSet == DimensionSet.VIDEO) {
        videos.add(r.account + "/" + r.video + " views=" + r.count(VIDEO_VIEW_FIELD));
      }
    }
    assertEquals(List.of("default/v1 views=1"), videos);
    // Both bad records are dead letters: here at the sinks (unwritable_row), or, once the parser
    // refuses such strings itself, at parse time (invalid_field); never a failed run.
    List<String> dead = StoreContents.deadLetters(store);
    assertTrue(dead.toString(), dead.size() >= 2);
    for (String line : dead) {
      String reason = JSON.readTree(line).get("reason").asText();
      assertTrue(line, reason.equals("unwritable_row") || reason.equals("invalid_field"));
    }
    assertTrue(result.counter("dead_letter_unwritable_row") + result.counter("dead_letter_invalid_field") >= 2);
    assertTrue(result.summary(), result.summary().contains("dead letters"));
  }

  private static long counter(PipelineResult result, String namespace, String name) {
    long sum = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder().build()).getCounters()) {
      if (c.getName().getNamespace().equals(namespace) && c.getName().getName().equals(name)) {
        sum += c.getAttempted();
      }
    }
    return sum;
  }
}
