package org.livemetrics.pipelines.streaming;

import java.io.IOException;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns on Flink's Prometheus reporter for {@code --prometheusPort}: the embedded Flink engine
 * reads its reporters from its configuration only, so this writes a Flink configuration directory
 * that is the given one ({@code --flinkConfDir}, if any) plus the reporter, and points {@code
 * --flinkConfDir} at it (as {@link FlinkRestore} does for savepoints). On a cluster the JobManager
 * and TaskManagers are already running: their own flink-conf.yaml must name the reporter.
 */
final class FlinkPrometheusReporter {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkPrometheusReporter.class);
  static final String FACTORY = "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";

  private FlinkPrometheusReporter() {}

  static void apply(PipelineOptions options) throws IOException {
    String port = options.as(MetricsReporterOptions.class).getPrometheusPort();
    if (port == null || port.isBlank()) {
      return;
    }
    if (!port.matches("\\d{1,5}(-\\d{1,5})?")) {
      throw new IllegalArgumentException(
          "--prometheusPort must be a port or a range like 9249-9259, was '" + port + "'");
    }
    if (!options.getRunner().getSimpleName().startsWith("Flink")) {
      LOG.warn("--prometheusPort is for the FlinkRunner; ignored with {}",
          options.getRunner().getSimpleName());
      return;
    }
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    if (!EmbeddedFlinkConf.isEmbedded(options)) {
      LOG.warn("--prometheusPort is ignored for the Flink cluster at {}: set "
          + "metrics.reporter.prom.factory.class and metrics.reporter.prom.port in the cluster's "
          + "flink-conf.yaml", flink.getFlinkMaster());
      return;
    }
    EmbeddedFlinkConf.append(flink, "metrics.reporter.prom.factory.class: " + FACTORY + "\n"
        + "metrics.reporter.prom.port: " + port + "\n");
    LOG.info("Prometheus metrics on port {} (/metrics)", port);
  }
}
