package org.livemetrics.query;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Issue 15 in the query command: ISO-8601 and epoch ms alike for from/to (an extension to the
 * API) and --now, the range an empty answer read, and "did you mean" for unknown names.
 */
public class TimesAndNamesTest {
  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();
  private static Path store;

  @BeforeClass
  public static void writeStore() throws IOException {
    store = tmp.newFolder("store").toPath();
    new ParquetStoreWriter(store).writeAll("r", List.of(
        Rows.video("5555", "2020-02-15T10:00").sessions(1, 3).views(2).build()));
  }

  private static final String BODY = "{\"ccu\":{\"data\":[{\"dimensions\":{\"account\":\"1234\","
      + "\"video\":\"5555\"},\"points\":[{\"timestamp\":1581760800000,\"value\":3}]}]}}\n";

  @Test
  public void fromAndToTakeIsoAndEpochMillisAlike() {
    // 2020-02-15T10:00:00Z is 1581760800000 ms (18307 days x 86400000 + 10 h).
    String ts = "/v1/timeseries/accounts/1234?dimensions=video&metrics=ccu&where=video==5555";
    QueryCommandTest.Run epoch = QueryCommandTest.run("--store", store.toString(),
        ts + "&from=1581760800000&to=1581764400000");
    QueryCommandTest.Run iso = QueryCommandTest.run("--store", store.toString(),
        ts + "&from=2020-02-15T10:00:00Z&to=2020-02-15T11");
    assertEquals(epoch.err(), BODY, epoch.out());
    assertEquals(iso.err(), BODY, iso.out());
    assertEquals("", iso.err());
  }

  @Test
  public void anEmptyAnswerSaysWhichRangeItRead() {
    // --now as ISO; the default range is the 32 days before it: 2020-02-17 (2020 is a leap year).
    QueryCommandTest.Run r = QueryCommandTest.run("--store", store.toString(), "--now",
        "2020-03-20T00:00:00Z", "/v1/events/accounts/1234?dimensions=video&metrics=video_view"
            + "&where=video==5555");
    assertEquals(0, r.status());
    assertEquals("{\"data\":[]}\n", r.out());
    assertEquals("livemetrics query: no rows in [2020-02-17T00:00:00Z, 2020-03-20T00:00:00Z)"
        + " (from=1581897600000&to=1584662400000); give from and to for another range\n", r.err());
  }

  @Test
  public void unknownNamesGetTheClosestKnownOne() {
    QueryCommandTest.Run r = QueryCommandTest.run("--store", store.toString(),
        "/v1/timeseries/accounts/1234?dimensions=video&metrics=ccv&where=video==5555");
    assertEquals(2, r.status());
    assertThat(r.err(), containsString("error: metrics: unknown metric 'ccv' (did you mean 'ccu'?)"));
    r = QueryCommandTest.run("--store", store.toString(),
        "/v1/timeseries/accounts/1234?dimensions=vidoe&metrics=ccu&where=video==5555");
    assertThat(r.err(), containsString("unknown dimension 'vidoe' (did you mean 'video'?)"));
    r = QueryCommandTest.run("--store", store.toString(), "/v1/timeseries/accounts/1234"
        + "?dimensions=video&metrics=ccu&where=video==5555&from=yesterday");
    assertThat(r.err(), containsString("error: from: cannot read 'yesterday' as a time"));
  }

  @Test
  public void aDimensionOfAnotherFamilyNamesThatFamilysDimensions() {
    QueryCommandTest.Run r = QueryCommandTest.run("--store", store.toString(),
        "/v1/events/accounts/1234?dimensions=region&where=video==5555");
    assertEquals(2, r.status());
    assertThat(r.err(), containsString("error: dimensions: 'region' is not a supported combination"
        + " of audience metrics; use video or video,country or video,device_type; broadcast"
        + " metrics ("));
    assertThat(r.err(), containsString(") take (none) | region | region,channel\n"));
  }
}
