package org.livemetrics.pipelines.backfill;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

/** Which command lines run the backfill's tasks in this JVM, and so warm up here. */
public class WarmUpTest {
  @Test
  public void theDefaultRunnerAndMasterAreEmbedded() {
    assertTrue(WarmUp.runsEmbedded(List.of("--archive=/a", "--store", "/s")));
    assertTrue(WarmUp.runsEmbedded(List.of("--runner=FlinkRunner", "--flinkMaster=[local]")));
    assertTrue(WarmUp.runsEmbedded(List.of("--runner", "FlinkRunner", "--flinkMaster", "[auto]")));
    assertTrue(WarmUp.runsEmbedded(
        List.of("--runner=org.apache.beam.runners.flink.FlinkRunner", "--flinkMaster=[collection]")));
  }

  @Test
  public void aClusterOrAnotherRunnerIsNot() {
    assertFalse(WarmUp.runsEmbedded(List.of("--flinkMaster=flink-jobmanager:8081")));
    assertFalse(WarmUp.runsEmbedded(List.of("--flinkMaster", "localhost:8081")));
    assertFalse(WarmUp.runsEmbedded(List.of("--runner=DirectRunner")));
    assertFalse(WarmUp.runsEmbedded(List.of("--runner=DataflowRunner", "--flinkMaster=[local]")));
  }

  @Test
  public void theEngineStartsEarlyOnlyWithBeamsAutoMasterAndNoFlinkConfiguration() {
    assertTrue(WarmUp.startsEngineEarly(List.of("--parallelism=2"), null));
    assertTrue(WarmUp.startsEngineEarly(List.of("--flinkMaster=[auto]"), ""));
    // [local] makes Beam build its own local environment; a configuration only Beam applies.
    assertFalse(WarmUp.startsEngineEarly(List.of("--flinkMaster=[local]"), null));
    assertFalse(WarmUp.startsEngineEarly(List.of("--flinkConfDir=/etc/flink"), null));
    assertFalse(WarmUp.startsEngineEarly(List.of(), "/opt/flink/conf"));
  }

  @Test
  public void aMissingValueKeepsTheDefault() {
    assertTrue(WarmUp.runsEmbedded(List.of("--flinkMaster")));
  }
}
