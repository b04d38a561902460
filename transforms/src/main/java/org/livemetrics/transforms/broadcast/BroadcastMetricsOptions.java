package org.livemetrics.transforms.broadcast;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.livemetrics.transforms.StreamingMetricsOptions;

/** Options of the broadcast metrics, besides the streaming windows' early firing and lateness. */
public interface BroadcastMetricsOptions extends StreamingMetricsOptions {
  @Description(
      "How long a stream with no Stream End or Failure counts as live after its Stream Start "
          + "(ISO-8601 like PT48H, or 48h). IVS ends every stream after 48 hours; a lost end "
          + "keeps the stream open, with its running duration, at most this long.")
  @Default.String("PT48H")
  String getMaxStreamDuration();

  void setMaxStreamDuration(String value);
}
