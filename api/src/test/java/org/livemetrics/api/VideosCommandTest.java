package org.livemetrics.api;

import org.livemetrics.query.Rows;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.livemetrics.query.Rows.t;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.Test;
import org.livemetrics.query.InMemoryAggregateStore;
import org.livemetrics.testdata.ReferenceMetrics;

/** {@code livemetrics videos} and the listing behind it: which videos had viewers when. */
public class VideosCommandTest {

  private record Run(int status, String out, String err) {}

  private static Run videos(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = VideosCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  // ---------------------------------------------------------------------------------------------
  // The listing, on hand-made rows

  private static final InMemoryAggregateStore STORE = new InMemoryAggregateStore(List.of(
      // 1001 watched on the 22nd; 1002 loaded but never watched (impressions, ccu 0).
      Rows.video("1001", "2026-11-22T05:00").sessions(1, 3).views(3).build(),
      Rows.video("1001", "2026-11-22T23:59").sessions(1, 1).build(),
      Rows.video("1002", "2026-11-22T06:00").impressions(4).build(),
      // 1003 only on the 21st and at the first minute of the 23rd: outside [22nd, 23rd).
      Rows.video("1003", "2026-11-21T23:59").sessions(1, 2).build(),
      Rows.video("1003", "2026-11-23T00:00").sessions(1, 2).build(),
      // 1004 has only per-country rows, which the listing does not read.
      Rows.country("1004", "US", "2026-11-22T07:00").sessions(1, 1).build(),
      // Another account's video.
      Rows.video("2001", "2026-11-22T08:00").account("9999").sessions(1, 5).build()));

  @Test
  public void listsTheVideosOfTheAccountWithRowsInTheRange() throws Exception {
    List<VideoListing.Video> videos = VideoListing.videos(STORE, "1234", t("2026-11-22T00:00"),
        t("2026-11-23T00:00"));
    assertEquals(List.of(
        new VideoListing.Video("1001", 3, t("2026-11-22T05:00"), t("2026-11-22T23:59")),
        new VideoListing.Video("1002", 0, t("2026-11-22T06:00"), t("2026-11-22T06:00"))),
        videos);
    assertEquals(List.of(true, false),
        videos.stream().map(VideoListing.Video::hadViewers).toList());
  }

  @Test
  public void theRangeCoversTheMinutesOverlappingFromTo() throws Exception {
    // [21st 23:59:30, 22nd 05:00:00.001) overlaps 1003's 23:59 and 1001's 05:00.
    assertEquals(List.of("1001", "1003"), VideoListing.videos(STORE, "1234",
            t("2026-11-21T23:59") + 30_000, t("2026-11-22T05:00") + 1).stream()
        .map(VideoListing.Video::video).toList());
    assertEquals(List.of("2001"), VideoListing.videos(STORE, "9999", 0, Long.MAX_VALUE / 2)
        .stream().map(VideoListing.Video::video).toList());
    assertEquals(List.of(), VideoListing.videos(STORE, "5555", 0, Long.MAX_VALUE / 2));
  }

  // ---------------------------------------------------------------------------------------------
  // The command, on the sample store

  @Test
  public void listsTheSampleVideosThatHadViewers() {
    ReferenceMetrics.Result reference = SampleStore.reference();
    String want = reference.rows().entrySet().stream()
        .filter(e -> e.getKey().dimensionSet().equals("video") && e.getValue().ccu() > 0
            && e.getKey().minuteStartMs() >= SampleStore.FROM
            && e.getKey().minuteStartMs() < SampleStore.TO)
        .map(e -> e.getKey().video())
        .collect(Collectors.toCollection(TreeSet::new))
        .stream().map(v -> v + "\n").collect(Collectors.joining());
    assertEquals("6336854458112\n6373141262112\n", want);

    String store = SampleStore.get().toString();
    Run day = videos("--store", store, "--account", "default", "--from", "2026-11-22",
        "--to", "2026-11-23");
    assertEquals(day.err(), 0, day.status());
    assertEquals(want, day.out());
    Run hour = videos("--store=" + store, "--account=default", "--from=2026-11-22T06",
        "--to=2026-11-22T06:30:00Z");
    assertEquals(want, hour.out());
    assertEquals("", videos("--store", store, "--account", "default", "--from", "2026-11-22T08",
        "--to", "2026-11-23").out());
    assertEquals("", videos("--store", store, "--account", "someone-else", "--from",
        "2026-11-22", "--to", "2026-11-23").out());
  }

  @Test
  public void usageErrorsNameTheOption() {
    Run noAccount = videos("--store", "/tmp", "--from", "2026-11-22", "--to", "2026-11-23");
    assertEquals(2, noAccount.status());
    assertThat(noAccount.err(), containsString("error: account: is required"));
    Run badTime = videos("--store", "/tmp", "--account", "1", "--from", "yesterday",
        "--to", "2026-11-23");
    assertEquals(2, badTime.status());
    assertThat(badTime.err(), containsString("error: from: cannot read 'yesterday'"));
    Run backwards = videos("--store", "/tmp", "--account", "1", "--from", "2026-11-23",
        "--to", "2026-11-22");
    assertEquals(2, backwards.status());
    assertThat(backwards.err(), containsString("error: to:"));
    Run noStore = videos("--store", "/no/such/store", "--account", "1", "--from", "2026-11-22",
        "--to", "2026-11-23");
    assertEquals(2, noStore.status());
    assertThat(noStore.err(), containsString("error: store: no such directory"));
    assertEquals(0, videos("--help").status());
  }
}
