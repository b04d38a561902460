package org.livemetrics.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import org.livemetrics.schemas.DidYouMean;

/**
 * The {@code livemetrics} command: one entry point for every job and tool. The options of every
 * command follow one convention ({@link CliCommand}: picocli in front, Beam's options passed
 * through); {@code livemetrics <command> --help} lists them.
 */
public final class Livemetrics {
  static final String USAGE =
      String.join("\n",
          "usage: livemetrics <command> [options]",
          "",
          "commands:",
          "  generate    write a seeded, realistic player-event archive (Firehose layout)",
          "  backfill    recompute the live metrics of a range of hours from the archive",
          "  stream      the streaming pipeline: Kinesis in; Elasticsearch, Parquet and the archive out",
          "  replay      put archived or generated player events into a Kinesis stream at a steady rate",
          "  demo        local Kinesis, S3 and Elasticsearch, the streaming pipeline and live answers",
          "  query       answer a Brightcove Live Analytics URL from the aggregate store",
          "  export      write the four-sheet XLSX report of one video",
          "  serve       serve the Analytics HTTP API (timeseries, events, export) with bearer tokens",
          "  videos      list the videos that had viewers in a range (for nightly reports)",
          "  completion  print the bash or zsh completion script: source <(livemetrics completion bash)",
          "  help        this text",
          "",
          "Run `livemetrics <command> --help` for a command's options. Options are written",
          "--name value or --name=value; --store is the aggregate store in every command.");

  private Livemetrics() {}

  public static void main(String[] args) throws Exception {
    if (!ownsTheProcess()) {
      // Called by another program (`flink run`, a test): its process, its exit and its signals.
      System.exit(run(args, System.out, System.err));
      return;
    }
    String command = args.length == 0 ? "help" : args[0].replaceAll("[^a-z]", "");
    RunScope.begin(command.isEmpty() ? "run" : command);
    int status;
    try {
      status = run(args, System.out, System.err);
    } catch (Exception e) {
      System.err.println("error: " + e);
      status = 1;
    }
    RunScope.end(status);
  }

  /**
   * Whether this JVM was started to run this command ({@code java -jar livemetrics.jar},
   * bin/livemetrics, {@code java -cp … org.livemetrics.cli.Livemetrics}), rather than a program
   * that calls {@link #main} itself, such as {@code flink run}: only then does the command take
   * over the signals, the temporary directory and the exit.
   */
  static boolean ownsTheProcess() {
    String command = System.getProperty("sun.java.command", "");
    String first = command.split(" ", 2)[0];
    if (first.equals(Livemetrics.class.getName())) {
      return true;
    }
    try {
      java.net.URL location = Livemetrics.class.getProtectionDomain().getCodeSource().getLocation();
      return first.endsWith(".jar") && java.nio.file.Paths.get(location.toURI()).toRealPath()
          .equals(java.nio.file.Paths.get(first).toRealPath());
    } catch (Exception e) {
      return false;
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    if (args.length == 0) {
      err.println(USAGE);
      return 2;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    Map<String, Supplier<CliCommand>> commands = Commands.all();
    switch (args[0]) {
      case "help", "--help", "-h" -> {
        if (rest.length > 0 && commands.containsKey(rest[0])) {
          return commands.get(rest[0]).get().run(new String[] {"--help"}, out, err);
        }
        out.println(USAGE);
        return 0;
      }
      case "completion" -> {
        return Completion.run(rest, out, err);
      }
      default -> {
        Supplier<CliCommand> c = commands.get(args[0]);
        if (c == null) {
          java.util.List<String> names = new java.util.ArrayList<>(commands.keySet());
          names.add("help");
          names.add("completion");
          err.println("error: unknown command '" + args[0] + "'" + DidYouMean.suffix(args[0], names)
              + "\n\n" + USAGE);
          return 2;
        }
        return c.get().run(rest, out, err);
      }
    }
  }
}
