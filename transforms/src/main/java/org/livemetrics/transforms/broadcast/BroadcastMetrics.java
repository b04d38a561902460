package org.livemetrics.transforms.broadcast;

import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.StreamSession;

/** What {@link ComputeBroadcastMetrics} produces: the minute rows and the stream rows. */
public final class BroadcastMetrics implements POutput {
  private static final TupleTag<BroadcastMinute> MINUTES = new TupleTag<BroadcastMinute>() {};
  private static final TupleTag<StreamSession> SESSIONS = new TupleTag<StreamSession>() {};

  private final Pipeline pipeline;
  private final PCollection<BroadcastMinute> minutes;
  private final PCollection<StreamSession> sessions;

  BroadcastMetrics(Pipeline pipeline, PCollection<BroadcastMinute> minutes,
      PCollection<StreamSession> sessions) {
    this.pipeline = pipeline;
    this.minutes = minutes;
    this.sessions = sessions;
  }

  /**
   * Per minute: channel_concurrency for all channels and per region, starvation per channel (and
   * summed per region and overall). In streaming, one row per pane (accumulating: each carries the
   * row's full value).
   */
  public PCollection<BroadcastMinute> minutes() {
    return minutes;
  }

  /** Stream rows, in the global window: the highest version per (channel, stream_id) is current. */
  public PCollection<StreamSession> sessions() {
    return sessions;
  }

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(MINUTES, minutes, SESSIONS, sessions);
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, PInput input, PTransform<?, ?> transform) {}
}
