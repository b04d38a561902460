package org.livemetrics.cli;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The {@code livemetrics} command: one entry point for every job and tool. Each subcommand's
 * {@code --help} lists its options.
 */
public final class Livemetrics {
  private static final String USAGE =
      String.join("\n",
          "usage: livemetrics <command> [options]",
          "",
          "commands:",
          "  generate   write a seeded, realistic player-event archive (Firehose layout)",
          "  backfill   recompute the live metrics of a range of hours from the archive",
          "  stream     the streaming pipeline: Kinesis in; Elasticsearch, Parquet and the archive out",
          "  replay     put archived or generated player events into a Kinesis stream at a steady rate",
          "  demo       local Kinesis, S3 and Elasticsearch, the streaming pipeline and live answers",
          "  query      answer a Brightcove Live Analytics URL from the aggregate store",
          "  export     write the four-sheet XLSX report of one video",
          "  serve      serve the Analytics HTTP API (timeseries, events, export) with bearer tokens",
          "  videos     list the videos that had viewers in a range (for nightly reports)",
          "  help       this text",
          "",
          "Run `livemetrics <command> --help` for a command's options.");

  private Livemetrics() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    if (args.length == 0) {
      err.println(USAGE);
      return 2;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "generate":
        return GenerateCommand.run(rest, out, err);
      case "backfill":
        return BackfillCommand.run(rest, out, err);
      case "stream":
        return StreamCommand.run(rest, out, err);
      case "replay":
        return org.livemetrics.pipelines.kinesis.KinesisReplay.run(rest, out, err);
      case "demo":
        return DemoCommand.run(rest, out, err);
      case "query":
        return org.livemetrics.query.QueryCommand.run(rest, out, err);
      case "export":
        return org.livemetrics.export.ExportCommand.run(rest, out, err);
      case "serve":
        return org.livemetrics.api.ServeCommand.run(rest, out, err);
      case "videos":
        return org.livemetrics.api.VideosCommand.run(rest, out, err);
      case "help":
      case "--help":
      case "-h":
        out.println(USAGE);
        return 0;
      default:
        err.println("error: unknown command '" + args[0] + "'\n\n" + USAGE);
        return 2;
    }
  }
}
