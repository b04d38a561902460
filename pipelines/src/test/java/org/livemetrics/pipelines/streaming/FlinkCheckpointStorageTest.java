package org.livemetrics.pipelines.streaming;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Where the streaming job's checkpoints go, for each way of running it. */
public class FlinkCheckpointStorageTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static StreamingPipeline.Options options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(StreamingPipeline.Options.class);
  }

  private static String conf(StreamingPipeline.Options o) throws Exception {
    return EmbeddedFlinkConf.read(o.as(FlinkPipelineOptions.class));
  }

  @Test
  public void theEmbeddedEngineWritesCheckpointsToTheGivenDirectory() throws Exception {
    Path dir = tmp.newFolder("checkpoints").toPath();
    StreamingPipeline.Options o = options("--runner=FlinkRunner", "--flinkMaster=[local]",
        "--checkpointingInterval=1000", "--checkpointDir=" + dir);
    FlinkCheckpointStorage.apply(o, "s1");
    assertEquals(dir.toUri().toString(), EmbeddedFlinkConf.value(conf(o), "state.checkpoints.dir"));
  }

  @Test
  public void withoutADirectoryTheEmbeddedEngineUsesOneOfTheRun() throws Exception {
    StreamingPipeline.Options o = options("--runner=FlinkRunner", "--flinkMaster=[local]",
        "--checkpointingInterval=1000");
    FlinkCheckpointStorage.apply(o, "run42");
    Path expected = Path.of(System.getProperty("java.io.tmpdir"), "livemetrics-checkpoints", "run42");
    assertEquals(expected.toUri().toString(), EmbeddedFlinkConf.value(conf(o), "state.checkpoints.dir"));
    assertTrue(Files.isDirectory(expected));
  }

  @Test
  public void aFlinkConfigurationThatNamesADirectoryIsKept() throws Exception {
    Path confDir = tmp.newFolder("conf").toPath();
    Files.writeString(confDir.resolve("flink-conf.yaml"),
        "rest.port: 8089\nstate.checkpoints.dir: s3://bucket/checkpoints\n");
    StreamingPipeline.Options o = options("--runner=FlinkRunner", "--flinkMaster=[local]",
        "--checkpointingInterval=1000", "--flinkConfDir=" + confDir);
    FlinkCheckpointStorage.apply(o, "s1");
    assertEquals(confDir.toString(), o.as(FlinkPipelineOptions.class).getFlinkConfDir());
    assertEquals("http://127.0.0.1:8089", EmbeddedFlinkConf.restUrl(o.as(FlinkPipelineOptions.class)));
    // ... and two places for the checkpoints are refused.
    StreamingPipeline.Options both = options("--runner=FlinkRunner", "--flinkMaster=[local]",
        "--checkpointingInterval=1000", "--flinkConfDir=" + confDir, "--checkpointDir=/tmp/x");
    assertThrows(IllegalArgumentException.class, () -> FlinkCheckpointStorage.apply(both, "s1"));
  }

  @Test
  public void aClusterJobUsesTheClustersUnlessADirectoryIsGiven() throws Exception {
    StreamingPipeline.Options cluster = options("--runner=FlinkRunner",
        "--flinkMaster=jobmanager:8081", "--checkpointingInterval=60000");
    FlinkCheckpointStorage.apply(cluster, "s1");
    assertNull(cluster.as(FlinkPipelineOptions.class).getStateBackend());
    StreamingPipeline.Options given = options("--runner=FlinkRunner",
        "--flinkMaster=jobmanager:8081", "--checkpointDir=s3://bucket/checkpoints");
    FlinkCheckpointStorage.apply(given, "s1");
    assertEquals("filesystem", given.as(FlinkPipelineOptions.class).getStateBackend());
    assertEquals("s3://bucket/checkpoints",
        given.as(FlinkPipelineOptions.class).getStateBackendStoragePath());
  }

  @Test
  public void theEmbeddedEngineGetsALoopbackRestPort() throws Exception {
    StreamingPipeline.Options o = options("--runner=FlinkRunner", "--flinkMaster=[local]");
    String url = EmbeddedFlinkConf.restUrl(o.as(FlinkPipelineOptions.class));
    String port = EmbeddedFlinkConf.value(conf(o), "rest.port");
    assertEquals("http://127.0.0.1:" + port, url);
    assertEquals("127.0.0.1", EmbeddedFlinkConf.value(conf(o), "rest.bind-address"));
  }
}
