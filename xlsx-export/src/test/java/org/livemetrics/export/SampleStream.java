package org.livemetrics.export;

import org.livemetrics.query.Rows;
import java.util.List;
import org.livemetrics.query.InMemoryAggregateStore;
import org.livemetrics.schemas.MinuteAggregate;

/**
 * A small stream whose report the tests work out by hand: video 5555 of account 1234 on
 * 2020-02-15, minutes 10:00, 10:01 and 10:03 (nothing at 10:02), by video, device type and country,
 * plus rows of another video and another account that the report must leave out.
 *
 * <pre>
 * minute  sessions  devices   views  impressions  seconds viewed  ad starts
 * 10:00   1-10      1-6       10     12           300.000         1
 * 10:01   5-20      4-12       5      6           600.500         0
 * 10:03   18-25     11-15      2      3           420.250         2
 *
 * device type  minute  devices  views  seconds       country  minute  devices  views  seconds
 * desktop      10:00   1-4      6      200.000       US       10:00   1-3      5      150.000
 * mobile       10:00   5-6      4      100.000       BR       10:00   4-6      5      150.000
 * desktop      10:01   4-8      3      400.500       US       10:01   2-7      3      300.000
 * smart_tv     10:01   9-12     2      200.000       DE       10:01   8-12     2      300.500
 * mobile       10:03   11-15    2      420.250       unknown  10:03   11-15    2      420.250
 * </pre>
 */
final class SampleStream {
  private SampleStream() {}

  static final List<MinuteAggregate> ROWS = List.of(
      Rows.video("5555", "2020-02-15T10:00").sessions(1, 10).fingerprints(1, 6)
          .views(10).impressions(12).secondsViewedMs(300_000).ads(1).build(),
      Rows.video("5555", "2020-02-15T10:01").sessions(5, 20).fingerprints(4, 12)
          .views(5).impressions(6).secondsViewedMs(600_500).ads(0).build(),
      Rows.video("5555", "2020-02-15T10:03").sessions(18, 25).fingerprints(11, 15)
          .views(2).impressions(3).secondsViewedMs(420_250).ads(2).build(),

      Rows.device("5555", "desktop", "2020-02-15T10:00").fingerprints(1, 4).views(6)
          .secondsViewedMs(200_000).build(),
      Rows.device("5555", "mobile", "2020-02-15T10:00").fingerprints(5, 6).views(4)
          .secondsViewedMs(100_000).build(),
      Rows.device("5555", "desktop", "2020-02-15T10:01").fingerprints(4, 8).views(3)
          .secondsViewedMs(400_500).build(),
      Rows.device("5555", "smart_tv", "2020-02-15T10:01").fingerprints(9, 12).views(2)
          .secondsViewedMs(200_000).build(),
      Rows.device("5555", "mobile", "2020-02-15T10:03").fingerprints(11, 15).views(2)
          .secondsViewedMs(420_250).build(),

      Rows.country("5555", "US", "2020-02-15T10:00").fingerprints(1, 3).views(5)
          .secondsViewedMs(150_000).build(),
      Rows.country("5555", "BR", "2020-02-15T10:00").fingerprints(4, 6).views(5)
          .secondsViewedMs(150_000).build(),
      Rows.country("5555", "US", "2020-02-15T10:01").fingerprints(2, 7).views(3)
          .secondsViewedMs(300_000).build(),
      Rows.country("5555", "DE", "2020-02-15T10:01").fingerprints(8, 12).views(2)
          .secondsViewedMs(300_500).build(),
      Rows.country("5555", "unknown", "2020-02-15T10:03").fingerprints(11, 15).views(2)
          .secondsViewedMs(420_250).build(),

      // Not in the report: another video, and the same video id in another account.
      Rows.video("5556", "2020-02-15T10:02").sessions(1, 500).fingerprints(1, 400)
          .views(900).impressions(900).secondsViewedMs(9_000_000).ads(9).build(),
      Rows.device("5556", "tablet", "2020-02-15T10:02").fingerprints(1, 400).views(900).build(),
      Rows.country("5556", "FR", "2020-02-15T10:02").fingerprints(1, 400).views(900).build(),
      Rows.video("5555", "2020-02-15T09:59").account("9999").sessions(1, 99).views(99).build(),
      Rows.country("5555", "JP", "2020-02-15T10:04").account("9999").fingerprints(1, 9)
          .views(99).build());

  static InMemoryAggregateStore store() {
    return new InMemoryAggregateStore(ROWS);
  }
}
