package org.livemetrics.pipelines.streaming;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the streaming job's checkpoints in files ({@code --checkpointDir}), where they can hold the
 * job's real state.
 *
 * <p>Without a checkpoint directory, Flink keeps checkpoints in the JobManager's memory and
 * refuses any operator's state over 5 MB ("Size of the state is larger than the maximum permitted
 * memory-backed state"): every checkpoint then fails, and the job restarts from the start of the
 * stream again and again. The embedded engine had no directory, so a few tens of thousands of
 * records were enough. With one, the state lives on the heap (Flink's hashmap state backend) and
 * each checkpoint writes it to a new {@code chk-N} directory under {@code <dir>/<job id>/}; Flink
 * keeps the last completed one ({@code state.checkpoints.num-retained}, 1) and removes the job's
 * checkpoints when it is cancelled. The bound is the heap, not 5 MB.
 *
 * <p>Embedded engine: {@code state.checkpoints.dir} in its Flink configuration ({@link
 * EmbeddedFlinkConf}), {@code --checkpointDir} or a directory of this run; a configuration that
 * already names one is left alone. A cluster: its own flink-conf.yaml decides, unless
 * {@code --checkpointDir} is given, which becomes Beam's {@code --stateBackend=filesystem} with
 * that path.
 */
final class FlinkCheckpointStorage {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkCheckpointStorage.class);
  static final String KEY = "state.checkpoints.dir";

  private FlinkCheckpointStorage() {}

  static void apply(PipelineOptions options, String streamId) throws IOException {
    if (!options.getRunner().getSimpleName().startsWith("Flink")) {
      return;
    }
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    String dir = options.as(CheckpointOptions.class).getCheckpointDir().trim();
    boolean beamBackend = flink.getStateBackend() != null || flink.getStateBackendFactory() != null;
    if (beamBackend) {
      if (!dir.isEmpty()) {
        throw new IllegalArgumentException("--checkpointDir and --stateBackend/"
            + "--stateBackendFactory both set where checkpoints go: give one");
      }
      return;
    }
    if (!EmbeddedFlinkConf.isEmbedded(options)) {
      if (!dir.isEmpty()) {
        flink.setStateBackend("filesystem");
        flink.setStateBackendStoragePath(uri(dir));
        LOG.info("Checkpoints go to {}", flink.getStateBackendStoragePath());
      }
      return;
    }
    String configured = EmbeddedFlinkConf.value(EmbeddedFlinkConf.read(flink), KEY);
    if (configured != null) {
      if (!dir.isEmpty()) {
        throw new IllegalArgumentException("--checkpointDir and the Flink configuration's " + KEY
            + " (" + configured + ") both set where checkpoints go: give one");
      }
      LOG.info("Checkpoints go to {} (the Flink configuration's {})", configured, KEY);
      return;
    }
    if (dir.isEmpty()) {
      if (flink.getCheckpointingInterval() == null || flink.getCheckpointingInterval() <= 0) {
        return; // no checkpoints (a savepoint is written where it is asked for)
      }
      Path run = Path.of(System.getProperty("java.io.tmpdir"), "livemetrics-checkpoints", streamId);
      Files.createDirectories(run);
      dir = run.toString();
    }
    String target = uri(dir);
    EmbeddedFlinkConf.append(flink, KEY + ": " + target + "\n");
    LOG.info("Checkpoints go to {}", target);
  }

  /** A local path as a file: URI (Flink's default file system may differ); a URI as it is. */
  static String uri(String dir) {
    if (dir.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
      return dir;
    }
    URI u = Path.of(dir).toAbsolutePath().normalize().toUri();
    return u.toString();
  }
}
