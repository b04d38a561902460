package org.livemetrics.pipelines.streaming;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
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
  private static final Set<String> EMBEDDED = Set.of("[local]", "[auto]", "[collection]");

  private FlinkRestore() {}

  static void apply(PipelineOptions options) throws IOException {
    if (!options.getRunner().getSimpleName().startsWith("Flink")) {
      return;
    }
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    String savepoint = flink.getSavepointPath();
    if (savepoint == null || savepoint.isBlank() || !EMBEDDED.contains(flink.getFlinkMaster())) {
      return;
    }
    String conf = "";
    if (flink.getFlinkConfDir() != null) {
      Path given = Path.of(flink.getFlinkConfDir(), "flink-conf.yaml");
      if (Files.exists(given)) {
        conf = Files.readString(given);
      }
    }
    Path dir = Files.createTempDirectory("livemetrics-flink-conf");
    Files.writeString(dir.resolve("flink-conf.yaml"), conf + (conf.endsWith("\n") || conf.isEmpty() ? "" : "\n")
        + "execution.savepoint.path: " + savepoint + "\n"
        + "execution.savepoint.ignore-unclaimed-state: "
        + Boolean.TRUE.equals(flink.getAllowNonRestoredState()) + "\n");
    flink.setFlinkConfDir(dir.toString());
    LOG.info("Embedded Flink restores from {}", savepoint);
  }
}
