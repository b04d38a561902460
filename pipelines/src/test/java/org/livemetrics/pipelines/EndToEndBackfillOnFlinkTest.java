package org.livemetrics.pipelines;

import java.util.List;

/** The end-to-end comparison on the embedded FlinkRunner, parallelism 2. */
public class EndToEndBackfillOnFlinkTest extends EndToEndBackfillTest {
  @Override
  protected List<String> runnerArgs() {
    return List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
  }
}
