package org.livemetrics.api;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.query.AggregateStore;
import org.livemetrics.query.AggregateStores;
import org.livemetrics.query.QueryException;
import org.livemetrics.schemas.UtcTime;

/**
 * {@code livemetrics videos}: the videos of an account that had viewers in a time range, one id a
 * line, for scripts such as the nightly reports.
 *
 * <pre>
 * livemetrics videos --store /data/store --account 1234 --from 2026-11-22 --to 2026-11-23
 * </pre>
 *
 * Exit status: 0 (also when no video had viewers: the output is then empty); 2 for a usage error,
 * with {@code error: <option>: <message>} on stderr; 1 when the store cannot be read.
 */
public final class VideosCommand {
  public static final int OK = 0;
  public static final int STORE_FAILED = 1;
  public static final int USAGE_ERROR = 2;

  static final String USAGE = String.join("\n",
      "usage: livemetrics videos --store <dir|s3://bucket/prefix> --account <id>",
      "                          --from <time> --to <time> [--all] [--<beam option>=<value>...]",
      "  --store    the aggregate store: a directory or an s3:// URI",
      "  --account  the account whose videos to list",
      "  --from     start of the range (inclusive), UTC: epoch ms, 2026-11-22T05:00:00Z,",
      "             2026-11-22T05 (an hour) or 2026-11-22 (a day)",
      "  --to       end of the range (exclusive), same forms",
      "  --all      also list videos with stored rows but no viewers (ccu 0 throughout)",
      "  other --name=value options configure Beam's file systems, e.g. --awsRegion=eu-west-1",
      "Prints the ids, sorted, one a line, of the videos with ccu > 0 in some minute of the range.");

  private VideosCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    Arguments a;
    try {
      a = Arguments.parse(args);
      if (a.help) {
        out.println(USAGE);
        return OK;
      }
      if (!a.beamOptions.isEmpty()) {
        a.pipelineOptions();
      }
    } catch (QueryException e) {
      err.println("error: " + e);
      return USAGE_ERROR;
    }
    try (AggregateStore store = AggregateStores.open(a.store, a::pipelineOptions)) {
      for (VideoListing.Video v : VideoListing.videos(store, a.account, a.from, a.to)) {
        if (a.all || v.hadViewers()) {
          out.println(v.video());
        }
      }
      out.flush();
      return OK;
    } catch (QueryException e) {
      err.println("error: " + e);
      return USAGE_ERROR;
    } catch (IOException | IllegalArgumentException e) {
      err.println("error: store: cannot read " + a.store + ": "
          + String.valueOf(e.getMessage()).replaceAll("\\s*\\R\\s*", " "));
      return STORE_FAILED;
    }
  }

  private static final class Arguments {
    boolean help;
    boolean all;
    String store;
    String account;
    long from;
    long to;
    final List<String> beamOptions = new ArrayList<>();

    static Arguments parse(String[] args) {
      Arguments a = new Arguments();
      String from = null;
      String to = null;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (arg.equals("-h") || arg.equals("--help")) {
          a.help = true;
          return a;
        }
        if (arg.equals("--all")) {
          a.all = true;
          continue;
        }
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        if (List.of("--store", "--account", "--from", "--to").contains(name)) {
          String value;
          if (arg.contains("=")) {
            value = arg.substring(arg.indexOf('=') + 1);
          } else if (i + 1 < args.length) {
            value = args[++i];
          } else {
            throw new QueryException(name.substring(2), "needs a value");
          }
          switch (name) {
            case "--store" -> a.store = value;
            case "--account" -> a.account = value;
            case "--from" -> from = value;
            default -> to = value;
          }
        } else if (arg.startsWith("--") && arg.contains("=")) {
          a.beamOptions.add(arg);
        } else {
          throw new QueryException("arguments", "unexpected '" + arg + "'; see livemetrics videos"
              + " --help");
        }
      }
      for (String[] required : new String[][] {
          {"store", a.store}, {"account", a.account}, {"from", from}, {"to", to}}) {
        if (required[1] == null || required[1].isBlank()) {
          throw new QueryException(required[0], "is required (see livemetrics videos --help)");
        }
      }
      a.from = parseTime("from", from);
      a.to = parseTime("to", to);
      if (a.to <= a.from) {
        throw new QueryException("to", to + " is not after --from " + from);
      }
      return a;
    }

    /** The forms every command takes ({@link UtcTime}), so scripts can share them. */
    static long parseTime(String option, String value) {
      try {
        return UtcTime.parse(value);
      } catch (IllegalArgumentException e) {
        throw new QueryException(option, e.getMessage());
      }
    }

    private @Nullable PipelineOptions options;

    /** Built on first use: only remote stores need them, and building them takes a while. */
    PipelineOptions pipelineOptions() {
      if (options == null) {
        options = AggregateStores.options(beamOptions);
      }
      return options;
    }
  }
}
