package org.livemetrics.pipelines.streaming;

import java.io.IOException;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes {@code --savepointPath} work on the embedded Flink engine too. Beam 2.62's FlinkRunner
 * passes it only to a remote cluster; the embedded one restores from a savepoint when its Flink
 * configuration says {@code execution.savepoint.path}. So for an embedded run this writes a Flink
 * configuration directory that is the given one ({@code --flinkConfDir}, if any) plus that line,
 * and points {@code --flinkConfDir} at it.
 */
final class FlinkRestore {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkRestore.class);

  private FlinkRestore() {}

  static void apply(PipelineOptions options) throws IOException {
    if (!EmbeddedFlinkConf.isEmbedded(options)) {
      return;
    }
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    String savepoint = flink.getSavepointPath();
    if (savepoint == null || savepoint.isBlank()) {
      return;
    }
    EmbeddedFlinkConf.append(flink, "execution.savepoint.path: " + savepoint + "\n"
        + "execution.savepoint.ignore-unclaimed-state: "
        + Boolean.TRUE.equals(flink.getAllowNonRestoredState()) + "\n");
    LOG.info("Embedded Flink restores from {}", savepoint);
  }
}
