package org.livemetrics.pipelines;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.livemetrics.pipelines.backfill.WarmUp;

/**
 * Every backfill case again, as {@code livemetrics backfill} starts one: the warm-up and the
 * embedded engine started while the pipeline is built (Beam's {@code [auto]} master, Flink's
 * context environment), parallelism 2. The re-run case runs three jobs in one JVM, each on the
 * engine started for it.
 */
public class BackfillOnPrestartedFlinkTest extends BackfillTest {
  @Override
  protected List<String> runnerArgs() {
    return List.of("--runner=FlinkRunner", "--parallelism=2");
  }

  private long jobsBefore;

  @Override
  protected void beforeRun(String[] args) {
    jobsBefore = WarmUp.jobsOnPrestartedEngine();
    WarmUp.startIfEmbedded(args);
  }

  @Override
  protected void afterRun() {
    assertEquals("the job ran on the engine started for it", jobsBefore + 1,
        WarmUp.jobsOnPrestartedEngine());
  }
}
