package org.livemetrics.query;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ChannelInputFileTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  /**
   * A streaming job that writes a flush again after a restart replaces the part file under its
   * name (an atomic rename) while a query may have listed the old one: the reader must read the
   * file it opened, whole, not look for its footer at the listed length.
   */
  @Test
  public void aPartFileReplacedAfterItWasListedIsReadAsTheFileOpened() throws Exception {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    ParquetStoreWriter writer = new ParquetStoreWriter(tmp.newFolder("store").toPath());
    Path listed = writer.write("2020-02-15T10", "s1", 0, List.of(
        Rows.video("5555", "2020-02-15T10:00").views(1).build()));
    MatchResult.Metadata metadata =
        FileSystems.match(listed.toString()).metadata().get(0);

    Path rewritten = writer.write("2020-02-15T10", "s2", 0, List.of(
        Rows.video("5555", "2020-02-15T10:00").views(2).build(),
        Rows.video("5555", "2020-02-15T10:01").views(3).build(),
        Rows.video("5555", "2020-02-15T10:02").views(4).build()));
    assertNotEquals("the test needs files of different lengths",
        Files.size(listed), Files.size(rewritten));
    Files.move(rewritten, listed, StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);

    try (ParquetFileReader reader = ParquetFileReader.open(new ChannelInputFile(metadata))) {
      assertEquals(3, reader.getRecordCount());
    }
  }
}
