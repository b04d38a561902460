package org.livemetrics.pipelines.streaming;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where the streaming job's Flink checkpoints are written ({@link FlinkCheckpointStorage}). */
public interface CheckpointOptions extends PipelineOptions {
  @Description(
      "Directory (local path or a URI Flink can write, such as file:///... or s3://...) for the "
          + "job's checkpoints: the whole state (open minutes, re-read filter, Kinesis positions, "
          + "pending files) is written there at each --checkpointingInterval. Empty: on the "
          + "embedded engine, a directory of this run under the system's temporary directory "
          + "(livemetrics-checkpoints/<streamId>); on a cluster, its flink-conf.yaml's "
          + "state.checkpoints.dir. Given for a cluster job, it sets Beam's "
          + "--stateBackend=filesystem (state on the heap) instead of the cluster's backend.")
  @Default.String("")
  String getCheckpointDir();

  void setCheckpointDir(String value);
}
