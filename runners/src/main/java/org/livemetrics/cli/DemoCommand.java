package org.livemetrics.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.livemetrics.pipelines.kinesis.KinesisAdmin;
import org.livemetrics.pipelines.kinesis.KinesisClients;
import org.livemetrics.pipelines.kinesis.KinesisOptions;
import org.livemetrics.pipelines.kinesis.KinesisReplay;
import org.livemetrics.pipelines.streaming.StreamingPipeline;
import org.livemetrics.api.AccessTokens;
import org.livemetrics.api.ApiServer;
import org.livemetrics.query.ElasticsearchAggregateStore;
import org.livemetrics.query.QueryEngine;
import org.livemetrics.query.QueryRequest;
import org.livemetrics.query.TimeseriesResult;
import org.livemetrics.schemas.Metric;
import org.livemetrics.testdata.ArchiveGenerator;
import org.livemetrics.testdata.services.LocalElasticsearch;
import org.livemetrics.testdata.services.LocalKinesis;
import org.livemetrics.testdata.services.LocalS3;

/**
 * {@code livemetrics demo}: the whole streaming path on one machine, with real servers. Starts
 * kinesalite, s3rver and Elasticsearch (installed by {@code scripts/services.sh install}), creates
 * the stream, the bucket and the index template, runs the streaming pipeline on the embedded
 * FlinkRunner, replays generated viewers into Kinesis as live events with a progress line, and
 * prints the live query answers (from Elasticsearch) as they change.
 */
final class DemoCommand {
  private static final String STREAM = "player-events";
  private static final String BUCKET = "livemetrics";
  private static final String USAGE = String.join("\n",
      "usage: livemetrics demo [--minutes=5] [--viewers=300] [--prometheusPort=9249]",
      "",
      "Starts local Kinesis (kinesalite), S3 (s3rver) and Elasticsearch servers, the streaming",
      "pipeline on the embedded Flink engine, and a replay of generated viewers as live events;",
      "prints the concurrent viewers and views per minute of each video from Elasticsearch every",
      "5 seconds. Needs `scripts/services.sh demo` first (bin/livemetrics demo runs it).",
      "Prints the dashboard's address with a token made for the run (http://127.0.0.1:PORT/#token=…).",
      "--prometheusPort serves the pipeline metrics on http://localhost:PORT/metrics",
      "(runners/monitoring/METRICS.md).");

  private DemoCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    int minutes = 5;
    int viewers = 300;
    String prometheusPort = null;
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h")) {
        out.println(USAGE);
        return 0;
      } else if (a.startsWith("--minutes=")) {
        minutes = Integer.parseInt(a.substring("--minutes=".length()));
      } else if (a.startsWith("--viewers=")) {
        viewers = Integer.parseInt(a.substring("--viewers=".length()));
      } else if (a.startsWith("--prometheusPort=")) {
        prometheusPort = a.substring("--prometheusPort=".length());
      } else {
        err.println("error: unknown option " + a + "\n\n" + USAGE);
        return 2;
      }
    }
    out.printf("livemetrics demo: runs about %d minutes (%d of replayed viewers, then one to"
        + " settle); Ctrl-C stops it sooner. Everything it starts and writes is removed when it"
        + " stops.%n", minutes + 1, minutes);
    // kinesalite speaks JSON only: the AWS SDK must not use CBOR in this JVM.
    System.setProperty("aws.cborEnabled", "false");
    try (LocalKinesis kinesis = new LocalKinesis();
        LocalS3 s3 = new LocalS3(BUCKET);
        LocalElasticsearch es = new LocalElasticsearch()) {
      out.println("starting local servers (from " + LocalKinesis.servicesDir() + ") ...");
      kinesis.start();
      s3.start();
      es.start();
      out.printf("  Kinesis        %s (stream %s)%n  S3             %s (bucket %s)%n"
          + "  Elasticsearch  %s%n", kinesis.endpoint(), STREAM, s3.endpoint(), BUCKET, es.endpoint());

      List<String> kinesisArgs = kinesis.kinesisArgs(STREAM);
      KinesisOptions k = PipelineOptionsFactory.fromArgs(kinesisArgs.toArray(String[]::new))
          .as(KinesisOptions.class);
      new KinesisAdmin(KinesisClients.sync(k)).createStream(STREAM, 2, Duration.ofSeconds(30));

      List<String> job = new ArrayList<>(kinesisArgs);
      job.addAll(s3.beamArgs());
      job.addAll(List.of("--runner=FlinkRunner", "--parallelism=2", "--checkpointingInterval=10000",
          "--elasticsearchUrl=" + es.endpoint(), "--output=s3://" + BUCKET + "/store",
          "--archive=s3://" + BUCKET + "/archive", "--kinesisInitialPosition=TRIM_HORIZON",
          "--fingerprintSecret=demo-secret", "--flushInterval=PT30S"));
      if (prometheusPort != null) {
        job.add("--prometheusPort=" + prometheusPort);
      }
      AtomicReference<Throwable> failed = new AtomicReference<>();
      Thread pipeline = new Thread(() -> {
        try {
          StreamingPipeline.Options o = PipelineOptionsFactory.fromArgs(job.toArray(String[]::new))
              .as(StreamingPipeline.Options.class);
          StreamingPipeline.run(o).waitUntilFinish();
        } catch (Throwable t) {
          failed.set(t);
        }
      }, "streaming-pipeline");
      pipeline.setDaemon(true);
      pipeline.start();
      out.println("streaming pipeline starting on the embedded Flink engine (parallelism 2)");

      // Generated viewers of the first `minutes` of a seeded day, re-stamped to now and paced by
      // their event time: a live event, as the player SDK would send it.
      Instant from = Instant.parse("2026-11-22T05:00:00Z");
      List<String> replay = new ArrayList<>(kinesisArgs);
      replay.addAll(List.of("--from=" + from, "--to=" + from.plus(Duration.ofMinutes(minutes)),
          "--viewers=" + viewers, "--videos=2", "--seed=42", "--restamp", "--followEventTime",
          "--rate=0"));
      // The same generator settings as the replay's: the videos to ask about.
      List<String> videos = ArchiveGenerator.Config.builder().seed(42)
          .start(from).duration(Duration.ofMinutes(minutes)).viewers(viewers).videos(2)
          .accountId("default").shards(1).build().videoIds();
      Thread producer = new Thread(() -> KinesisReplay.run(replay.toArray(String[]::new), out, err),
          "replay");
      producer.setDaemon(true);
      producer.start();

      ElasticsearchAggregateStore store = ElasticsearchAggregateStore.at(es.endpoint());
      QueryEngine engine = new QueryEngine(store);
      // The dashboard over the same store, with a token made for this run: the URL carries it in
      // the fragment, which the browser keeps to itself (the page moves it to sessionStorage).
      String token = AccessTokens.newToken();
      ApiServer dashboard = ApiServer.builder(engine, AccessTokens.parse(
              new String[] {AccessTokens.entryLine(token, "default")}, "demo"))
          .videoListing(store).port(0).build().start();
      out.println("dashboard (live numbers, updated every 5 s): " + dashboard.uri() + "/#token=" + token);
      try {
        DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
        long end = System.currentTimeMillis() + Duration.ofMinutes(minutes + 1).toMillis();
        while (System.currentTimeMillis() < end) {
          Thread.sleep(5_000);
          if (failed.get() != null) {
            err.println("error: the streaming pipeline failed: " + failed.get());
            return 1;
          }
          printLive(engine, videos, hhmm, out);
        }
      } finally {
        dashboard.stop();
      }
      out.println("demo done. The same answers come from the Parquet store on S3 and a backfill of"
          + " the archive the stream kept (s3://" + BUCKET + "/archive): see pipelines/README.md, \"Streaming\".");
      return 0;
    }
  }

  /** Concurrent viewers and views per minute, last 5 minutes, per video, from Elasticsearch. */
  private static void printLive(
      QueryEngine engine, List<String> videos, DateTimeFormatter hhmm, PrintStream out) {
    long now = System.currentTimeMillis();
    long from = (now / 60_000L - 4) * 60_000L;
    String uri = "/v1/timeseries/accounts/default?dimensions=video&metrics=ccu,video_view"
        + "&where=video==" + String.join(",", videos)
        + "&from=" + from + "&to=" + now + "&bucket_duration=1m";
    TimeseriesResult result;
    try {
      result = (TimeseriesResult) engine.execute(QueryRequest.parse(uri, Clock.systemUTC()));
    } catch (Exception e) {
      out.println(hhmm.format(Instant.ofEpochMilli(now)) + "  (no answer yet: " + e.getMessage() + ")");
      return;
    }
    StringBuilder b = new StringBuilder("\n" + DateTimeFormatter.ISO_INSTANT.format(
        Instant.ofEpochMilli(now).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)) + "  live from Elasticsearch");
    for (TimeseriesResult.Series s : result.series(Metric.CCU)) {
      b.append("\n  video ").append(s.dimensions().asApiMap().get("video")).append("  ccu per minute: ");
      s.points().forEach(p -> b.append(' ').append(hhmm.format(Instant.ofEpochMilli(p.timestamp())))
          .append('=').append(p.value()));
    }
    for (TimeseriesResult.Series s : result.series(Metric.VIDEO_VIEW)) {
      b.append("\n  video ").append(s.dimensions().asApiMap().get("video")).append("  views per minute:");
      s.points().forEach(p -> b.append(' ').append(hhmm.format(Instant.ofEpochMilli(p.timestamp())))
          .append('=').append(p.value()));
    }
    if (result.series(Metric.CCU).isEmpty()) {
      b.append("\n  (no rows yet)");
    }
    out.println(b);
  }
}
