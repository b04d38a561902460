package org.livemetrics.transforms.streaming;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.transforms.DurationOption;
import org.livemetrics.transforms.StreamingMetricsOptions;

/**
 * Parsed player events made ready for the per-minute windows: re-stamped at their event_time, and
 * those too late for their minute sent to the dead letters ({@link RouteTooLateEvents}). Apply it
 * once and feed every windowed metric from its output (the audience metrics in {@link
 * StreamingLiveMetrics}, the QoS metrics with {@code ComputeQosMetrics.withWindowing}), so a too-late
 * event becomes one dead letter, not one per metric.
 */
public final class InTimeEvents extends PTransform<PCollection<PlayerEvent>, PCollection<PlayerEvent>> {
  private final RouteTooLateEvents tooLate;

  private InTimeEvents(RouteTooLateEvents tooLate) {
    this.tooLate = tooLate;
  }

  /** Too late: past {@code --allowedLateness} after the event's minute. */
  public static InTimeEvents from(StreamingMetricsOptions options) {
    return withAllowedLateness(Duration.millis(
        DurationOption.parse("allowedLateness", options.getAllowedLateness()).toMillis()));
  }

  public static InTimeEvents withAllowedLateness(Duration allowedLateness) {
    return new InTimeEvents(RouteTooLateEvents.withAllowedLateness(allowedLateness));
  }

  public InTimeEvents withBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler) {
    return new InTimeEvents(tooLate.withBadRecordErrorHandler(handler));
  }

  @Override
  public PCollection<PlayerEvent> expand(PCollection<PlayerEvent> events) {
    return events
        .apply("AtEventTime", ParDo.of(new AtEventTimeFn()))
        .setCoder(events.getCoder())
        .apply("RouteTooLate", tooLate);
  }

  /**
   * Sources stamp records with their arrival time; the metrics are by event time. A record may hold
   * several events, so this is done per event after parsing, not in the source.
   */
  static final class AtEventTimeFn extends DoFn<PlayerEvent, PlayerEvent> {
    @ProcessElement
    public void process(@Element PlayerEvent e, OutputReceiver<PlayerEvent> out) {
      out.outputWithTimestamp(e, new Instant(e.eventTime));
    }

    /**
     * Events are usually older than their arrival, by up to the device's buffering; the watermark,
     * not this skew, decides what is late.
     */
    @Override
    @SuppressWarnings("deprecation")
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }
  }
}
