package org.livemetrics.transforms.streaming;

import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.transforms.StreamingMetricsOptions;
import org.livemetrics.transforms.metrics.ComputeLiveMetrics;
import org.livemetrics.transforms.metrics.WindowIntoMinutes;

/**
 * The live metrics of an unbounded stream of parsed events: the foundation's {@link
 * ComputeLiveMetrics}, unchanged, in per-minute event-time windows.
 *
 * <pre>
 * InTimeEvents: AtEventTime (timestamp = event_time) → RouteTooLateEvents (→ dead letters, too_late)
 *   → ComputeLiveMetrics.withWindowing(WindowIntoMinutes: early / on-time / late, accumulating)
 * </pre>
 *
 * Each output row is one pane: the full current value of its (dimensions, minute) row.
 */
public final class StreamingLiveMetrics
    extends PTransform<PCollection<PlayerEvent>, PCollection<MinuteAggregate>> {
  private final ComputeLiveMetrics metrics;
  private final InTimeEvents tooLate;

  private StreamingLiveMetrics(ComputeLiveMetrics metrics, InTimeEvents tooLate) {
    this.metrics = metrics;
    this.tooLate = tooLate;
  }

  public static StreamingLiveMetrics from(StreamingMetricsOptions options) {
    return new StreamingLiveMetrics(
        ComputeLiveMetrics.from(options).withWindowing(WindowIntoMinutes.from(options)),
        InTimeEvents.from(options));
  }

  /** Explicit settings, for tests; see {@link WindowIntoMinutes#from} for the windows' lateness. */
  public static StreamingLiveMetrics create(
      java.time.Duration maxSummarySpan, Duration earlyFiring, Duration allowedLateness) {
    return new StreamingLiveMetrics(
        ComputeLiveMetrics.withMaxSummarySpan(maxSummarySpan)
            .withWindowing(WindowIntoMinutes.streaming(
                earlyFiring, allowedLateness.plus(Duration.millis(maxSummarySpan.toMillis())))),
        InTimeEvents.withAllowedLateness(allowedLateness));
  }

  public StreamingLiveMetrics withBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler) {
    return new StreamingLiveMetrics(metrics, tooLate.withBadRecordErrorHandler(handler));
  }

  @Override
  public PCollection<MinuteAggregate> expand(PCollection<PlayerEvent> events) {
    return events
        .apply("InTime", tooLate)
        .apply("ComputeLiveMetrics", metrics);
  }
}
