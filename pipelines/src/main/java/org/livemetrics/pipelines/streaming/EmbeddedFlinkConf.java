package org.livemetrics.pipelines.streaming;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Settings the embedded Flink engine takes from its configuration only (the savepoint to restore,
 * the metric reporters): a new Flink configuration directory holding the given one ({@code
 * --flinkConfDir}, if any) plus the lines, which {@code --flinkConfDir} then points at. Used by
 * {@link FlinkRestore} and {@link FlinkPrometheusReporter}, one after the other.
 */
final class EmbeddedFlinkConf {
  /** The masters for which Beam runs Flink in this JVM. */
  static final Set<String> EMBEDDED = Set.of("[local]", "[auto]", "[collection]");

  private EmbeddedFlinkConf() {}

  /** Whether the options run Flink in this JVM (the FlinkRunner with an embedded master). */
  static boolean isEmbedded(PipelineOptions options) {
    return options.getRunner().getSimpleName().startsWith("Flink")
        && EMBEDDED.contains(options.as(FlinkPipelineOptions.class).getFlinkMaster());
  }

  /** The flink-conf.yaml of {@code --flinkConfDir}, empty if none. */
  static String read(FlinkPipelineOptions flink) throws IOException {
    if (flink.getFlinkConfDir() != null) {
      Path given = Path.of(flink.getFlinkConfDir(), "flink-conf.yaml");
      if (Files.exists(given)) {
        return Files.readString(given);
      }
    }
    return "";
  }

  /** The value of a top-level {@code key: value} line of the configuration, or null. */
  static String value(String conf, String key) {
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("(?m)^\\s*" + java.util.regex.Pattern.quote(key) + "\\s*:\\s*(.*?)\\s*$")
        .matcher(conf);
    String found = null;
    while (m.find()) {
      found = m.group(1); // the last one wins, as in Flink
    }
    return found == null || found.isEmpty() ? null : found;
  }

  /**
   * The REST API of the embedded engine (its web UI too): the configuration's {@code rest.port}
   * or {@code rest.bind-port}, else a free loopback port, which this adds. Null when the
   * configuration gives a port range (the engine picks one; nobody here can know which).
   */
  static String restUrl(FlinkPipelineOptions flink) throws IOException {
    String conf = read(flink);
    String port = value(conf, "rest.bind-port");
    if (port == null) {
      port = value(conf, "rest.port");
    }
    String address = value(conf, "rest.address");
    if (port != null) {
      return port.matches("\\d+")
          ? "http://" + (address == null ? "127.0.0.1" : address) + ":" + port : null;
    }
    int free;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      free = s.getLocalPort();
    }
    append(flink, "rest.port: " + free + "\n"
        + (value(conf, "rest.bind-address") == null ? "rest.bind-address: 127.0.0.1\n" : "")
        + (address == null ? "rest.address: 127.0.0.1\n" : ""));
    return "http://" + (address == null ? "127.0.0.1" : address) + ":" + free;
  }

  static void append(FlinkPipelineOptions flink, String lines) throws IOException {
    String conf = read(flink);
    Path dir = Files.createTempDirectory("livemetrics-flink-conf");
    Files.writeString(dir.resolve("flink-conf.yaml"),
        conf + (conf.endsWith("\n") || conf.isEmpty() ? "" : "\n") + lines);
    flink.setFlinkConfDir(dir.toString());
  }
}
