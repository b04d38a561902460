package org.livemetrics.pipelines;

import java.time.Instant;
import java.util.List;
import org.livemetrics.testdata.ArchiveGenerator;

/** The end-to-end comparison on the embedded FlinkRunner, parallelism 2. */
public class EndToEndBackfillOnFlinkTest extends EndToEndBackfillTest {
  @Override
  protected List<String> runnerArgs() {
    return List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
  }

  @Override
  protected ArchiveGenerator.Config archiveConfig() {
    return ArchiveGenerator.Config.builder()
        .seed(11).start(Instant.ofEpochMilli(FROM)).duration(java.time.Duration.ofHours(2))
        .videos(3).viewers(150).build();
  }
}
