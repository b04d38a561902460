package org.livemetrics.cli;

import java.io.PrintStream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.livemetrics.pipelines.streaming.StreamingPipeline;

/**
 * {@code livemetrics stream}: the streaming pipeline, on the embedded Flink engine by default. Runs
 * until stopped (Ctrl-C here; on a cluster, cancel or stop the job with a savepoint).
 */
final class StreamCommand {
  private StreamCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    StreamingPipeline.Options options;
    try {
      PipelineOptionsFactory.register(StreamingPipeline.Options.class);
      options = PipelineOptionsFactory.fromArgs(BackfillCommand.withDefaultRunner(args))
          .withValidation().as(StreamingPipeline.Options.class);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage() + " (see: livemetrics stream --help)");
      return 2;
    }
    PipelineResult result;
    try {
      out.println("livemetrics stream: job " + StreamingPipeline.streamId(options)
          + " (resume it from a savepoint with --streamId=" + options.getStreamId() + "); Ctrl-C stops it");
      result = StreamingPipeline.run(options);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    PipelineResult.State state = result.waitUntilFinish();
    out.println("livemetrics stream: job ended " + state);
    return state == PipelineResult.State.DONE || state == PipelineResult.State.CANCELLED ? 0 : 1;
  }
}
