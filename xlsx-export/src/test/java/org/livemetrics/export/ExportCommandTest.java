package org.livemetrics.export;

import org.livemetrics.query.Rows;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.livemetrics.export.Workbooks.number;
import static org.livemetrics.export.Workbooks.summaryValue;
import static org.livemetrics.export.Workbooks.utc;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.schemas.AggregateStoreLayout;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.MinuteAggregateAvro;

/**
 * {@code livemetrics export} over a real Parquet store laid out as the pipelines write it: the
 * report on success, and one {@code error: <parameter>: …} line with the status otherwise.
 */
public class ExportCommandTest {
  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();

  private static Path store;
  private static Path brokenStore;
  private static Path outDir;

  @BeforeClass
  public static void writeStores() throws IOException {
    store = tmp.newFolder("store").toPath();
    writeParquet(store, SampleStream.ROWS);
    brokenStore = tmp.newFolder("broken").toPath();
    Path hour = Files.createDirectories(brokenStore.resolve(AggregateStoreLayout.AGGREGATES_DIR)
        .resolve(AggregateStoreLayout.hourPartition(Rows.t("2020-02-15T10:00"))));
    Files.writeString(hour.resolve("part-r-00000.parquet"), "not parquet");
    outDir = tmp.newFolder("out").toPath();
  }

  /** One Parquet file per hour partition, as the backfill writes them. */
  private static void writeParquet(Path root, List<MinuteAggregate> rows) throws IOException {
    Map<String, List<MinuteAggregate>> byHour = new TreeMap<>();
    for (MinuteAggregate row : rows) {
      byHour.computeIfAbsent(AggregateStoreLayout.hourPartition(row.minute),
          k -> new ArrayList<>()).add(row);
    }
    for (Map.Entry<String, List<MinuteAggregate>> e : byHour.entrySet()) {
      Path dir = Files.createDirectories(
          root.resolve(AggregateStoreLayout.AGGREGATES_DIR).resolve(e.getKey()));
      org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(
          dir.resolve(AggregateStoreLayout.partPrefix("r") + "00000.parquet").toUri());
      try (ParquetWriter<GenericRecord> writer = AvroParquetWriter
          .<GenericRecord>builder(HadoopOutputFile.fromPath(file, new Configuration()))
          .withSchema(MinuteAggregateAvro.SCHEMA)
          .build()) {
        for (MinuteAggregate row : e.getValue()) {
          writer.write(MinuteAggregateAvro.toRecord(row));
        }
      }
    }
  }

  private record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = ExportCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  private static String[] args(String... more) {
    List<String> args = new ArrayList<>(List.of("--store", store.toString(), "--account",
        "1234", "--video", "5555", "--now", "2020-02-15T12:00:00Z"));
    args.addAll(Arrays.asList(more));
    return args.toArray(new String[0]);
  }

  private static void assertBadInput(String parameter, Run r) {
    assertEquals(r.err, 2, r.status);
    assertEquals("", r.out);
    assertThat(r.err, startsWith("error: " + parameter + ": "));
    assertEquals("one line", 1, r.err.lines().count());
  }

  @Test
  public void writesTheWholeStreamFromAParquetStore() throws Exception {
    Path out = outDir.resolve("whole.xlsx");
    Run r = run(args("--out", out.toString()));
    assertEquals(r.err, 0, r.status);
    assertEquals("wrote " + out + ": 4 minutes, 3 device types, 4 countries\n", r.out);
    try (XSSFWorkbook wb = new XSSFWorkbook(new File(out.toString()))) {
      // The same hand-worked numbers as XlsxReportTest: the store makes no difference.
      assertEquals(17, number(summaryValue(wb, "Views")), 0);
      assertEquals(15, number(summaryValue(wb, "Unique devices")), 0);
      assertEquals(1320.75, number(summaryValue(wb, "Seconds viewed")), 0);
      assertEquals(utc("2020-02-15T12:00"),
          summaryValue(wb, "Generated (UTC)").getLocalDateTimeCellValue());
    }
    assertEquals("no partial file left", List.of(out), list(outDir, "whole"));
  }

  @Test
  public void fromAndToAsIsoOrEpochMillis() throws Exception {
    Path out = outDir.resolve("range.xlsx");
    // 10:01 (ISO, no offset: UTC) through 10:02:59.999 (epoch ms).
    Run r = run(args("--from", "2020-02-15T10:01", "--to=" + (Rows.t("2020-02-15T10:03") - 1),
        "--out", out.toString()));
    assertEquals(r.err, 0, r.status);
    try (XSSFWorkbook wb = new XSSFWorkbook(new File(out.toString()))) {
      assertEquals(utc("2020-02-15T10:01"),
          summaryValue(wb, "First minute (UTC)").getLocalDateTimeCellValue());
      assertEquals(utc("2020-02-15T10:02"),
          summaryValue(wb, "Last minute (UTC)").getLocalDateTimeCellValue());
      assertEquals(5, number(summaryValue(wb, "Views")), 0);
    }
    // The same start with an offset.
    r = run(args("--from", "2020-02-15T11:01:00+01:00", "--to", "2020-02-15T10:02:59Z",
        "--out", out.toString()));
    assertEquals(r.err, 0, r.status);
    try (XSSFWorkbook wb = new XSSFWorkbook(new File(out.toString()))) {
      assertEquals(5, number(summaryValue(wb, "Views")), 0);
    }
  }

  @Test
  public void anUnknownVideoIsAnEmptyReport() {
    Path out = outDir.resolve("empty.xlsx");
    Run r = run("--store", store.toString(), "--account", "1234", "--video", "7777",
        "--out", out.toString());
    assertEquals(r.err, 0, r.status);
    assertThat(r.out, containsString("no data for video 7777"));
    assertTrue(Files.exists(out));
  }

  @Test
  public void usageAndBadInput() {
    assertBadInput("store", run("--account", "1234", "--video", "5555", "--out", "x.xlsx"));
    assertBadInput("account", run("--store", store.toString(), "--video", "5555"));
    assertBadInput("video", run("--store", store.toString(), "--account", "1234"));
    assertBadInput("out", run(args()));
    assertBadInput("out", run(args("--out", outDir.resolve("no/such/dir/r.xlsx").toString())));
    assertBadInput("out", run(args("--out", outDir.toString())));
    assertBadInput("from", run(args("--from", "yesterday", "--out", "r.xlsx")));
    assertBadInput("to", run(args("--to")));
    assertBadInput("arguments", run(args("stray", "--out", "r.xlsx")));
    assertBadInput("to", run(args("--from", "2020-02-15T10:03Z", "--to", "2020-02-15T10:00Z",
        "--out", outDir.resolve("r.xlsx").toString())));
    assertBadInput("store", run("--store", tmp.getRoot().toPath().resolve("nowhere").toString(),
        "--account", "1234", "--video", "5555", "--out", outDir.resolve("r.xlsx").toString()));
    assertBadInput("options", run(args("--noSuchBeamOption=1", "--out",
        outDir.resolve("r.xlsx").toString())));
    assertFalse(Files.exists(outDir.resolve("r.xlsx")));
  }

  @Test
  public void help() {
    Run r = run("--help");
    assertEquals(0, r.status);
    assertThat(r.out, startsWith("usage: livemetrics export"));
  }

  @Test
  public void anUnreadableStoreIsAStoreFailureAndWritesNothing() throws IOException {
    Path out = outDir.resolve("broken.xlsx");
    Run r = run("--store", brokenStore.toString(), "--account", "1234", "--video", "5555",
        "--now", "2020-02-15T12:00:00Z", "--out", out.toString());
    assertEquals(r.err, 1, r.status);
    assertThat(r.err, startsWith("error: store: cannot read " + brokenStore + ": "));
    assertEquals(List.of(), list(outDir, "broken"));
  }

  private static List<Path> list(Path dir, String containing) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().contains(containing)).toList();
    }
  }

  @Test
  public void theReportIsWrittenLikeAnyNewFileAndAnEmptyOneNamesItsRange() throws Exception {
    Path out = outDir.resolve("mode.xlsx");
    Run r = run("--store", store.toString(), "--account", "1234", "--video", "7777",
        "--from", "2020-02-15T10:00:00Z", "--to", "1581764340000", "--out", out.toString());
    assertEquals(r.err, 0, r.status);
    // [10:00, 10:59] asked: the last minute is included, so the range read ends at 11:00.
    assertThat(r.out, containsString("no data for video 7777 in [2020-02-15T10:00:00Z,"
        + " 2020-02-15T11:00:00Z)"));
    // 0666 less this process's umask, as the shell's `>` would (not createTempFile's 0600).
    Process umask = new ProcessBuilder("sh", "-c", "umask").start();
    int mask = Integer.parseInt(new String(umask.getInputStream().readAllBytes(),
        StandardCharsets.US_ASCII).trim(), 8);
    java.util.Set<java.nio.file.attribute.PosixFilePermission> expected =
        java.nio.file.attribute.PosixFilePermissions.fromString(
            rwx(0666 & ~mask));
    assertEquals(expected, Files.getPosixFilePermissions(out));
  }

  private static String rwx(int mode) {
    StringBuilder b = new StringBuilder();
    for (int shift = 6; shift >= 0; shift -= 3) {
      int bits = (mode >> shift) & 7;
      b.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-')
          .append((bits & 1) != 0 ? 'x' : '-');
    }
    return b.toString();
  }
}
