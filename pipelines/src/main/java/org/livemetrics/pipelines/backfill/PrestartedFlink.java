package org.livemetrics.pipelines.backfill;

import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.client.deployment.executors.LocalExecutor;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.client.program.ContextEnvironment;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;
import org.apache.flink.runtime.minicluster.RpcServiceSharing;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the embedded Flink engine of a backfill while Beam builds and translates the pipeline,
 * instead of after: its start-up (the RPC system, the dispatcher, the task manager) took about
 * three seconds on the critical path of every backfill, after seconds in which the main thread
 * alone was busy with Beam's options and translation.
 *
 * <p>It uses Flink's own hook for programs run by a client ({@link ContextEnvironment}, what
 * {@code flink run} installs): with the FlinkRunner's default master {@code [auto]}, Beam takes
 * the context environment, and its one job is submitted to the engine started here, exactly the
 * engine Flink would start for it (one task manager with as many slots as the job's parallelism,
 * the same configuration as Beam's local environment), which is shut down when the job ends. Any
 * other case (a second job in this JVM, a job wider than the slots, an engine that failed to
 * start) runs as before, on an engine started for it. Not used with a Flink configuration
 * directory ({@code FLINK_CONF_DIR} or {@code --flinkConfDir}), whose settings only Beam applies.
 */
final class PrestartedFlink {
  private static final Logger LOG = LoggerFactory.getLogger(PrestartedFlink.class);
  static final String EXECUTOR = "livemetrics-prestarted";

  private final Configuration configuration;
  private final int slots;
  private final CompletableFuture<MiniCluster> started;
  private boolean used;
  private static @Nullable PrestartedFlink current;
  private static final java.util.concurrent.atomic.AtomicLong SUBMITTED =
      new java.util.concurrent.atomic.AtomicLong();

  private PrestartedFlink(Configuration configuration, int slots) {
    this.configuration = configuration;
    this.slots = slots;
    this.started = new CompletableFuture<>();
  }

  /**
   * Starts the engine on a background thread and installs it as this thread's Flink context;
   * {@code parallelism} is the job's (the cores when unset, as Beam's local environment).
   */
  static synchronized void startInBackground(int parallelism) {
    if (current != null) {
      current.discard(); // started for a job that never ran (its options were refused, say)
    }
    // What Beam's [auto] local environment runs with, and Flink's per-job mini cluster adds.
    Configuration conf = new Configuration();
    conf.set(CoreOptions.CHECK_LEAKED_CLASSLOADER, false);
    conf.set(RestOptions.BIND_PORT, "0");
    int slots = parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors();
    PrestartedFlink engine = new PrestartedFlink(conf, slots);
    Thread t = new Thread(engine::start, "flink-prestart");
    t.setDaemon(true);
    t.start();
    Configuration context = new Configuration(conf);
    context.set(DeploymentOptions.TARGET, EXECUTOR);
    context.set(DeploymentOptions.ATTACHED, true);
    ContextEnvironment.setAsContext(engine.loader(), context,
        PrestartedFlink.class.getClassLoader(), false, true);
    current = engine;
  }

  /** Closes an engine no job used, and takes it out of the context. */
  private synchronized void discard() {
    if (!used) {
      used = true;
      ContextEnvironment.unsetAsContext();
      started.thenAccept(MiniCluster::closeAsync);
    }
  }

  private void start() {
    try {
      MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
          .setConfiguration(configuration)
          .setNumTaskManagers(1)
          .setNumSlotsPerTaskManager(slots)
          .setRpcServiceSharing(RpcServiceSharing.SHARED)
          .build());
      cluster.start();
      started.complete(cluster);
    } catch (Throwable e) {
      started.completeExceptionally(e);
    }
  }

  private PipelineExecutorServiceLoader loader() {
    PipelineExecutorFactory factory = new PipelineExecutorFactory() {
      @Override
      public String getName() {
        return EXECUTOR;
      }

      @Override
      public boolean isCompatibleWith(Configuration c) {
        return EXECUTOR.equals(c.get(DeploymentOptions.TARGET));
      }

      @Override
      public PipelineExecutor getExecutor(Configuration c) {
        return PrestartedFlink.this::execute;
      }
    };
    return new PipelineExecutorServiceLoader() {
      @Override
      public PipelineExecutorFactory getExecutorFactory(Configuration c) {
        return factory;
      }

      @Override
      public Stream<String> getExecutorNames() {
        return Stream.of(EXECUTOR);
      }
    };
  }

  private synchronized CompletableFuture<JobClient> execute(Pipeline pipeline, Configuration c,
      ClassLoader classLoader) throws Exception {
    // One job: later ones in this JVM get Beam's own environment.
    ContextEnvironment.unsetAsContext();
    JobGraph job = PipelineExecutorUtils.getJobGraph(pipeline, c, classLoader);
    MiniCluster cluster = used ? null : ready();
    used = true;
    if (cluster == null || job.getMaximumParallelism() > slots) {
      if (cluster != null) {
        cluster.closeAsync();
      }
      Configuration local = new Configuration(c);
      local.set(DeploymentOptions.TARGET, "local");
      return LocalExecutor.create(local).execute(pipeline, local, classLoader);
    }
    SUBMITTED.incrementAndGet();
    LOG.info("Job {} runs on the engine started while it was built", job.getJobID());
    return cluster.submitJob(job).thenApply(result -> new MiniClusterJobClient(result.getJobID(),
        cluster, classLoader, MiniClusterJobClient.JobFinalizationBehavior.SHUTDOWN_CLUSTER));
  }

  /** Jobs this JVM ran on an engine started while they were built. */
  static long jobsSubmitted() {
    return SUBMITTED.get();
  }

  private @Nullable MiniCluster ready() {
    try {
      return started.join();
    } catch (RuntimeException e) {
      LOG.warn("The prestarted Flink engine did not start; starting one for the job", e);
      return null;
    }
  }
}
