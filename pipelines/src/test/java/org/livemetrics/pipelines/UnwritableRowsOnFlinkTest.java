package org.livemetrics.pipelines;

import java.util.List;

/** The unwritable-row cases again, on the embedded FlinkRunner with parallelism 2. */
public class UnwritableRowsOnFlinkTest extends UnwritableRowsTest {
  @Override
  protected List<String> runnerArgs() {
    return List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
  }
}
