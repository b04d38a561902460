package org.livemetrics.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;
import org.livemetrics.pipelines.streaming.StreamingPipeline;
import org.yaml.snakeyaml.Yaml;

/**
 * kubernetes/flinkdeployment.yaml against the code and the files beside it: its arguments are
 * options the job accepts, its entry class and jar are the image's, and the metrics port, the
 * checkpoint interval and the upgrade mode agree with the PodMonitor, Beam's options and the
 * restart rules of pipelines/README.md ("Restarts") and docs/operations.md ("Upgrade").
 */
public class FlinkDeploymentTest {
  private static final Path KUBERNETES = Path.of(System.getProperty("basedir", "."), "kubernetes");

  @SuppressWarnings("unchecked")
  private static <T> T at(Object node, String... path) {
    for (String key : path) {
      node = ((Map<String, Object>) node).get(key);
    }
    return (T) node;
  }

  private static Object load(String file) throws Exception {
    return new Yaml().load(Files.readString(KUBERNETES.resolve(file)));
  }

  @Test
  public void argumentsAreOptionsOfTheStreamingJob() throws Exception {
    Object deployment = load("flinkdeployment.yaml");
    List<String> args = at(deployment, "spec", "job", "args");
    PipelineOptionsFactory.register(StreamingPipeline.Options.class);
    // Throws on an unknown or malformed option, as the job would at start.
    StreamingPipeline.Options options = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .withValidation().as(StreamingPipeline.Options.class);
    assertEquals(FlinkRunner.class, options.getRunner());
    assertFalse("a kept stream id", options.getStreamId().isEmpty());
    assertFalse(options.getKinesisStream().isEmpty());
    assertThat(options.getOutput(), containsString("s3://"));
    assertThat(options.getArchive(), containsString("s3://"));
    Map<String, Object> conf = at(deployment, "spec", "flinkConfiguration");
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    assertEquals("60s", conf.get("execution.checkpointing.interval"));
    assertEquals(Long.valueOf(60_000), flink.getCheckpointingInterval());
    assertEquals(String.valueOf(conf.get("execution.checkpointing.mode")), String.valueOf(flink.getCheckpointingMode()));
    assertEquals("RETAIN_ON_CANCELLATION", conf.get("execution.checkpointing.externalized-checkpoint-retention"));
    assertEquals(true, flink.isExternalizedCheckpointsEnabled());
    assertEquals(true, flink.getRetainExternalizedCheckpointsOnCancellation());
  }

  @Test
  public void entryClassAndJarAreTheImages() throws Exception {
    Object deployment = load("flinkdeployment.yaml");
    String entry = at(deployment, "spec", "job", "entryClass");
    Class.forName(entry).getMethod("main", String[].class);
    String jar = at(deployment, "spec", "job", "jarURI");
    assertThat(jar, containsString("local:///opt/flink/usrlib/"));
    String dockerfile = Files.readString(KUBERNETES.resolve("Dockerfile.flink"));
    assertThat(dockerfile, containsString(" " + jar.substring("local://".length()) + "\n"));
    assertThat(dockerfile, containsString("FROM flink:1.19-java17"));
    assertEquals("v1_19", at(deployment, "spec", "flinkVersion"));
  }

  @Test
  public void metricsPortIsWhatThePodMonitorScrapes() throws Exception {
    Object deployment = load("flinkdeployment.yaml");
    Map<String, Object> conf = at(deployment, "spec", "flinkConfiguration");
    assertEquals("org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
        conf.get("metrics.reporter.prom.factory.class"));
    List<Map<String, Object>> containers = at(deployment, "spec", "podTemplate", "spec", "containers");
    List<Map<String, Object>> ports = at(containers.get(0), "ports");
    assertEquals(String.valueOf(conf.get("metrics.reporter.prom.port")),
        String.valueOf(ports.get(0).get("containerPort")));
    Object podMonitor = load("podmonitor.yaml");
    List<Map<String, Object>> endpoints = at(podMonitor, "spec", "podMetricsEndpoints");
    assertEquals(String.valueOf(ports.get(0).get("name")), String.valueOf(endpoints.get(0).get("port")));
    // The operator labels the pods of a FlinkDeployment app=<its name>.
    String name = at(deployment, "metadata", "name");
    String selected = at(podMonitor, "spec", "selector", "matchLabels", "app");
    assertEquals(name, selected);
  }

  @Test
  public void upgradesStopWithASavepointWithoutDraining() throws Exception {
    // Draining sends the final watermark, which would close every open minute in the savepoint;
    // a stop without it is what StreamingOnFlinkTest checks loses and double counts nothing.
    Object deployment = load("flinkdeployment.yaml");
    assertEquals("savepoint", at(deployment, "spec", "job", "upgradeMode"));
    assertEquals("false", at(deployment, "spec", "flinkConfiguration",
        "kubernetes.operator.job.drain-on-savepoint-deletion"));
  }
}
