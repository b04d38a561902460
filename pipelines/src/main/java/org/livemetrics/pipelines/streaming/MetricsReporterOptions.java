package org.livemetrics.pipelines.streaming;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Where the job's metrics (runners/monitoring/METRICS.md) are served to Prometheus. */
public interface MetricsReporterOptions extends PipelineOptions {
  @Description(
      "Serve the job's metrics for Prometheus on this port (http://host:PORT/metrics, Flink's "
          + "PrometheusReporter; 9249 by convention, a range like 9249-9259 for several JVMs on "
          + "one host). For the embedded Flink engine; a Flink cluster configures its reporter in "
          + "its own flink-conf.yaml (see runners/monitoring/). Empty: no reporter.")
  @Nullable String getPrometheusPort();

  void setPrometheusPort(@Nullable String value);
}
