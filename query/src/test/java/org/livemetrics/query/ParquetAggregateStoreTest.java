package org.livemetrics.query;

import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_VIEW_FIELD;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.livemetrics.query.Rows.t;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.MinuteAggregate;

public class ParquetAggregateStoreTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private Path root;
  private ParquetStoreWriter writer;
  private ParquetAggregateStore store;

  @Before
  public void setUp() throws IOException {
    root = tmp.newFolder("store").toPath();
    writer = new ParquetStoreWriter(root);
    store = new ParquetAggregateStore(root.toString(), PipelineOptionsFactory.create());
  }

  @After
  public void tearDown() {
    store.close();
  }

  private static AggregateSelection video5555(String fromMinute, String toMinute,
      boolean sketches) {
    return new AggregateSelection("1234", DimensionSet.VIDEO, Set.of("5555"), Set.of(),
        t(fromMinute), t(toMinute), sketches);
  }

  private static List<Long> views(List<MinuteAggregate> rows) {
    return rows.stream().map(r -> r.count(VIDEO_VIEW_FIELD)).toList();
  }

  @Test
  public void readsOnlyTheCommittedRunOfAMarkedHourAndAllFilesOfAnUnmarkedOne() throws Exception {
    // 10:00 was recomputed: run "old" is superseded by run "new".
    writer.write("2020-02-15T10", "old", 0, List.of(
        Rows.video("5555", "2020-02-15T10:00").views(100).build(),
        Rows.video("5555", "2020-02-15T10:20").views(200).build()));
    writer.write("2020-02-15T10", "new", 0, List.of(
        Rows.video("5555", "2020-02-15T10:00").views(7).build()));
    writer.write("2020-02-15T10", "new", 1, List.of(
        Rows.video("5555", "2020-02-15T10:05").views(1).build()));
    writer.commit("2020-02-15T10", "new\n");
    // 11:00 is written by the streaming pipeline: no marker, two files.
    writer.write("2020-02-15T11", "s1", 0, List.of(
        Rows.video("5555", "2020-02-15T11:00").views(2).build()));
    writer.write("2020-02-15T11", "s2", 0, List.of(
        Rows.video("5555", "2020-02-15T11:30").views(3).build()));

    List<MinuteAggregate> rows = store.readAll(video5555("2020-02-15T10:00", "2020-02-15T11:59",
        false));

    assertEquals(List.of(7L, 1L, 2L, 3L), views(rows));
  }

  @Test
  public void aStreamedRowIsItsHighestVersionWhateverTheFileOrder() throws Exception {
    // Three flushes of the streaming pipeline: 10:00 grew from 1 to 3 views (a late correction
    // flushed last), 10:01 was written once. Files are read in name order, versions decide.
    writer.writeVersion("2020-02-15T10", "stream", 2, List.of(
        Rows.video("5555", "2020-02-15T10:00").views(1).sessions(1, 1).build()), 0);
    writer.writeVersion("2020-02-15T10", "stream", 0, List.of(
        Rows.video("5555", "2020-02-15T10:00").views(3).sessions(1, 3).build(),
        Rows.video("5555", "2020-02-15T10:01").views(5).build()), 4);
    writer.writeVersion("2020-02-15T10", "stream", 1, List.of(
        Rows.video("5555", "2020-02-15T10:00").views(2).sessions(1, 2).build()), 1);

    for (boolean sketches : new boolean[] {false, true}) {
      List<MinuteAggregate> rows =
          store.readAll(video5555("2020-02-15T10:00", "2020-02-15T10:59", sketches));
      assertEquals(List.of(3L, 5L), views(rows));
    }
  }

  @Test
  public void listsOnlyHourPartitionsOverlappingTheRange() throws Exception {
    // Not Parquet at all: reading it would fail, so a passing read proves it was skipped.
    Files.writeString(writer.partition("2020-02-15T09").resolve("part-x-00000.parquet"), "junk");
    writer.write("2020-02-15T10", "r", 0, List.of(
        Rows.video("5555", "2020-02-15T10:59").views(1).build()));
    writer.write("2020-02-15T11", "r", 0, List.of(
        Rows.video("5555", "2020-02-15T11:00").views(2).build()));
    writer.write("2020-02-15T12", "r", 0, List.of(
        Rows.video("5555", "2020-02-15T12:00").views(4).build()));
    writer.write("2020-02-16T10", "r", 0, List.of(
        Rows.video("5555", "2020-02-16T10:30").views(8).build()));

    AggregateSelection tenToEleven = video5555("2020-02-15T10:30", "2020-02-15T11:59", false);
    List<String> files = store.filesToRead(tenToEleven).stream()
        .map(f -> root.relativize(Path.of(f.resourceId().toString())).toString()).toList();
    assertEquals(List.of(
        "aggregates/hour=2020-02-15T10/part-r-00000.parquet",
        "aggregates/hour=2020-02-15T11/part-r-00000.parquet"), files);
    assertEquals(List.of(1L, 2L), views(store.readAll(tenToEleven)));

    // A range from the 15th into the 16th lists across days.
    assertEquals(List.of(2L, 4L, 8L), views(store.readAll(
        video5555("2020-02-15T11:00", "2020-02-16T23:59", false))));

    IOException e = assertThrows(IOException.class,
        () -> store.readAll(video5555("2020-02-15T09:30", "2020-02-15T10:00", false)));
    assertThat(e.getMessage(), containsString("hour=2020-02-15T09/part-x-00000.parquet"));
  }

  @Test
  public void returnsOnlyTheSelectedRowsOfAFile() throws Exception {
    writer.write("2020-02-15T10", "r", 0, List.of(
        Rows.video("5555", "2020-02-15T10:09").views(1).build(), // before the range
        Rows.video("5555", "2020-02-15T10:10").views(2).build(),
        Rows.video("5556", "2020-02-15T10:10").views(4).build(), // other video
        Rows.video("5555", "2020-02-15T10:11").account("9999").views(8).build(), // other account
        Rows.country("5555", "US", "2020-02-15T10:11").views(16).build(), // other dimension set
        Rows.video("5555", "2020-02-15T10:12").views(32).build(),
        Rows.video("5555", "2020-02-15T10:13").views(64).build())); // after the range

    assertEquals(List.of(2L, 32L),
        views(store.readAll(video5555("2020-02-15T10:10", "2020-02-15T10:12", false))));

    AggregateSelection us = new AggregateSelection("1234", DimensionSet.VIDEO_COUNTRY,
        Set.of("5555"), Set.of("US"), t("2020-02-15T10:00"), t("2020-02-15T10:59"), false);
    assertEquals(List.of(16L), views(store.readAll(us)));
  }

  @Test
  public void readsSketchesOnlyWhenAsked() throws Exception {
    MinuteAggregate row = Rows.video("5555", "2020-02-15T10:00").sessions(1, 30)
        .fingerprints(1, 20).views(3).impressions(4).ads(5).secondsViewedMs(61_500).build();
    writer.write("2020-02-15T10", "r", 0, List.of(row));

    List<MinuteAggregate> withSketches =
        store.readAll(video5555("2020-02-15T10:00", "2020-02-15T10:00", true));
    assertEquals(List.of(row), withSketches);

    MinuteAggregate light =
        store.readAll(video5555("2020-02-15T10:00", "2020-02-15T10:00", false)).get(0);
    assertEquals(row.toString(), light.toString()); // every value, no sketch bytes
    assertEquals(30, light.ccu);
    assertEquals(20, light.fingerprintCount);
    assertArrayEquals(new byte[0], light.sessionSketch);
    assertArrayEquals(new byte[0], light.fingerprintSketch);
  }

  @Test
  public void readsEveryCompressionTheWritersMayUse() throws Exception {
    writer.write("2020-02-15T10", "a", 0, List.of(
        Rows.video("5555", "2020-02-15T10:00").views(1).build()),
        CompressionCodecName.UNCOMPRESSED);
    writer.write("2020-02-15T10", "b", 0, List.of(
        Rows.video("5555", "2020-02-15T10:01").views(2).build()), CompressionCodecName.GZIP);
    writer.write("2020-02-15T10", "c", 0, List.of(
        Rows.video("5555", "2020-02-15T10:02").views(4).build()), CompressionCodecName.ZSTD);

    assertEquals(List.of(1L, 2L, 4L),
        views(store.readAll(video5555("2020-02-15T10:00", "2020-02-15T10:59", false))));
  }

  @Test
  public void anEmptyStoreHasNoRows() throws Exception {
    assertTrue(store.readAll(video5555("2020-02-15T10:00", "2020-02-15T10:59", true)).isEmpty());
  }

  @Test
  public void anEmptyMarkerIsAnError() throws Exception {
    writer.write("2020-02-15T10", "r", 0, List.of(
        Rows.video("5555", "2020-02-15T10:00").views(1).build()));
    writer.commit("2020-02-15T10", " \n");
    IOException e = assertThrows(IOException.class,
        () -> store.readAll(video5555("2020-02-15T10:00", "2020-02-15T10:59", false)));
    assertThat(e.getMessage(), containsString("_COMMITTED is empty"));
  }
}
