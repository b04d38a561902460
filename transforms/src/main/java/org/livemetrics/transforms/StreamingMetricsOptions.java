package org.livemetrics.transforms;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of the streaming metric logic: the trigger and lateness of the per-minute windows. */
public interface StreamingMetricsOptions extends LiveMetricsOptions {
  @Description(
      "Processing time after a minute row's first new contribution before it is written early "
          + "(ISO-8601 like PT5S, or 5s). Bounds the write rate per row to the live sink.")
  @Default.String("PT5S")
  String getEarlyFiring();

  void setEarlyFiring(String value);

  @Description(
      "How long after the watermark passes a minute its row still accepts late data and is "
          + "re-emitted (ISO-8601 like PT10M, or 10m). Later data is dropped by Beam and counted "
          + "in its droppedDueToLateness counter.")
  @Default.String("PT10M")
  String getAllowedLateness();

  void setAllowedLateness(String value);
}
