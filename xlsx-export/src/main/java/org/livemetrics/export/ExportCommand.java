package org.livemetrics.export;

import static org.livemetrics.query.QueryCommand.BAD_REQUEST;
import static org.livemetrics.query.QueryCommand.OK;
import static org.livemetrics.query.QueryCommand.STORE_FAILED;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.query.AggregateStore;
import org.livemetrics.query.AggregateStores;
import org.livemetrics.query.QueryEngine;
import org.livemetrics.query.QueryException;
import org.livemetrics.schemas.UtcTime;

/**
 * {@code livemetrics export}: writes the XLSX report of one video from a store.
 *
 * <pre>
 * livemetrics export --store /data/store --account 1234 --video 5555 --out report.xlsx
 * </pre>
 *
 * Exit status, as {@code livemetrics query}: 0 with one line on stdout naming the file; 2 for bad
 * input or usage, with {@code error: <parameter>: <message>} on stderr; 1 when the store cannot be
 * read or the file cannot be written. The file appears whole or not at all: the report goes to a
 * temporary file beside it, moved into place when complete.
 */
public final class ExportCommand {
  static final String USAGE = String.join("\n",
      "usage: livemetrics export --store <dir|s3://bucket/prefix> --account <account>",
      "                          --video <video> [--from <time>] [--to <time>] --out <file.xlsx>",
      "                          [--now <time>] [--<beam option>=<value>...]",
      "  --store    the aggregate store: a directory or an s3:// URI",
      "  --from     the first minute of the report; default: the first minute with data",
      "  --to       the last minute of the report (included); default: the last minute with data",
      "             times: ISO-8601 (2020-02-15T10:00:00Z; without an offset: UTC) or epoch ms;",
      "             without both the report covers the whole stream (looking back 32 days)",
      "  --out      the workbook to write (replaced if it exists)",
      "  --now      the time 'now' stands for (default: the clock), for reproducible reports",
      "  other --name=value options configure Beam's file systems, e.g. --awsRegion=eu-west-1"
          + " --endpoint=http://localhost:9000");

  private static final List<String> FLAGS =
      List.of("store", "account", "video", "from", "to", "out", "now");

  private ExportCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Arguments a;
    try {
      a = Arguments.parse(args);
      if (a.help) {
        out.println(USAGE);
        return OK;
      }
      if (!a.beamOptions.isEmpty()) {
        a.pipelineOptions(); // validate them now, whatever the store
      }
    } catch (QueryException e) {
      err.println("error: " + e);
      return BAD_REQUEST;
    }

    ReportData data;
    try (AggregateStore store = AggregateStores.open(a.store, a::pipelineOptions)) {
      data = ReportData.load(new QueryEngine(store), a.account, a.video, a.from, a.to,
          a.clock());
    } catch (QueryException e) {
      err.println("error: " + e);
      return BAD_REQUEST;
    } catch (IOException | IllegalArgumentException e) {
      // IllegalArgumentException: Beam's file systems reject a location they cannot handle.
      err.println("error: store: cannot read " + a.store + ": " + oneLine(e.getMessage()));
      return STORE_FAILED;
    }

    try {
      writeWhole(data, a.out);
    } catch (IOException e) {
      err.println("error: out: cannot write " + a.out + ": " + oneLine(e.getMessage()));
      return STORE_FAILED;
    }
    out.println("wrote " + a.out + ": " + (data.hasData()
        ? data.minutes().size() + " minutes, " + data.deviceTypes().size() + " device types, "
            + data.countries().size() + " countries"
        : "no data for video " + data.video() + " in [" + Instant.ofEpochMilli(data.firstMinute())
            + ", " + Instant.ofEpochMilli(data.lastMinute() + 60_000L) + ")"
            + (data.fromDefaulted() || data.toDefaulted() ? " (give --from and --to for another range)" : "")));
    return OK;
  }

  /** Writes beside {@code target} and moves the file into place, so no half report is left. */
  private static void writeWhole(ReportData data, Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    // Created as any new file (0666 less the umask, like the shell's `>`), not as
    // Files.createTempFile's 0600: a report is meant to be read by others.
    Path partial = dir.resolve("." + target.getFileName() + "."
        + Long.toHexString(new java.security.SecureRandom().nextLong()) + ".partial");
    try {
      try (OutputStream os = Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        ReportWorkbook.write(data, os);
      }
      try {
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  private static String oneLine(@Nullable String s) {
    return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  /** The command line: our flags (as {@code --x v} or {@code --x=v}) and Beam options. */
  private static final class Arguments {
    boolean help;
    String store;
    String account;
    String video;
    @Nullable Long from;
    @Nullable Long to;
    Path out;
    @Nullable Long now;
    final List<String> beamOptions = new ArrayList<>();
    private @Nullable PipelineOptions options;

    static Arguments parse(String[] args) {
      Arguments a = new Arguments();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (arg.equals("-h") || arg.equals("--help")) {
          a.help = true;
          return a;
        }
        int eq = arg.indexOf('=');
        String name = arg.startsWith("--") ? arg.substring(2, eq < 0 ? arg.length() : eq) : "";
        if (FLAGS.contains(name)) {
          String value;
          if (eq >= 0) {
            value = arg.substring(eq + 1);
          } else if (i + 1 < args.length) {
            value = args[++i];
          } else {
            throw new QueryException(name, "needs a value");
          }
          a.set(name, value);
        } else if (arg.startsWith("--")) {
          a.beamOptions.add(arg);
        } else {
          throw new QueryException("arguments", "unexpected '" + arg + "'; options are --name "
              + "value, Beam options --name=value (see --help)");
        }
      }
      a.store = required(a.store, "store", "--store <dir|s3://bucket/prefix>");
      a.account = required(a.account, "account", "--account <account>");
      a.video = required(a.video, "video", "--video <video>");
      if (a.out == null) {
        throw new QueryException("out", "is required: --out <file.xlsx>");
      }
      Path dir = a.out.toAbsolutePath().getParent();
      if (dir == null || !Files.isDirectory(dir)) {
        throw new QueryException("out", "no such directory: " + dir);
      }
      if (Files.isDirectory(a.out)) {
        throw new QueryException("out", a.out + " is a directory; name the file to write");
      }
      return a;
    }

    private static String required(@Nullable String value, String name, String usage) {
      if (value == null || value.isBlank()) {
        throw new QueryException(name, "is required: " + usage);
      }
      return value;
    }

    private void set(String name, String value) {
      switch (name) {
        case "store" -> store = value;
        case "account" -> account = value;
        case "video" -> video = value;
        case "from" -> from = parseTime(name, value);
        case "to" -> to = parseTime(name, value);
        case "now" -> now = parseTime(name, value);
        default -> out = Paths.get(value);
      }
    }

    /** The forms every command takes ({@link UtcTime}). */
    static long parseTime(String name, String value) {
      try {
        return UtcTime.parse(value);
      } catch (IllegalArgumentException e) {
        throw new QueryException(name, e.getMessage());
      }
    }

    Clock clock() {
      return now == null
          ? Clock.systemUTC()
          : Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC);
    }

    /** Built on first use: only remote stores need them, and building them takes a while. */
    PipelineOptions pipelineOptions() {
      if (options == null) {
        options = AggregateStores.options(beamOptions);
      }
      return options;
    }
  }
}
