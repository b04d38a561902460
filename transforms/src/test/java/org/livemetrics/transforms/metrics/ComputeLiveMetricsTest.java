package org.livemetrics.transforms.metrics;

import static org.junit.Assert.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;
import org.livemetrics.schemas.DeviceType;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.DistinctSketch;
import org.livemetrics.schemas.MetricType;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.PlayerEvent;

/**
 * The metric definitions on a small hand-made story; every expected row below was worked out by
 * hand from the events, not by running the code.
 */
public class ComputeLiveMetricsTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final long T0 = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();

  private static long at(int minute, int second) {
    return T0 + minute * 60_000L + second * 1000L;
  }

  private static PlayerEvent event(
      MetricType type, long time, long fp, String session, String country, DeviceType device) {
    return PlayerEvent.builder()
        .metricType(type)
        .eventTime(time)
        .account("1234")
        .video("5555")
        .sessionId(session)
        .country(country)
        .deviceType(device)
        .fingerprint(fp)
        .build();
  }

  private static PlayerEvent summary(
      long time, long fp, String session, String country, DeviceType device, long playing, long buffering) {
    PlayerEvent.Builder b = PlayerEvent.builder()
        .metricType(MetricType.PLAYBACK_SUMMARY)
        .eventTime(time)
        .account("1234")
        .video("5555")
        .sessionId(session)
        .country(country)
        .deviceType(device)
        .fingerprint(fp);
    return b.playingTimeMs(playing).bufferingTimeMs(buffering).build();
  }

  /**
   * Viewer A (device 1, US, desktop) plays from 10:00:58 with summaries every 61 s; a second session
   * of the same device starts at 10:03:50; viewer C (GB, mobile) only loads the player; viewer D
   * (FR, tablet) sends one summary claiming an hour, which is clamped to 5 minutes.
   */
  private static List<PlayerEvent> story() {
    List<PlayerEvent> e = new ArrayList<>();
    e.add(event(MetricType.IMPRESSION, at(0, 5), 1, "a1", "US", DeviceType.DESKTOP));
    e.add(event(MetricType.PLAY, at(0, 58), 1, "a1", "US", DeviceType.DESKTOP));
    // Covers 10:00:59-10:02:00: marks 10:00 and 10:01 (10:01 has no event of its own), own 10:02.
    e.add(summary(at(2, 0), 1, "a1", "US", DeviceType.DESKTOP, 60_000, 1_000));
    e.add(event(MetricType.AD_START, at(2, 30), 1, "a1", "US", DeviceType.DESKTOP));
    // 61 s later: covers 10:02:00-10:03:01 (10:02, 10:03), own 10:03.
    e.add(summary(at(3, 1), 1, "a1", "US", DeviceType.DESKTOP, 59_500, 1_500));
    e.add(event(MetricType.STOP, at(3, 40), 1, "a1", "US", DeviceType.DESKTOP));
    e.add(event(MetricType.PLAY, at(3, 50), 1, "a2", "US", DeviceType.DESKTOP));
    e.add(event(MetricType.IMPRESSION, at(1, 30), 2, "c1", "GB", DeviceType.MOBILE));
    // Claims an hour: clamped to [10:05:00, 10:10:00) plus its own minute 10:10.
    e.add(summary(at(10, 0), 3, "d1", "FR", DeviceType.TABLET, 3_600_000, 0));
    return e;
  }

  private static PCollection<String> described(
      PCollection<MinuteAggregate> rows, DimensionSet set) {
    return rows.apply("Only " + set, Filter.by(r -> r.dimensionSet == set))
        .apply("Describe " + set, MapElements.into(TypeDescriptors.strings()).via(MinuteAggregate::toString));
  }

  private static String row(
      DimensionSet set, String secondary, int minute, long imp, long views, long ads, long ms, long ccu, long fps) {
    return set.id() + "[1234/5555" + (secondary == null ? "" : "/" + secondary) + " @"
        + (T0 + minute * 60_000L) + "] impressions=" + imp + " views=" + views + " ads=" + ads
        + " viewed_ms=" + ms + " ccu=" + ccu + " fingerprints=" + fps;
  }

  @Test
  public void everyMetricByVideo() {
    PCollection<MinuteAggregate> rows =
        p.apply(Create.of(story()))
            .apply(ComputeLiveMetrics.withMaxSummarySpan(Duration.ofMinutes(5)));
    DimensionSet v = DimensionSet.VIDEO;
    PAssert.that(described(rows, v))
        .containsInAnyOrder(
            row(v, null, 0, 1, 1, 0, 0, 1, 1),
            row(v, null, 1, 1, 0, 0, 0, 1, 1), // A through the summary's span only; C not viewing
            row(v, null, 2, 0, 0, 1, 60_000, 1, 1),
            row(v, null, 3, 0, 1, 0, 59_500, 2, 1), // two sessions, one device
            row(v, null, 5, 0, 0, 0, 0, 1, 1),
            row(v, null, 6, 0, 0, 0, 0, 1, 1),
            row(v, null, 7, 0, 0, 0, 0, 1, 1),
            row(v, null, 8, 0, 0, 0, 0, 1, 1),
            row(v, null, 9, 0, 0, 0, 0, 1, 1),
            row(v, null, 10, 0, 0, 0, 3_600_000, 1, 1));
    p.run();
  }

  @Test
  public void sameRowsWhenPartialRowsAreEmittedEarly() {
    // A bound of 1 entry emits the buffered rows after every event: merging them later must give
    // exactly the rows of everyMetricByVideo.
    PCollection<MinuteAggregate> rows =
        p.apply(Create.of(story()))
            .apply(ComputeLiveMetrics.withMaxSummarySpan(Duration.ofMinutes(5)).withMaxBufferedEntries(1));
    DimensionSet v = DimensionSet.VIDEO;
    PAssert.that(described(rows, v))
        .containsInAnyOrder(
            row(v, null, 0, 1, 1, 0, 0, 1, 1),
            row(v, null, 1, 1, 0, 0, 0, 1, 1),
            row(v, null, 2, 0, 0, 1, 60_000, 1, 1),
            row(v, null, 3, 0, 1, 0, 59_500, 2, 1),
            row(v, null, 5, 0, 0, 0, 0, 1, 1),
            row(v, null, 6, 0, 0, 0, 0, 1, 1),
            row(v, null, 7, 0, 0, 0, 0, 1, 1),
            row(v, null, 8, 0, 0, 0, 0, 1, 1),
            row(v, null, 9, 0, 0, 0, 0, 1, 1),
            row(v, null, 10, 0, 0, 0, 3_600_000, 1, 1));
    p.run();
  }

  @Test
  public void byCountryAndDeviceType() {
    PCollection<MinuteAggregate> rows =
        p.apply(Create.of(story()))
            .apply(ComputeLiveMetrics.withMaxSummarySpan(Duration.ofMinutes(5)));
    DimensionSet c = DimensionSet.VIDEO_COUNTRY;
    PAssert.that(described(rows, c))
        .containsInAnyOrder(
            row(c, "US", 0, 1, 1, 0, 0, 1, 1),
            row(c, "US", 1, 0, 0, 0, 0, 1, 1),
            row(c, "GB", 1, 1, 0, 0, 0, 0, 0),
            row(c, "US", 2, 0, 0, 1, 60_000, 1, 1),
            row(c, "US", 3, 0, 1, 0, 59_500, 2, 1),
            row(c, "FR", 5, 0, 0, 0, 0, 1, 1),
            row(c, "FR", 6, 0, 0, 0, 0, 1, 1),
            row(c, "FR", 7, 0, 0, 0, 0, 1, 1),
            row(c, "FR", 8, 0, 0, 0, 0, 1, 1),
            row(c, "FR", 9, 0, 0, 0, 0, 1, 1),
            row(c, "FR", 10, 0, 0, 0, 3_600_000, 1, 1));
    DimensionSet d = DimensionSet.VIDEO_DEVICE_TYPE;
    PAssert.that(described(rows, d))
        .containsInAnyOrder(
            row(d, "desktop", 0, 1, 1, 0, 0, 1, 1),
            row(d, "desktop", 1, 0, 0, 0, 0, 1, 1),
            row(d, "mobile", 1, 1, 0, 0, 0, 0, 0),
            row(d, "desktop", 2, 0, 0, 1, 60_000, 1, 1),
            row(d, "desktop", 3, 0, 1, 0, 59_500, 2, 1),
            row(d, "tablet", 5, 0, 0, 0, 0, 1, 1),
            row(d, "tablet", 6, 0, 0, 0, 0, 1, 1),
            row(d, "tablet", 7, 0, 0, 0, 0, 1, 1),
            row(d, "tablet", 8, 0, 0, 0, 0, 1, 1),
            row(d, "tablet", 9, 0, 0, 0, 0, 1, 1),
            row(d, "tablet", 10, 0, 0, 0, 3_600_000, 1, 1));
    p.run();
  }

  @Test
  public void minuteRangeKeepsOnlyItsMinutes() {
    PCollection<MinuteAggregate> rows =
        p.apply(Create.of(story()))
            .apply(
                ComputeLiveMetrics.withMaxSummarySpan(Duration.ofMinutes(5))
                    .withMinuteRange(at(1, 0), at(3, 0)));
    DimensionSet v = DimensionSet.VIDEO;
    // The summary at 10:03:01 is outside the range but its span still marks 10:02 inside it.
    PAssert.that(described(rows, v))
        .containsInAnyOrder(
            row(v, null, 1, 1, 0, 0, 0, 1, 1), row(v, null, 2, 0, 0, 1, 60_000, 1, 1));
    p.run();
  }

  @Test
  public void sketchesUnionAcrossMinutes() {
    PCollection<MinuteAggregate> rows =
        p.apply(Create.of(story()))
            .apply(ComputeLiveMetrics.withMaxSummarySpan(Duration.ofMinutes(5)));
    PAssert.that(rows.apply(Filter.by(r -> r.dimensionSet == DimensionSet.VIDEO)))
        .satisfies(
            it -> {
              List<MinuteAggregate> all =
                  StreamSupport.stream(it.spliterator(), false).collect(Collectors.toList());
              DistinctSketch.Merger sessions = DistinctSketch.merger();
              DistinctSketch.Merger devices = DistinctSketch.merger();
              for (MinuteAggregate r : all) {
                assertEquals(r.ccu, DistinctSketch.merger().add(r.sessionSketch).estimate());
                sessions.add(r.sessionSketch);
                devices.add(r.fingerprintSketch);
              }
              // Sessions a1, a2, d1 viewed; c1 only loaded the player. Devices 1 and 3.
              assertEquals(3, sessions.estimate());
              assertEquals(2, devices.estimate());
              return null;
            });
    p.run();
  }

  @Test
  public void zeroSpanClampsEverythingButTheOwnMinute() {
    PCollection<MinuteAggregate> rows =
        p.apply(Create.of(List.of(summary(at(2, 0), 1, "a1", "US", DeviceType.DESKTOP, 60_000, 1_000))))
            .apply(ComputeLiveMetrics.withMaxSummarySpan(Duration.ZERO));
    DimensionSet v = DimensionSet.VIDEO;
    PAssert.that(described(rows, v)).containsInAnyOrder(row(v, null, 2, 0, 0, 0, 60_000, 1, 1));
    p.run();
  }
}
