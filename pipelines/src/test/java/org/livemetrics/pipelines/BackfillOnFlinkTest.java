package org.livemetrics.pipelines;

import java.util.List;

/** Every backfill case again, on the embedded FlinkRunner with parallelism 2. */
public class BackfillOnFlinkTest extends BackfillTest {
  @Override
  protected List<String> runnerArgs() {
    return List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
  }
}
