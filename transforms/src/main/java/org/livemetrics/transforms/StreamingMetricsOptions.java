package org.livemetrics.transforms;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of the streaming metric logic: the trigger and lateness of the per-minute windows. */
public interface StreamingMetricsOptions extends LiveMetricsOptions {
  @Description(
      "Seconds of processing time after a minute row's first new contribution before it is "
          + "written early. Bounds the write rate per row to the live sink.")
  @Default.Integer(5)
  int getEarlyFiringSeconds();

  void setEarlyFiringSeconds(int value);

  @Description(
      "How long after the watermark passes a minute its row still accepts late data and is "
          + "re-emitted (ISO-8601 like PT10M, or 10m). Later events go to the dead letters with "
          + "reason too_late.")
  @Default.String("PT10M")
  String getAllowedLateness();

  void setAllowedLateness(String value);
}
