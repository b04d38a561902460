package org.livemetrics.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.livemetrics.pipelines.backfill.Backfill;
import org.livemetrics.pipelines.backfill.BackfillOptions;
import org.livemetrics.pipelines.backfill.WarmUp;

/**
 * One benchmark phase, run in its own JVM so its peak memory is its own. Prints one line:
 * {@code RESULT phase=… events=… seconds=… peak_rss_mb=… [extra]}.
 */
public final class Phases {
  private Phases() {}

  public static void main(String[] args) throws Exception {
    String phase = args[0];
    Path archive = Path.of(args[1]);
    int threads = Integer.parseInt(args[2]);
    long started = System.nanoTime();
    String line;
    switch (phase) {
      case "ceiling" -> line = ceiling(archive, threads, started);
      case "duckdb" -> line = duckdb(archive, threads, started);
      case "backfill" -> line = backfill(archive, Path.of(args[3]), threads, args[4], args[5], started);
      default -> throw new IllegalArgumentException("unknown phase " + phase);
    }
    System.out.println("RESULT phase=" + phase + " " + line + " peak_rss_mb=" + PeakMemory.peakRssMb()
        + String.format(Locale.ROOT, " cpu_seconds=%.1f", MachineLoad.cpuSeconds(ProcessHandle.current())));
    System.exit(0);
  }

  private static String seconds(long started) {
    return String.format(Locale.ROOT, "%.2f", (System.nanoTime() - started) / 1e9);
  }

  /** The ceiling: read, gunzip and JSON-parse every record (all tokens), in a plain loop. */
  static String ceiling(Path archive, int threads, long started) throws Exception {
    ConcurrentLinkedQueue<Path> files = new ConcurrentLinkedQueue<>(objects(archive));
    AtomicLong records = new AtomicLong();
    List<Thread> workers = new ArrayList<>();
    JsonFactory factory = new JsonFactory();
    for (int t = 0; t < threads; t++) {
      Thread w = new Thread(() -> {
        byte[] buf = new byte[1 << 20];
        long n = 0;
        for (Path f; (f = files.poll()) != null; ) {
          try (InputStream in = open(f)) {
            int len = 0;
            for (int r; (r = in.read(buf, len, buf.length - len)) >= 0; ) {
              len += r;
              if (len == buf.length) {
                int cut = lastNewline(buf, len);
                n += parseLines(factory, buf, cut);
                System.arraycopy(buf, cut, buf, 0, len - cut);
                len -= cut;
              }
            }
            n += parseLines(factory, buf, len);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }
        records.addAndGet(n);
      });
      w.start();
      workers.add(w);
    }
    for (Thread w : workers) {
      w.join();
    }
    return "events=" + records.get() + " seconds=" + seconds(started);
  }

  private static int lastNewline(byte[] buf, int len) {
    for (int i = len - 1; i >= 0; i--) {
      if (buf[i] == '\n') {
        return i + 1;
      }
    }
    return len;
  }

  private static long parseLines(JsonFactory factory, byte[] buf, int len) {
    long n = 0;
    int start = 0;
    for (int i = 0; i <= len; i++) {
      if (i == len || buf[i] == '\n') {
        if (i > start) {
          try (JsonParser p = factory.createParser(buf, start, i - start)) {
            while (p.nextToken() != null) {
              if (p.currentToken().isScalarValue()) {
                p.getText();
              }
            }
            n++;
          } catch (IOException e) {
            // a broken record: the pipeline dead-letters it, the ceiling just skips it
          }
        }
        start = i + 1;
      }
    }
    return n;
  }

  static InputStream open(Path f) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(f), 1 << 16);
    return f.toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
  }

  static List<Path> objects(Path archive) throws IOException {
    try (Stream<Path> s = Files.walk(archive)) {
      return s.filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().startsWith("_")).sorted().toList();
    }
  }

  /**
   * DuckDB computing the same per-minute metrics for the three dimension sets with SQL, from the
   * same gzip NDJSON. Country and device type are taken from the CloudFront fields only (no name
   * lookup, no user-agent parsing): slightly less work than the pipeline does.
   */
  static String duckdb(Path archive, int threads, long started) throws Exception {
    String glob = archive.toAbsolutePath() + "/**/*-*";
    String[] text = {"metric_type", "event_time", "channel_watched", "session_id", "user_id",
        "account_id", "ip", "user_agent", "player", "playing_time_ms", "buffering_time_ms",
        "CloudFront-Viewer-Country", "CloudFront-Is-Desktop-Viewer", "CloudFront-Is-Mobile-Viewer",
        "CloudFront-Is-Tablet-Viewer", "CloudFront-Is-SmartTV-Viewer"};
    StringBuilder columns = new StringBuilder();
    for (String c : text) {
      columns.append(columns.length() == 0 ? "" : ", ").append('"').append(c).append("\": 'VARCHAR'");
    }
    long rows = 0;
    long events;
    String version;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      try (ResultSet v = s.executeQuery("SELECT version()")) {
        v.next();
        version = v.getString(1);
      }
      s.execute("SET threads=" + threads);
      s.execute("SET preserve_insertion_order=false");
      s.execute("CREATE TEMP TABLE ev AS SELECT * FROM ("
          + " SELECT upper(metric_type) AS mt,"
          + "  try_cast(event_time AS BIGINT) AS t,"
          + "  channel_watched AS video, session_id AS session,"
          + "  coalesce(nullif(account_id, ''), 'default') AS account,"
          + "  CASE WHEN coalesce(ip, '') = '' AND coalesce(user_agent, '') = ''"
          + "   THEN CASE WHEN coalesce(user_id, '') <> '' THEN 'user|' || user_id ELSE 'session|' || session_id END"
          + "   ELSE coalesce(ip, '') || '|' || coalesce(user_agent, '') || '|' || coalesce(player, '') END AS fp,"
          + "  CASE WHEN length(\"CloudFront-Viewer-Country\") = 2 THEN upper(\"CloudFront-Viewer-Country\") ELSE 'unknown' END AS country,"
          + "  CASE WHEN lower(\"CloudFront-Is-SmartTV-Viewer\") = 'true' THEN 'smart_tv'"
          + "   WHEN lower(\"CloudFront-Is-Tablet-Viewer\") = 'true' THEN 'tablet'"
          + "   WHEN lower(\"CloudFront-Is-Mobile-Viewer\") = 'true' THEN 'mobile'"
          + "   WHEN lower(\"CloudFront-Is-Desktop-Viewer\") = 'true' THEN 'desktop' ELSE 'unknown' END AS device,"
          + "  coalesce(floor(try_cast(playing_time_ms AS DOUBLE))::BIGINT, 0) AS play,"
          + "  coalesce(floor(try_cast(buffering_time_ms AS DOUBLE))::BIGINT, 0) AS buf"
          + " FROM read_ndjson('" + glob + "', columns={" + columns + "}, ignore_errors=true, compression='auto_detect'))"
          + " WHERE mt IS NOT NULL AND mt <> '' AND t IS NOT NULL AND video IS NOT NULL AND session IS NOT NULL");
      try (ResultSet r = s.executeQuery("SELECT count(*) FROM ev")) {
        r.next();
        events = r.getLong(1);
      }
      s.execute("CREATE TEMP TABLE viewing AS SELECT account, video, country, device, fp, session,"
          + " unnest(generate_series(CASE WHEN mt = 'PLAYBACK_SUMMARY' THEN (t - least(play + buf, 300000)) // 60000"
          + "  ELSE t // 60000 END, t // 60000)) AS m FROM ev WHERE mt <> 'IMPRESSION'");
      for (String dims : List.of("", ", country", ", device")) {
        s.execute("CREATE OR REPLACE TEMP TABLE out_" + (dims.isEmpty() ? "video" : dims.substring(2)) + " AS"
            + " WITH counts AS (SELECT account, video" + dims + ", t // 60000 AS m,"
            + "  count(*) FILTER (WHERE mt = 'IMPRESSION') AS imp, count(*) FILTER (WHERE mt = 'PLAY') AS views,"
            + "  count(*) FILTER (WHERE mt = 'AD_START') AS ads,"
            + "  sum(CASE WHEN mt = 'PLAYBACK_SUMMARY' THEN play ELSE 0 END) AS ms FROM ev GROUP BY ALL),"
            + " uniq AS (SELECT account, video" + dims + ", m, count(DISTINCT (fp, session)) AS ccu,"
            + "  count(DISTINCT fp) AS fps FROM viewing GROUP BY ALL)"
            + " SELECT * FROM counts FULL OUTER JOIN uniq USING (account, video" + dims + ", m)");
        try (ResultSet r = s.executeQuery("SELECT count(*) FROM out_" + (dims.isEmpty() ? "video" : dims.substring(2)))) {
          r.next();
          rows += r.getLong(1);
        }
      }
    }
    return "events=" + events + " seconds=" + seconds(started) + " rows=" + rows + " version=" + version;
  }

  /** The backfill over the whole archive on the embedded FlinkRunner. */
  static String backfill(Path archive, Path store, int parallelism, String from, String to, long started)
      throws Exception {
    // The embedded engine as `livemetrics backfill` starts it: no --flinkMaster, Beam's [auto].
    String[] args = {"--runner=FlinkRunner", "--parallelism=" + parallelism,
        "--archive=" + archive, "--output=" + store, "--from=" + from, "--to=" + to,
        "--fingerprintSecret=benchmark"};
    WarmUp.startIfEmbedded(args); // as `livemetrics backfill` does
    BackfillOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(BackfillOptions.class);
    Backfill.Result r = Backfill.run(options);
    return "events=" + r.counter("events_parsed") + " seconds=" + seconds(started)
        + " pipeline_seconds=" + String.format(Locale.ROOT, "%.2f", r.pipelineMillis() / 1000.0)
        + " rows=" + r.counter("aggregate_rows_written");
  }
}
