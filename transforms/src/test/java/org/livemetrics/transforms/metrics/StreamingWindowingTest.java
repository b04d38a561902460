package org.livemetrics.transforms.metrics;

import static org.junit.Assert.assertEquals;
import static org.livemetrics.transforms.metrics.TestEvents.at;
import static org.livemetrics.transforms.metrics.TestEvents.event;
import static org.livemetrics.transforms.metrics.TestEvents.instant;
import static org.livemetrics.transforms.metrics.TestEvents.minute;
import static org.livemetrics.transforms.metrics.TestEvents.row;
import static org.livemetrics.transforms.metrics.TestEvents.summary;
import static org.livemetrics.transforms.metrics.TestEvents.ts;

import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.MetricType;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.schemas.PlayerEventCoder;
import org.livemetrics.transforms.StreamingMetricsOptions;

/**
 * {@link WindowIntoMinutes} with {@link ComputeLiveMetrics} in event time: early, on-time and late
 * panes, dropped data, out-of-order events, and summaries reaching into earlier minutes. Only the
 * {video} rows are asserted (the other dimension sets share the windowing). Every expected row was
 * worked out by hand from the events.
 */
public class StreamingWindowingTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final Duration EARLY = Duration.standardSeconds(5);
  private static final Duration LATENESS = Duration.standardMinutes(10);

  private static TestStream.Builder<PlayerEvent> stream() {
    return TestStream.create(PlayerEventCoder.of()).advanceWatermarkTo(instant(0, 0));
  }

  private static ComputeLiveMetrics streamingMetrics() {
    return ComputeLiveMetrics.withMaxSummarySpan(java.time.Duration.ofMinutes(5))
        .withWindowing(WindowIntoMinutes.streaming(EARLY, LATENESS));
  }

  private static PCollection<String> videoRows(PCollection<MinuteAggregate> rows) {
    return rows.apply("Only video", Filter.by(r -> r.dimensionSet == DimensionSet.VIDEO))
        .apply("Describe", MapElements.into(TypeDescriptors.strings()).via(MinuteAggregate::toString));
  }

  /** Each {video} row prefixed with its pane's timing: the set of panes a window produced. */
  private static PCollection<String> videoPanes(PCollection<MinuteAggregate> rows) {
    return rows.apply("Only video panes", Filter.by(r -> r.dimensionSet == DimensionSet.VIDEO))
        .apply("With pane timing", ParDo.of(new DoFn<MinuteAggregate, String>() {
          @ProcessElement
          public void process(ProcessContext c) {
            c.output(c.pane().getTiming() + " " + c.element());
          }
        }));
  }

  @Test
  public void earlyPaneThenOnTimePaneWithTheAccumulatedValue() {
    TestStream<PlayerEvent> events = stream()
        .addElements(ts(event(MetricType.PLAY, at(0, 10), 1, "s1")))
        .advanceProcessingTime(EARLY.plus(Duration.standardSeconds(1)))
        .addElements(
            ts(event(MetricType.PLAY, at(0, 20), 2, "s2")),
            ts(event(MetricType.IMPRESSION, at(0, 30), 3, "s3")))
        .advanceWatermarkTo(instant(1, 0))
        .advanceWatermarkToInfinity();
    PCollection<MinuteAggregate> rows = p.apply(events).apply(streamingMetrics());
    PCollection<String> video = videoRows(rows);
    PAssert.that(video).inEarlyPane(minute(0)).containsInAnyOrder(row(0, 0, 1, 0, 1, 1));
    PAssert.that(video).inOnTimePane(minute(0)).containsInAnyOrder(row(0, 1, 2, 0, 2, 2));
    PAssert.that(videoPanes(rows)).inWindow(minute(0)).containsInAnyOrder(
        "EARLY " + row(0, 0, 1, 0, 1, 1),
        "ON_TIME " + row(0, 1, 2, 0, 2, 2));
    p.run();
  }

  @Test
  public void onTimePaneWhenTheWatermarkPassesTheMinute() {
    TestStream<PlayerEvent> events = stream()
        .addElements(
            ts(event(MetricType.PLAY, at(0, 10), 1, "s1")),
            ts(event(MetricType.PLAY, at(1, 5), 2, "s2")))
        .advanceWatermarkTo(instant(1, 0)) // closes 10:00 only
        .advanceWatermarkToInfinity();
    PCollection<MinuteAggregate> rows = p.apply(events).apply(streamingMetrics());
    PCollection<String> video = videoRows(rows);
    PAssert.that(video).inOnTimePane(minute(0)).containsInAnyOrder(row(0, 0, 1, 0, 1, 1));
    PAssert.that(video).inOnTimePane(minute(1)).containsInAnyOrder(row(1, 0, 1, 0, 1, 1));
    PAssert.that(videoPanes(rows)).inWindow(minute(0))
        .containsInAnyOrder("ON_TIME " + row(0, 0, 1, 0, 1, 1));
    p.run();
  }

  @Test
  public void lateDataWithinTheAllowedLatenessCorrectsTheRow() {
    TestStream<PlayerEvent> events = stream()
        .addElements(ts(event(MetricType.PLAY, at(0, 10), 1, "s1")))
        .advanceWatermarkTo(instant(2, 0))
        // 10:00:50 with the watermark at 10:02: late by 1 minute, within 10.
        .addElements(ts(event(MetricType.PLAY, at(0, 50), 2, "s2")))
        .advanceWatermarkToInfinity();
    PCollection<MinuteAggregate> rows = p.apply(events).apply(streamingMetrics());
    PAssert.that(videoRows(rows)).inLatePane(minute(0)).containsInAnyOrder(row(0, 0, 2, 0, 2, 2));
    PAssert.that(videoPanes(rows)).inWindow(minute(0)).containsInAnyOrder(
        "ON_TIME " + row(0, 0, 1, 0, 1, 1),
        "LATE " + row(0, 0, 2, 0, 2, 2));
    p.run();
  }

  @Test
  public void dataBeyondTheAllowedLatenessIsDropped() {
    TestStream<PlayerEvent> events = stream()
        .addElements(ts(event(MetricType.PLAY, at(0, 10), 1, "s1")))
        // 10:12: past 10:01 + 10 minutes of lateness, so the 10:00 window is gone.
        .advanceWatermarkTo(instant(12, 0))
        .addElements(ts(event(MetricType.PLAY, at(0, 50), 2, "s2")))
        .advanceWatermarkToInfinity();
    PCollection<MinuteAggregate> rows = p.apply(events).apply(streamingMetrics());
    PAssert.that(videoPanes(rows)).containsInAnyOrder("ON_TIME " + row(0, 0, 1, 0, 1, 1));
    p.run();
  }

  @Test
  public void outOfOrderEventsGiveTheSameTotalsAsInOrder() {
    // In order: 10:00:05 impression, 10:00:10 play, 10:00:40 summary of 30 s (10:00:10-10:00:40),
    // 10:01:30 play of a second device. Delivered newest first, in separate bundles.
    TestStream<PlayerEvent> events = stream()
        .addElements(ts(event(MetricType.PLAY, at(1, 30), 2, "s2")))
        .addElements(ts(summary(at(0, 40), 1, "s1", 30_000)))
        .addElements(ts(event(MetricType.PLAY, at(0, 10), 1, "s1")))
        .addElements(ts(event(MetricType.IMPRESSION, at(0, 5), 1, "s1")))
        .advanceWatermarkToInfinity();
    PCollection<MinuteAggregate> rows = p.apply(events).apply(streamingMetrics());
    PAssert.that(videoPanes(rows)).containsInAnyOrder(
        "ON_TIME " + row(0, 1, 1, 30_000, 1, 1),
        "ON_TIME " + row(1, 0, 1, 0, 1, 1));
    p.run();
  }

  @Test
  public void summaryReachingBackGivesThePreviousMinuteALatePane() {
    TestStream<PlayerEvent> events = stream()
        .addElements(ts(event(MetricType.PLAY, at(0, 10), 1, "s1")))
        .advanceWatermarkTo(instant(1, 0)) // 10:00 fires on time with one viewer
        // Second viewer's summary at 10:01:20 covers 10:00:40-10:01:20: viewing in 10:00 too.
        .addElements(ts(summary(at(1, 20), 2, "s2", 40_000)))
        .advanceWatermarkTo(instant(2, 0))
        .advanceWatermarkToInfinity();
    PCollection<MinuteAggregate> rows = p.apply(events).apply(streamingMetrics());
    PAssert.that(videoRows(rows)).inLatePane(minute(0)).containsInAnyOrder(row(0, 0, 1, 0, 2, 2));
    PCollection<String> panes = videoPanes(rows);
    PAssert.that(panes).inWindow(minute(0)).containsInAnyOrder(
        "ON_TIME " + row(0, 0, 1, 0, 1, 1),
        "LATE " + row(0, 0, 1, 0, 2, 2));
    PAssert.that(panes).inWindow(minute(1)).containsInAnyOrder(
        "ON_TIME " + row(1, 0, 0, 40_000, 1, 1));
    p.run();
  }

  @Test
  public void noEmptyOnTimePaneAfterAnEarlyFiringWithNothingNew() {
    TestStream<PlayerEvent> events = stream()
        .addElements(ts(event(MetricType.PLAY, at(0, 10), 1, "s1")))
        .advanceProcessingTime(EARLY.plus(Duration.standardSeconds(1)))
        .advanceWatermarkToInfinity();
    PCollection<MinuteAggregate> rows = p.apply(events).apply(streamingMetrics());
    // FIRE_IF_NON_EMPTY: the early pane is the only one; no ON_TIME pane (empty or repeated).
    PAssert.that(videoPanes(rows)).containsInAnyOrder("EARLY " + row(0, 0, 1, 0, 1, 1));
    p.run();
  }

  @Test
  public void optionsDefaultToFiveSecondsAndTenMinutesPlusTheSummarySpan() {
    WindowIntoMinutes defaults = WindowIntoMinutes.from(
        PipelineOptionsFactory.fromArgs().as(StreamingMetricsOptions.class));
    assertEquals(Duration.standardSeconds(5), defaults.earlyFiring());
    // 10 minutes of lateness for events, plus the 5-minute summary span for the minutes they mark.
    assertEquals(Duration.standardMinutes(15), defaults.allowedLateness());
    WindowIntoMinutes set = WindowIntoMinutes.from(
        PipelineOptionsFactory.fromArgs(
                "--earlyFiringSeconds=2", "--allowedLateness=PT1H", "--maxSummarySpan=2m")
            .as(StreamingMetricsOptions.class));
    assertEquals(Duration.standardSeconds(2), set.earlyFiring());
    assertEquals(Duration.standardMinutes(62), set.allowedLateness());
  }

  @Test(expected = IllegalArgumentException.class)
  public void rejectsANonPositiveEarlyFiring() {
    WindowIntoMinutes.streaming(Duration.ZERO, LATENESS);
  }
}
