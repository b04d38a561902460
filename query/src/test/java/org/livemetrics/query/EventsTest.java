package org.livemetrics.query;

import static org.junit.Assert.assertEquals;
import static org.livemetrics.query.Rows.t;
import static org.livemetrics.query.TimeseriesTest.answer;

import java.io.IOException;
import java.util.List;
import org.junit.Test;
import org.livemetrics.schemas.MinuteAggregate;

/** {@code /v1/events} semantics over an in-memory store; expected bodies written by hand. */
public class EventsTest {
  private static final String EV = "/v1/events/accounts/1234?dimensions=video&where=video==5555";

  private static String totals(String video, String totals) {
    return "{\"dimensions\":{\"account\":\"1234\",\"video\":\"" + video + "\"},\"totals\":{"
        + totals + "}}";
  }

  // Viewers stay across minutes: the same sessions and devices appear in several rows.
  private static final List<MinuteAggregate> OVERLAPPING = List.of(
      Rows.video("5555", "2020-02-15T10:00").sessions(1, 10).fingerprints(1, 6)
          .views(10).impressions(12).secondsViewedMs(300_000).ads(1).build(),
      Rows.video("5555", "2020-02-15T10:01").sessions(5, 15).fingerprints(4, 9)
          .views(5).impressions(5).secondsViewedMs(600_500).ads(0).build(),
      Rows.video("5555", "2020-02-15T10:02").sessions(14, 20).fingerprints(9, 12)
          .views(0).impressions(1).secondsViewedMs(420_000).ads(2).build());

  @Test
  public void uniqueMetricsAreDistinctOverTheRangeAndTheOthersSums() throws IOException {
    String body = answer(OVERLAPPING, EV + "&metrics=ccu,fingerprint_count,video_view,"
        + "video_impression,video_seconds_viewed,alive_ss_ad_start&from=" + t("2020-02-15T10:00"));
    // Sessions 1-10 ∪ 5-15 ∪ 14-20 = 1-20: 20 (the per-minute counts 10 + 11 + 7 would say 28).
    // Devices 1-6 ∪ 4-9 ∪ 9-12 = 1-12: 12 (per-minute 6 + 6 + 4 = 16).
    // views 10+5+0, impressions 12+5+1, seconds (300000+600500+420000) ms, ads 1+0+2.
    assertEquals("{\"data\":[" + totals("5555", "\"ccu\":20,\"fingerprint_count\":12,"
        + "\"video_view\":15,\"video_impression\":18,\"video_seconds_viewed\":1320.5,"
        + "\"alive_ss_ad_start\":3") + "]}", body);
  }

  @Test
  public void theRangeCoversWholeMinutesFromFromToTo() throws IOException {
    // from 10:00:59.999 floors to 10:00; to 10:01:00.000 includes the minute 10:01; 10:02 is out.
    String body = answer(OVERLAPPING, EV + "&metrics=ccu,video_view&from="
        + (t("2020-02-15T10:00") + 59_999) + "&to=" + t("2020-02-15T10:01"));
    // Sessions 1-10 ∪ 5-15 = 15; views 10 + 5.
    assertEquals("{\"data\":[" + totals("5555", "\"ccu\":15,\"video_view\":15") + "]}", body);

    body = answer(OVERLAPPING, EV + "&metrics=ccu,video_view&from="
        + (t("2020-02-15T10:01") + 1) + "&to=" + (t("2020-02-15T10:02") - 1));
    assertEquals("{\"data\":[" + totals("5555", "\"ccu\":11,\"video_view\":5") + "]}", body);
  }

  @Test
  public void oneEntryPerVideoSortedWithItsOwnDistinctCounts() throws IOException {
    List<MinuteAggregate> rows = List.of(
        Rows.video("5556", "2020-02-15T10:00").fingerprints(1, 5).build(),
        Rows.video("5555", "2020-02-15T10:00").fingerprints(1, 5).build(),
        Rows.video("5555", "2020-02-15T10:01").fingerprints(3, 7).build(),
        Rows.video("5557", "2020-02-15T10:00").fingerprints(1, 100).build()); // not asked for
    String body = answer(rows, "/v1/events/accounts/1234?dimensions=video&where=video==5556,5555"
        + "&metrics=fingerprint_count&from=" + t("2020-02-15T10:00"));
    // The same device keys in two videos count in each: 5555 has 1-7, 5556 has 1-5.
    assertEquals("{\"data\":[" + totals("5555", "\"fingerprint_count\":7") + ","
        + totals("5556", "\"fingerprint_count\":5") + "]}", body);
  }

  @Test
  public void byCountryWithASecondaryFilter() throws IOException {
    List<MinuteAggregate> rows = List.of(
        Rows.country("5555", "US", "2020-02-15T10:00").fingerprints(1, 3).views(3).build(),
        Rows.country("5555", "US", "2020-02-15T10:01").fingerprints(2, 4).views(1).build(),
        Rows.country("5555", "BR", "2020-02-15T10:00").fingerprints(10, 11).views(2).build(),
        Rows.country("5555", "FR", "2020-02-15T10:00").fingerprints(20, 29).views(9).build());
    String body = answer(rows, "/v1/events/accounts/1234?dimensions=country,video"
        + "&where=country==US,BR;video==5555&metrics=video_view,fingerprint_count&from="
        + t("2020-02-15T10:00"));
    assertEquals("{\"data\":["
        + "{\"dimensions\":{\"account\":\"1234\",\"video\":\"5555\",\"country\":\"BR\"},"
        + "\"totals\":{\"video_view\":2,\"fingerprint_count\":2}},"
        + "{\"dimensions\":{\"account\":\"1234\",\"video\":\"5555\",\"country\":\"US\"},"
        + "\"totals\":{\"video_view\":4,\"fingerprint_count\":4}}"
        + "]}", body);
  }

  @Test
  public void defaultRangeIsThe32DaysBeforeNow() throws IOException {
    // now is 2020-02-15T12:00 (TimeseriesTest's clock); the range starts 2020-01-14T12:00.
    List<MinuteAggregate> rows = List.of(
        Rows.video("5555", "2020-01-14T11:59").views(1).sessions(1, 1).build(),
        Rows.video("5555", "2020-01-14T12:00").views(2).sessions(2, 2).build(),
        Rows.video("5555", "2020-02-15T12:00").views(4).sessions(3, 3).build(),
        Rows.video("5555", "2020-02-15T12:01").views(8).sessions(4, 4).build());
    assertEquals("{\"data\":[" + totals("5555", "\"video_view\":6,\"ccu\":2") + "]}",
        answer(rows, EV + "&metrics=video_view,ccu"));
  }

  @Test
  public void noDataGivesAnEmptyList() throws IOException {
    assertEquals("{\"data\":[]}", answer(List.of(), EV + "&metrics=ccu"));
  }
}
