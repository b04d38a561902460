package org.livemetrics.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.livemetrics.pipelines.streaming.StreamingPipeline;

/**
 * The main of the Dataflow Flex Template (runners/dataflow/): the streaming pipeline on the
 * DataflowRunner. It returns once the job is submitted, since the template launcher waits for its
 * main to end ({@link StreamingPipeline#main} waits for the job, which suits Flink).
 */
public final class DataflowStreaming {
  static final String RUNNER = "DataflowRunner";

  private DataflowStreaming() {}

  public static void main(String[] args) throws Exception {
    PipelineResult result = StreamingPipeline.run(options(args));
    System.out.println("livemetrics: Dataflow job submitted, state " + result.getState());
  }

  /** The job's options: the DataflowRunner unless --runner says otherwise. */
  static StreamingPipeline.Options options(String[] args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    if (all.stream().noneMatch(a -> a.startsWith("--runner="))) {
      all.add("--runner=" + RUNNER);
    }
    PipelineOptionsFactory.register(StreamingPipeline.Options.class);
    try {
      return PipelineOptionsFactory.fromArgs(all.toArray(String[]::new)).withValidation()
          .as(StreamingPipeline.Options.class);
    } catch (IllegalArgumentException e) {
      if (String.valueOf(e.getMessage()).contains("Unknown 'runner' specified '" + RUNNER + "'")) {
        throw new IllegalArgumentException("this jar has no DataflowRunner: build it with "
            + "mvn -Pdataflow -DskipTests -pl runners -am package (runners/dataflow/README.md)", e);
      }
      throw e;
    }
  }
}
