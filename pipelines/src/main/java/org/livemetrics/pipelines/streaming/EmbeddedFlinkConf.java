package org.livemetrics.pipelines.streaming;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Settings the embedded Flink engine takes from its configuration only (the savepoint to restore,
 * the metric reporters): a new Flink configuration directory holding the given one ({@code
 * --flinkConfDir}, if any) plus the lines, which {@code --flinkConfDir} then points at. Used by
 * {@link FlinkRestore} and {@link FlinkPrometheusReporter}, one after the other.
 */
final class EmbeddedFlinkConf {
  /** The masters for which Beam runs Flink in this JVM. */
  static final Set<String> EMBEDDED = Set.of("[local]", "[auto]", "[collection]");

  private EmbeddedFlinkConf() {}

  /** Whether the options run Flink in this JVM (the FlinkRunner with an embedded master). */
  static boolean isEmbedded(PipelineOptions options) {
    return options.getRunner().getSimpleName().startsWith("Flink")
        && EMBEDDED.contains(options.as(FlinkPipelineOptions.class).getFlinkMaster());
  }

  static void append(FlinkPipelineOptions flink, String lines) throws IOException {
    String conf = "";
    if (flink.getFlinkConfDir() != null) {
      Path given = Path.of(flink.getFlinkConfDir(), "flink-conf.yaml");
      if (Files.exists(given)) {
        conf = Files.readString(given);
      }
    }
    Path dir = Files.createTempDirectory("livemetrics-flink-conf");
    Files.writeString(dir.resolve("flink-conf.yaml"),
        conf + (conf.endsWith("\n") || conf.isEmpty() ? "" : "\n") + lines);
    flink.setFlinkConfDir(dir.toString());
  }
}
