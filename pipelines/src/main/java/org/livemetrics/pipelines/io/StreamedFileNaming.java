package org.livemetrics.pipelines.io;

import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;

/**
 * File names of the streaming sinks: {@code <directory>/<prefix>-<stream id>-<pane>-<shard>}.
 *
 * <p>Deterministic on purpose: after a restore from a checkpoint, a flush that is written again
 * gets the same names (the pane index is part of the restored state) and replaces its first copy
 * instead of adding a second one. The stream id keeps separate jobs' files apart: a job resumed
 * from a savepoint must keep its id, a new job needs a new one.
 */
final class StreamedFileNaming implements FileIO.Write.FileNaming {
  private final String directory;
  private final String prefix;
  private final String streamId;
  private final String suffix;

  StreamedFileNaming(String directory, String prefix, String streamId, String suffix) {
    this.directory = directory;
    this.prefix = prefix;
    this.streamId = streamId;
    this.suffix = suffix;
  }

  @Override
  public String getFilename(
      BoundedWindow window, PaneInfo pane, int numShards, int shardIndex, Compression compression) {
    return String.format("%s/%s%s-%08d-%05d-of-%05d%s%s", directory, prefix, streamId,
        pane.getIndex(), shardIndex, numShards, suffix, compression.getSuggestedSuffix());
  }
}
