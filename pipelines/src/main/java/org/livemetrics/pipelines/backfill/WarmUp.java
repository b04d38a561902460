package org.livemetrics.pipelines.backfill;

import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.pipelines.io.StoredRows;
import org.livemetrics.schemas.ClientPlatform;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.transforms.enrich.DeviceTypeResolver;

/**
 * Starts, on a background thread, the one-time work an embedded backfill otherwise does on its
 * critical path: building the user-agent analyzer (seconds of rule loading, needed by the first
 * record without CloudFront's device flags) and loading and initializing the Parquet and Avro
 * writer classes (needed when the first row is written). A profile of a small range showed the
 * job's main thread busy with Beam's options and Flink's start-up for several seconds while the
 * second core was mostly idle, and both of these on the critical path afterwards.
 *
 * <p>Only for a run whose tasks live in this JVM (the FlinkRunner with an embedded master, the
 * default): a job submitted to a cluster runs its tasks elsewhere.
 */
public final class WarmUp {
  private static final Set<String> EMBEDDED_MASTERS = Set.of("[local]", "[auto]", "[collection]");
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private WarmUp() {}

  /**
   * Starts the warm-up if {@code args} (a backfill's command-line arguments, before Beam parses
   * them) run the job in this JVM. Cheap and idempotent; never fails the run.
   */
  public static void startIfEmbedded(String[] args) {
    List<String> list = List.of(args);
    if (runsEmbedded(list)) {
      start();
      if (startsEngineEarly(list, System.getenv("FLINK_CONF_DIR"))) {
        PrestartedFlink.startInBackground(parallelism(list));
      }
    }
  }

  /**
   * Whether the engine can start before the pipeline is built ({@link PrestartedFlink}): with
   * Beam's {@code [auto]} master (the default), and no Flink configuration of the user's to apply.
   */
  static boolean startsEngineEarly(List<String> args, @Nullable String flinkConfDirEnv) {
    return value(args, "--flinkMaster", "[auto]").equals("[auto]")
        && value(args, "--flinkConfDir", "").isEmpty()
        && (flinkConfDirEnv == null || flinkConfDirEnv.isEmpty());
  }

  private static int parallelism(List<String> args) {
    try {
      return Integer.parseInt(value(args, "--parallelism", "-1"));
    } catch (NumberFormatException e) {
      return -1; // Beam reports it
    }
  }

  /** Jobs this JVM ran on an engine started while they were built (tests, diagnostics). */
  public static long jobsOnPrestartedEngine() {
    return PrestartedFlink.jobsSubmitted();
  }

  static boolean runsEmbedded(List<String> args) {
    String runner = value(args, "--runner", "FlinkRunner");
    String master = value(args, "--flinkMaster", "[auto]");
    return (runner.equals("FlinkRunner") || runner.endsWith(".FlinkRunner"))
        && EMBEDDED_MASTERS.contains(master);
  }

  private static String value(List<String> args, String name, String absent) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith(name + "=")) {
        return a.substring(name.length() + 1);
      }
      if (a.equals(name) && i + 1 < args.size()) {
        return args.get(i + 1);
      }
    }
    return absent;
  }

  static void start() {
    if (!STARTED.compareAndSet(false, true)) {
      return;
    }
    DeviceTypeResolver.warmUpInBackground();
    Thread t = new Thread(WarmUp::writeOneParquetRow, "parquet-warm-up");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  /** Writes one QoS row, as the backfill's sink does, to nowhere. */
  private static void writeOneParquetRow() {
    try {
      QosMinute row = QosMinute.builder()
          .account("warm-up")
          .dimensionSet(QosDimensionSet.CLIENT_PLATFORM)
          .clientPlatform(ClientPlatform.WEB.apiName())
          .minute(0L)
          .concurrentSessions(1)
          .renditionPlayingMs(java.util.Map.of("720p", 1L))
          .build();
      ParquetIO.Sink sink = ParquetIO.sink(StoredRows.QOS.schema());
      sink.open(Channels.newChannel(OutputStream.nullOutputStream()));
      sink.write(StoredRows.QOS.toRecord(row, 0L));
      sink.flush();
    } catch (Exception | LinkageError e) {
      // Only a head start: the sink does the same work when the first row comes.
    }
  }
}
