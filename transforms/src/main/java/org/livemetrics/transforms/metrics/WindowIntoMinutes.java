package org.livemetrics.transforms.metrics;

import java.util.Collection;
import java.util.Collections;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.NonMergingWindowFn;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowMappingFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.livemetrics.transforms.DurationOption;
import org.livemetrics.transforms.StreamingMetricsOptions;

/**
 * The streaming windowing of the per-minute metrics (the {@code withWindowing} hook of
 * {@link ComputeLiveMetrics}, {@code ComputeQosMetrics} and {@code ComputeBroadcastMetrics}): one
 * event-time window per UTC minute, taken from the partial row's key ({@link MinuteKeyed}).
 *
 * <p>Use {@code ComputeLiveMetrics.from(options).withWindowing(WindowIntoMinutes.streaming(
 * Duration.standardSeconds(5), Duration.standardMinutes(10)))}; the key and value types are
 * inferred from the transform it is given to.
 */
public final class WindowIntoMinutes<K extends MinuteKeyed, V>
    extends PTransform<PCollection<KV<K, V>>, PCollection<KV<K, V>>> {

  public static final Duration DEFAULT_EARLY_FIRING = Duration.standardSeconds(5);
  public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.standardMinutes(10);

  private final Duration earlyFiring;
  private final Duration allowedLateness;

  private WindowIntoMinutes(Duration earlyFiring, Duration allowedLateness) {
    if (earlyFiring == null || !earlyFiring.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException(
          "earlyFiring must be a positive duration (e.g. 5 s), was " + earlyFiring);
    }
    if (allowedLateness == null || allowedLateness.isShorterThan(Duration.ZERO)) {
      throw new IllegalArgumentException(
          "allowedLateness must not be negative (e.g. 10 min), was " + allowedLateness);
    }
    this.earlyFiring = earlyFiring;
    this.allowedLateness = allowedLateness;
  }

  /** The defaults: early firings every 5 s, 10 minutes of allowed lateness. */
  public static <K extends MinuteKeyed, V> WindowIntoMinutes<K, V> streaming() {
    return streaming(DEFAULT_EARLY_FIRING, DEFAULT_ALLOWED_LATENESS);
  }

  public static <K extends MinuteKeyed, V> WindowIntoMinutes<K, V> streaming(
      Duration earlyFiring, Duration allowedLateness) {
    return new WindowIntoMinutes<>(earlyFiring, allowedLateness);
  }

  /**
   * From {@code --earlyFiringSeconds}, {@code --allowedLateness} and {@code --maxSummarySpan}. A
   * minute's window stays open for the allowed lateness <em>plus</em> the summary span: a summary
   * that is itself in time (within the lateness of its own minute) also marks up to
   * maxSummarySpan of earlier minutes as viewed, and those must still accept it.
   */
  public static <K extends MinuteKeyed, V> WindowIntoMinutes<K, V> from(
      StreamingMetricsOptions options) {
    if (options.getEarlyFiringSeconds() <= 0) {
      throw new IllegalArgumentException(
          "--earlyFiringSeconds must be positive, was " + options.getEarlyFiringSeconds());
    }
    return streaming(Duration.standardSeconds(options.getEarlyFiringSeconds()),
        allowedLateness(options));
  }

  /**
   * How long past the watermark a minute's row accepts contributions: {@code --allowedLateness}
   * plus {@code --maxSummarySpan} (see {@link #from}). Session outcomes, which reach their end
   * minute up to the session gap late, use it too.
   */
  public static Duration allowedLateness(StreamingMetricsOptions options) {
    return Duration.millis(
        DurationOption.parse("allowedLateness", options.getAllowedLateness()).toMillis()
            + DurationOption.parse("maxSummarySpan", options.getMaxSummarySpan()).toMillis());
  }

  Duration earlyFiring() {
    return earlyFiring;
  }

  Duration allowedLateness() {
    return allowedLateness;
  }

  @Override
  public PCollection<KV<K, V>> expand(PCollection<KV<K, V>> partials) {
    return partials
        .apply("AtMostMinuteEnd", ParDo.of(new AtMostMinuteEndFn<K, V>()))
        .setCoder(partials.getCoder())
        .apply(
        "MinuteOfKey",
        Window.<KV<K, V>>into(new MinuteOfKeyWindows<K, V>())
            .triggering(
                // At the watermark: the minute's complete value, as far as the source knows.
                AfterWatermark.pastEndOfWindow()
                    // Early: a live dashboard must not wait for the minute (and the watermark)
                    // to close; one firing per earlyFiring of processing time after the pane's
                    // first element bounds the sink's write rate per row.
                    .withEarlyFirings(
                        AfterProcessingTime.pastFirstElementInPane().plusDelayOf(earlyFiring))
                    // Late: each late element corrects its row at once; late data is rare, so a
                    // firing per element costs little.
                    .withLateFirings(AfterPane.elementCountAtLeast(1)))
            // Summaries arrive up to maxSummarySpan after the minutes they mark, and devices
            // buffer events: keep each minute's state this long past the watermark.
            .withAllowedLateness(allowedLateness)
            // Accumulating: every pane carries the row's full current value, so an upsert sink
            // keyed by (dimensions, minute) is always right after the last write it received.
            .accumulatingFiredPanes()
            // No pane when nothing arrived since the last firing. Flink otherwise emits an extra
            // empty ON_TIME pane after early firings (shared notes/flink.md), which an upsert
            // sink would write over a correct row as zeros.
            .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY));
  }

  /**
   * Moves a partial row's timestamp back to the end of its key's minute when it lies after it (a
   * summary's contribution to an earlier minute carries the summary's own timestamp). The
   * GroupByKey rejects an element whose timestamp is after its window ("TimestampCombiner moved
   * element ... to earlier time"); such a contribution is late for its minute, and is treated so.
   */
  static final class AtMostMinuteEndFn<K extends MinuteKeyed, V> extends DoFn<KV<K, V>, KV<K, V>> {
    @ProcessElement
    public void process(
        @Element KV<K, V> row, @Timestamp Instant timestamp, OutputReceiver<KV<K, V>> out) {
      Instant minuteEnd = new Instant(row.getKey().minuteStartMillis() + 60_000L - 1);
      if (timestamp.isAfter(minuteEnd)) {
        out.outputWithTimestamp(row, minuteEnd);
      } else {
        out.output(row);
      }
    }

    /** Rows are moved back at most to their own minute: maxSummarySpan bounds how far. */
    @Override
    @SuppressWarnings("deprecation")
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }
  }

  /**
   * The window of a partial row is the minute in its key, not the minute of its timestamp: a
   * PLAYBACK_SUMMARY's timestamp is its own event time, but it also contributes viewing to up to
   * maxSummarySpan of earlier minutes.
   */
  static final class MinuteOfKeyWindows<K extends MinuteKeyed, V>
      extends NonMergingWindowFn<KV<K, V>, IntervalWindow> {
    private static final Duration MINUTE = Duration.standardMinutes(1);

    @Override
    public Collection<IntervalWindow> assignWindows(AssignContext c) {
      Instant start = new Instant(c.element().getKey().minuteStartMillis());
      return Collections.singletonList(new IntervalWindow(start, MINUTE));
    }

    @Override
    public boolean isCompatible(WindowFn<?, ?> other) {
      return other instanceof MinuteOfKeyWindows;
    }

    @Override
    public void verifyCompatibility(WindowFn<?, ?> other)
        throws org.apache.beam.sdk.transforms.windowing.IncompatibleWindowException {
      if (!isCompatible(other)) {
        throw new org.apache.beam.sdk.transforms.windowing.IncompatibleWindowException(
            other, "only MinuteOfKeyWindows is compatible with MinuteOfKeyWindows");
      }
    }

    @Override
    public Coder<IntervalWindow> windowCoder() {
      return IntervalWindow.getCoder();
    }

    @Override
    public WindowMappingFn<IntervalWindow> getDefaultWindowMappingFn() {
      throw new UnsupportedOperationException(
          "MinuteOfKeyWindows assigns windows from the element's key: it cannot window a side input");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof MinuteOfKeyWindows;
    }

    @Override
    public int hashCode() {
      return MinuteOfKeyWindows.class.hashCode();
    }
  }
}
