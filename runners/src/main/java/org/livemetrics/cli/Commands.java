package org.livemetrics.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptions;
import org.livemetrics.cli.BeamOptionCatalog.BeamOption;
import org.livemetrics.cli.CliCommand.Opt;
import org.livemetrics.cli.CliCommand.Style;
import org.livemetrics.pipelines.backfill.BackfillOptions;
import org.livemetrics.pipelines.kinesis.KinesisReplay;
import org.livemetrics.pipelines.streaming.StreamingPipeline;
import org.livemetrics.query.QueryEngine;
import org.livemetrics.schemas.UtcTime;

/**
 * Every {@code livemetrics} command's options, help and examples, in one place. Pipeline commands
 * (backfill, stream, replay) take their options from their Beam options interface; the tools
 * (query, export, serve, videos, generate, demo) declare theirs here. Either way the same thing
 * has the same name everywhere: {@code --store} is the aggregate store of every command.
 */
final class Commands {
  private Commands() {}

  static final String STORE = "<dir|s3://bucket/prefix>";
  static final String TIME = "<time>";
  private static final String DEMO_SAMPLE_FROM = "2026-11-22T05:00:00Z";

  /**
   * The commands, in the order {@code livemetrics help} lists them; each built only when asked for
   * (reading the Beam options interfaces takes a moment).
   */
  static Map<String, java.util.function.Supplier<CliCommand>> all() {
    Map<String, java.util.function.Supplier<CliCommand>> m = new LinkedHashMap<>();
    m.put("generate", Commands::generate);
    m.put("backfill", Commands::backfill);
    m.put("stream", Commands::stream);
    m.put("replay", Commands::replay);
    m.put("demo", Commands::demo);
    m.put("query", Commands::query);
    m.put("export", Commands::export);
    m.put("serve", Commands::serve);
    m.put("videos", Commands::videos);
    return m;
  }

  // ---------------------------------------------------------------------------------------------
  // Pipelines: options from their Beam interfaces
  // ---------------------------------------------------------------------------------------------

  /** Options of the engine, shown in every pipeline's help with the defaults they really have. */
  private static List<Opt> engine(boolean streaming) {
    List<Opt> e = new ArrayList<>(List.of(
        Opt.of("runner", "<FlinkRunner|DirectRunner|DataflowRunner>",
            "The engine that runs the pipeline.")
            .withDefault("FlinkRunner, with Flink embedded in this process unless --flinkMaster names a cluster"),
        Opt.of("flinkMaster", "<host:port>",
            "A Flink cluster's JobManager (REST address) to submit the job to.")
            .withDefault("[auto]: a Flink mini cluster embedded in this process"),
        Opt.of("parallelism", "<n>", "Parallel tasks of each step.").ofType(Integer.class)
            .withDefault("the number of cores when embedded, the cluster's default otherwise")));
    if (streaming) {
      e.add(Opt.of("checkpointingInterval", "<ms>",
          "Milliseconds between Flink checkpoints (what a restart resumes from).").ofType(Long.class)
          .withDefault("-1: off"));
    }
    return e.stream().map(o -> o.inGroup("Engine")).toList();
  }

  /**
   * The options of {@code iface} and of every registered interface: ours shown by group, the
   * engine's shown with their real defaults, the rest (Beam's, the runners', AWS's) hidden until
   * {@code --help=all}. {@code renamed}: Beam name to the command line's name (the old one keeps
   * working, with a deprecation line).
   */
  static List<Opt> pipelineOptions(Class<? extends PipelineOptions> iface, Map<String, String> renamed,
      boolean streaming) {
    List<Opt> engine = engine(streaming);
    Set<String> engineNames = Set.copyOf(engine.stream().map(Opt::name).toList());
    List<Opt> ours = new ArrayList<>();
    List<Opt> others = new ArrayList<>();
    for (BeamOption b : BeamOptionCatalog.options(iface)) {
      if (engineNames.contains(b.name())) {
        continue;
      }
      String cliName = renamed.getOrDefault(b.name(), b.name());
      Opt o = new Opt(cliName, label(cliName, b), b.description().replace("--output", "--store"),
          b.required(), b.defaultText(), b.isFlag(), groupName(b.declaredIn()), !b.ours(), b.name(),
          null, b.type());
      (b.ours() ? ours : others).add(o);
      if (!cliName.equals(b.name())) {
        others.add(o.oldSpelling(b.name()));
      }
    }
    List<Opt> all = new ArrayList<>(ours);
    all.addAll(engine);
    all.addAll(others);
    return all;
  }

  /** The options a tool passes to Beam's file systems (S3, AWS): all hidden, none renamed. */
  private static List<Opt> fileSystemOptions(List<Opt> own) {
    Set<String> taken = Set.copyOf(own.stream().map(Opt::name).toList());
    List<Opt> all = new ArrayList<>(own);
    for (BeamOption b : BeamOptionCatalog.options(PipelineOptions.class)) {
      if (!taken.contains(b.name())) {
        all.add(new Opt(b.name(), label(b.name(), b), b.description(), false, b.defaultText(),
            b.isFlag(), groupName(b.declaredIn()), true, b.name(), null, b.type()));
      }
    }
    return all;
  }

  private static String label(String name, BeamOption b) {
    if (b.isFlag()) {
      return "";
    }
    if (Set.of("store", "archive", "broadcastArchive", "deadLetters").contains(name)) {
      return STORE;
    }
    if (Set.of("from", "to", "now").contains(name)) {
      return TIME;
    }
    Class<?> t = b.type();
    if (t.isEnum()) {
      StringBuilder s = new StringBuilder("<");
      for (Object c : t.getEnumConstants()) {
        s.append(s.length() > 1 ? "|" : "").append(c);
      }
      return s.append('>').toString();
    }
    if (t == int.class || t == long.class || t == Integer.class || t == Long.class) {
      return "<n>";
    }
    return "<value>";
  }

  /** {@code BroadcastMetricsOptions} -> {@code Broadcast metrics}. */
  static String groupName(Class<?> c) {
    String n = c.getSimpleName().equals("Options") && c.getEnclosingClass() != null
        ? c.getEnclosingClass().getSimpleName() : c.getSimpleName().replaceFirst("Options$", "");
    String spaced = n.replaceAll("([a-z0-9])([A-Z])", "$1 $2");
    return spaced.isEmpty() ? "Beam" : spaced.charAt(0) + spaced.substring(1).toLowerCase(java.util.Locale.ROOT);
  }

  static CliCommand backfill() {
    return new CliCommand("backfill",
        "recompute the live metrics of a range of hours from the archive",
        List.of("Reads the raw player events of [--from, --to) from the archive, computes the minute",
            "metrics and replaces those hours in the aggregate store. Runs on Flink embedded in this",
            "process unless --flinkMaster names a cluster; prints one summary line at the end."),
        pipelineOptions(BackfillOptions.class, Map.of("output", "store"), false),
        null, null,
        List.of("livemetrics backfill --archive testdata/sample --store /tmp/store \\",
            "    --from 2026-11-22T05 --to 2026-11-22T07 --fingerprintSecret demo-secret",
            "livemetrics backfill --archive s3://raw/events --store s3://metrics/prod --awsRegion eu-west-1 \\",
            "    --from 2026-11-22 --to 2026-11-23 --fingerprintSecret \"$SECRET\" --flinkMaster jobmanager:8081"),
        Style.EQUALS, BackfillCommand::run);
  }

  static CliCommand stream() {
    return new CliCommand("stream",
        "the streaming pipeline: Kinesis in; Elasticsearch, Parquet and the archive out",
        List.of("Reads player events from a Kinesis stream and writes live minute rows to",
            "Elasticsearch and/or the Parquet store, and the raw events to the archive. Runs until",
            "stopped: Ctrl-C (or SIGTERM) here; on a cluster, stop the job with a savepoint."),
        pipelineOptions(StreamingPipeline.Options.class, Map.of("output", "store"), true),
        null, null,
        List.of("livemetrics stream --kinesisStream player-events --kinesisRegion eu-west-1 \\",
            "    --elasticsearchUrl http://localhost:9200 --store s3://metrics/prod \\",
            "    --archive s3://raw/events --fingerprintSecret \"$SECRET\""),
        Style.EQUALS, StreamCommand::run);
  }

  static CliCommand replay() {
    return new CliCommand("replay",
        "put archived or generated player events into a Kinesis stream at a steady rate",
        List.of("Puts player events into a Kinesis stream at a steady rate, partitioned by session_id,",
            "from a recorded archive or generated for a time range (seeded, like `generate`).",
            "Progress goes to stderr once a second; a summary to stdout at the end."),
        pipelineOptions(KinesisReplay.Options.class, Map.of(), false).stream()
            .filter(o -> !o.group().equals("Engine")).toList(),
        null, null,
        List.of("livemetrics replay --archive testdata/sample --restamp --rate 200 \\",
            "    --kinesisStream player-events --createShards 2 --kinesisEndpoint http://127.0.0.1:4567 \\",
            "    --kinesisRegion us-east-1 --kinesisAccessKey local --kinesisSecretKey local",
            "livemetrics replay --from 2026-11-22T05 --to 2026-11-22T06 --viewers 500 \\",
            "    --kinesisStream player-events --kinesisRegion eu-west-1 --restamp"),
        Style.EQUALS, (args, out, err) -> KinesisReplay.run(args, out, err));
  }

  // ---------------------------------------------------------------------------------------------
  // Tools: options declared here
  // ---------------------------------------------------------------------------------------------

  private static Opt store(String what) {
    return Opt.of("store", STORE + "", "The aggregate store " + what + ": a directory or an s3:// URI"
        + " (Parquet)").asRequired();
  }

  static CliCommand query() {
    List<Opt> own = List.of(
        store("to read").withDescription("The aggregate store: a directory or an s3:// URI (Parquet), or"
            + " http(s)://host:9200[,host2:9200][/alias] (Elasticsearch; credentials from"
            + " LIVEMETRICS_ELASTICSEARCH_USERNAME and LIVEMETRICS_ELASTICSEARCH_PASSWORD)."),
        Opt.of("now", TIME, "The time 'now' stands for, for reproducible answers.")
            .withDefault("the clock"),
        Opt.of("max-points", "<n>", "The most points a timeseries may have per series.")
            .withDefault(String.valueOf(QueryEngine.DEFAULT_MAX_POINTS_PER_SERIES)),
        Opt.of("channel-owners", "<file>", "Which accounts own which IVS channels: lines of"
            + " '<AWS account id | channel ARN prefix> <account,...>'; without it channels are read"
            + " at accounts/*."));
    return new CliCommand("query", "answer a Brightcove Live Analytics URL from the aggregate store",
        List.of("Answers one Live Analytics request from the store and prints the JSON body the",
            "Brightcove API would return. Without from/to a request covers the last 32 days before",
            "--now: give them (ISO-8601 or epoch ms) for answers that do not change with the clock."),
        fileSystemOptions(own), "<request>",
        "/v1/timeseries/accounts/<account>?dimensions=…&metrics=…&where=…&from=…&to=…"
            + "[&bucket_duration=…], /v1/events/accounts/<account>?…, or"
            + " /v1/streams/accounts/<account>[?where=channel==…]; from/to: ISO-8601 or epoch ms",
        List.of("livemetrics query --store /tmp/store \\",
            "    '/v1/timeseries/accounts/default?dimensions=video&metrics=ccu,video_view"
                + "&from=2026-11-22T05:00:00Z&to=2026-11-22T07:00:00Z&bucket_duration=1h'"),
        Style.EQUALS, (args, out, err) -> org.livemetrics.query.QueryCommand.run(args, out, err));
  }

  static CliCommand export() {
    List<Opt> own = List.of(
        store("to read"),
        Opt.of("account", "<account>", "The account of the video.").asRequired(),
        Opt.of("video", "<video>", "The video to report on.").asRequired(),
        Opt.of("out", "<file.xlsx>", "The workbook to write (replaced if it exists; mode 0644"
            + " less the umask).").asRequired(),
        Opt.of("from", TIME, "The first minute of the report.")
            .withDefault("the first minute with data, looking back 32 days from --now"),
        Opt.of("to", TIME, "The last minute of the report (included).")
            .withDefault("the last minute with data"),
        Opt.of("now", TIME, "The time 'now' stands for, for reproducible reports.")
            .withDefault("the clock"));
    return new CliCommand("export", "write the four-sheet XLSX report of one video",
        List.of("Writes the XLSX report of one video from the store. The file appears whole or not",
            "at all: the report goes to a temporary file beside it, moved into place when complete."),
        fileSystemOptions(own), null, null,
        List.of("livemetrics export --store /tmp/store --account default --video <video> \\",
            "    --from 2026-11-22T05:00:00Z --to 2026-11-22T06:59:00Z --out report.xlsx"),
        Style.EQUALS, (args, out, err) -> org.livemetrics.export.ExportCommand.run(args, out, err));
  }

  static CliCommand serve() {
    List<Opt> own = List.of(
        Opt.of("store", STORE, "The aggregate store to serve: a directory or an s3:// URI."
            + " Required unless --new-token or --hash-token."),
        Opt.of("port", "<port>", "The port to listen on (0 picks a free one).").withDefault("8080"),
        Opt.of("bind", "<address>", "The address to listen on (0.0.0.0 for all).")
            .withDefault("127.0.0.1"),
        Opt.of("tokens", "<file>", "The access tokens file (lines as --new-token prints them);"
            + " entries in $LIVEMETRICS_TOKENS are read too."),
        Opt.of("channel-owners", "<file>", "Which accounts own which IVS channels (broadcast"
            + " metrics, streams)."),
        Opt.of("max-points", "<n>", "The most points per timeseries series.")
            .withDefault(String.valueOf(QueryEngine.DEFAULT_MAX_POINTS_PER_SERIES)),
        Opt.of("max-videos", "<n>", "The most videos one request may name in where.")
            .withDefault(String.valueOf(org.livemetrics.api.ApiServer.DEFAULT_MAX_VIDEOS)),
        Opt.of("header-timeout", "<seconds>", "Seconds a client has to send a request's line and"
            + " headers; slower connections are closed.")
            .withDefault(String.valueOf(org.livemetrics.api.ApiServer.DEFAULT_HEADER_TIMEOUT.toSeconds())),
        Opt.of("new-token", "", "Print a new random token and its tokens-file line, then exit.")
            .asFlag().inGroup("Tokens"),
        Opt.of("hash-token", "<token|->", "Print the tokens-file line of a token ('-': read it from"
            + " stdin), then exit.").inGroup("Tokens"),
        Opt.of("accounts", "<account,...|*>", "With --new-token/--hash-token: the accounts the token"
            + " may read, or * for all.").inGroup("Tokens"));
    return new CliCommand("serve", "serve the Analytics HTTP API (timeseries, events, export) with bearer tokens",
        List.of("Serves GET /v1/timeseries/accounts/<account>, /v1/events/accounts/<account>,",
            "/v1/streams/accounts/<account>, /v1/events/accounts/<account>/videos/<video>/export",
            "and the dashboard at /, until Ctrl-C or SIGTERM. from and to take ISO-8601 or epoch ms."),
        fileSystemOptions(own), null, null,
        List.of("livemetrics serve --new-token --accounts default",
            "livemetrics serve --store /tmp/store --tokens tokens.txt --port 8080"),
        Style.EQUALS, (args, out, err) -> org.livemetrics.api.ServeCommand.run(args, out, err));
  }

  static CliCommand videos() {
    List<Opt> own = List.of(
        store("to read"),
        Opt.of("account", "<account>", "The account whose videos to list.").asRequired(),
        Opt.of("from", TIME, "Start of the range (inclusive).").asRequired(),
        Opt.of("to", TIME, "End of the range (exclusive).").asRequired(),
        Opt.of("all", "", "Also list videos with stored rows but no viewers.").asFlag());
    return new CliCommand("videos", "list the videos that had viewers in a range (for nightly reports)",
        List.of("Prints the ids, sorted, one a line, of the videos with ccu > 0 in some minute of the range."),
        fileSystemOptions(own), null, null,
        List.of("livemetrics videos --store /tmp/store --account default --from 2026-11-22 --to 2026-11-23"),
        Style.EQUALS, (args, out, err) -> org.livemetrics.api.VideosCommand.run(args, out, err));
  }

  static CliCommand generate() {
    List<Opt> own = List.of(
        Opt.of("out", "<dir>", "The archive directory to write (ROOT/YYYY/MM/DD/HH/<objects>).")
            .asRequired(),
        Opt.of("seed", "<n>", "Seed (same seed, same events).").withDefault("42"),
        Opt.of("start", TIME, "Start of the generated range.").withDefault(DEMO_SAMPLE_FROM),
        Opt.of("duration", "<ISO duration>", "Length of the range, e.g. PT2H.").withDefault("PT2H"),
        Opt.of("viewers", "<n>", "Concurrent viewers.").withDefault("40"),
        Opt.of("events", "<n>", "Generate about this many events instead of --viewers viewers."),
        Opt.of("videos", "<n>", "Videos.").withDefault("2"),
        Opt.of("account", "<account>", "account_id of the events.").withDefault("default"),
        Opt.of("shards", "<n>", "Firehose shards (objects per interval).")
            .withDefault("viewers / 2500, between 1 and 8"),
        Opt.of("benchmark", "", "Every object gzipped, no odd layouts: the benchmark's archive.").asFlag());
    return new CliCommand("generate", "write a seeded, realistic player-event archive (Firehose layout)",
        List.of(), own, null, null,
        List.of("livemetrics generate --out /tmp/archive --start 2026-11-22T05 --duration PT1H --viewers 500"),
        Style.SPACE, Commands::runGenerate);
  }

  /** The generator reads ISO instants only: other time forms are turned into one here. */
  private static int runGenerate(String[] args, java.io.PrintStream out, java.io.PrintStream err) {
    String[] a = args.clone();
    for (int i = 0; i + 1 < a.length; i++) {
      if (a[i].equals("--start")) {
        try {
          a[i + 1] = Instant.ofEpochMilli(UtcTime.parse(a[i + 1])).toString();
        } catch (IllegalArgumentException e) {
          err.println("error: --start: " + e.getMessage());
          return 2;
        }
      }
    }
    return GenerateCommand.run(a, out, err);
  }

  static CliCommand demo() {
    List<Opt> own = List.of(
        Opt.of("minutes", "<n>", "How many minutes of viewers to replay; the demo stops one minute"
            + " after.").withDefault("5"),
        Opt.of("viewers", "<n>", "Concurrent viewers of the replay.").withDefault("300"),
        Opt.of("prometheusPort", "<port>", "Serve the pipeline metrics on"
            + " http://localhost:PORT/metrics (runners/monitoring/METRICS.md)."));
    return new CliCommand("demo", "local Kinesis, S3 and Elasticsearch, the streaming pipeline and live answers",
        List.of("Starts local Kinesis (kinesalite), S3 (s3rver) and Elasticsearch servers, the",
            "streaming pipeline on the embedded Flink engine, and a replay of generated viewers as",
            "live events; prints the concurrent viewers and views per minute of each video every 5",
            "seconds, and the dashboard's address with a token made for the run. Runs --minutes + 1",
            "minutes, or until Ctrl-C; everything it started and wrote is removed when it stops.",
            "Needs Java 17, Maven and npm: bin/livemetrics demo installs kinesalite, s3rver (npm) and",
            "Elasticsearch (Maven Central) into .work/services on first use (about 150 MB)."),
        own, null, null,
        List.of("bin/livemetrics demo --minutes 2 --viewers 100"),
        Style.EQUALS, DemoCommand::run);
  }
}
