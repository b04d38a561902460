package org.livemetrics.testdata;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The checked-in sample is what its config generates, and holds what the README says. */
public class SampleArchiveTest {

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  /** Object path → its records' bytes (gunzipped: zlib versions may compress differently). */
  private static Map<String, byte[]> records(Path root) throws IOException {
    Map<String, byte[]> m = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
        byte[] b = Files.readAllBytes(f);
        if (b.length > 1 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
          try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
            b = in.readAllBytes();
          }
        }
        m.put(root.relativize(f).toString(), b);
      }
    }
    return m;
  }

  @Test
  public void checkedInSampleIsWhatTheConfigGenerates() throws IOException {
    Path fresh = TMP.newFolder().toPath();
    new ArchiveGenerator(SampleArchive.config()).generate(fresh);
    Map<String, byte[]> expected = records(fresh);
    Map<String, byte[]> actual = records(SampleArchive.locate());
    assertEquals("Regenerate the sample (see testdata/README.md)", expected.keySet(),
        actual.keySet());
    expected.forEach((name, bytes) -> assertArrayEquals(name, bytes, actual.get(name)));
  }

  @Test
  public void sampleHoldsWhatTheReadmeSays() throws IOException {
    Path sample = SampleArchive.locate();
    ReferenceMetrics.Result r = ReferenceMetrics.withDefaults().compute(sample);
    assertEquals(5_972, r.validRecords());
    assertEquals(
        Map.of("malformed_json", 10L, "not_an_object", 3L, "missing_field", 7L, "invalid_field", 6L),
        r.badRecordsByReason());
    assertEquals(44, r.files());
    Set<String> videos = new TreeSet<>();
    Set<String> accounts = new TreeSet<>();
    for (ReferenceMetrics.RowKey k : r.rows().keySet()) {
      videos.add(k.video());
      accounts.add(k.account());
    }
    assertEquals(Set.of("6336854458112", "6373141262112"), videos);
    assertEquals(Set.of("default"), accounts);
    // Two hours of events, and the stragglers of the last minutes in the hour after.
    try (Stream<Path> hours = Files.list(sample.resolve("2026/11/22"))) {
      assertEquals(Set.of("05", "06", "07"),
          hours.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
    }
    assertTrue(r.rows().keySet().stream().allMatch(k -> k.minuteStartMs() >= 1_795_323_600_000L
        && k.minuteStartMs() < 1_795_323_600_000L + 2 * 3_600_000L));
  }
}
