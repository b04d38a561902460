package org.livemetrics.transforms.streaming;

import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.transforms.StreamingMetricsOptions;
import org.livemetrics.transforms.metrics.ComputeLiveMetrics;
import org.livemetrics.transforms.metrics.WindowIntoMinutes;
import org.livemetrics.transforms.qos.ComputeQosMetrics;
import org.livemetrics.transforms.sessions.ComputeSessionOutcomes;

/**
 * Everything the streaming pipeline computes from player events: the audience metrics ({@link
 * ComputeLiveMetrics}) and the viewer QoS metrics ({@link ComputeQosMetrics}), the batch
 * transforms unchanged, in the same per-minute event-time windows.
 *
 * <pre>
 * InTimeEvents (event time, too_late → dead letters, once for both)
 *   ├─ ComputeLiveMetrics.withWindowing(WindowIntoMinutes) → {@link #AGGREGATES}
 *   └─ ComputeQosMetrics.withWindowing(WindowIntoMinutes)  → {@link #QOS}
 *        (with ComputeSessionOutcomes in streaming session windows, merged into the rows)
 * </pre>
 *
 * Each output row is one pane: the full current value of its (dimensions, minute) row. A
 * session's outcome is known only when it ends (STOP, or the watermark past its last event plus
 * {@code --sessionGap}); a QoS minute's on-time pane waits for the sessions that end in it
 * (ComputeSessionOutcomes holds the watermark), and a later outcome is a late firing of that
 * minute, with the row's full value, which the upsert sinks write over the row.
 */
public final class StreamingPlayerMetrics
    extends PTransform<PCollection<PlayerEvent>, PCollectionTuple> {
  public static final TupleTag<MinuteAggregate> AGGREGATES = new TupleTag<MinuteAggregate>() {};
  public static final TupleTag<QosMinute> QOS = new TupleTag<QosMinute>() {};

  private final ComputeLiveMetrics audience;
  private final ComputeQosMetrics qos;
  private final InTimeEvents inTime;

  private StreamingPlayerMetrics(
      ComputeLiveMetrics audience, ComputeQosMetrics qos, InTimeEvents inTime) {
    this.audience = audience;
    this.qos = qos;
    this.inTime = inTime;
  }

  public static StreamingPlayerMetrics from(StreamingMetricsOptions options) {
    return new StreamingPlayerMetrics(
        ComputeLiveMetrics.from(options).withWindowing(WindowIntoMinutes.from(options)),
        ComputeQosMetrics.from(options).withWindowing(WindowIntoMinutes.from(options))
            .withSessionOutcomes(ComputeSessionOutcomes.from(options)
                .inStreaming(WindowIntoMinutes.allowedLateness(options))),
        InTimeEvents.from(options));
  }

  /** Too-late events become dead letters ({@code too_late}) in {@code handler}. */
  public StreamingPlayerMetrics withBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler) {
    return new StreamingPlayerMetrics(audience, qos, inTime.withBadRecordErrorHandler(handler));
  }

  @Override
  public PCollectionTuple expand(PCollection<PlayerEvent> events) {
    PCollection<PlayerEvent> inTimeEvents = events.apply("InTime", inTime);
    return PCollectionTuple.of(AGGREGATES, inTimeEvents.apply("ComputeLiveMetrics", audience))
        .and(QOS, inTimeEvents.apply("ComputeQosMetrics", qos));
  }
}
