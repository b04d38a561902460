package org.livemetrics.query;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code livemetrics query}: answers one Live Analytics request from a store and prints the JSON
 * body the Brightcove API would return: audience, viewer QoS or broadcast metrics, or the stream
 * listing ({@link ApiRequest}).
 *
 * <pre>
 * livemetrics query --store /data/store \
 *   '/v1/timeseries/accounts/1234?dimensions=video&amp;metrics=ccu&amp;where=video==5555'
 * </pre>
 *
 * Exit status: 0 with the body on stdout; 2 for a bad request or usage, with {@code error:
 * <parameter>: <message>} on stderr; 1 when the store cannot be read.
 */
public final class QueryCommand {
  public static final int OK = 0;
  public static final int STORE_FAILED = 1;
  public static final int BAD_REQUEST = 2;

  static final String USAGE = String.join("\n",
      "usage: livemetrics query --store <dir|s3://bucket/prefix|http://host:9200>",
      "                         [--now <time>] [--max-points <n>] [--channel-owners FILE]",
      "                         [--<beam option>=<value>...]",
      "                         '<request>'",
      "  <request>     /v1/timeseries/accounts/<account>?dimensions=…&metrics=…&where=…[&from=…]"
          + "[&to=…][&bucket_duration=…|&bucket_limit=…]",
      "                or /v1/events/accounts/<account>?dimensions=…&metrics=…&where=…[&from=…]"
          + "[&to=…]",
      "                (QoS and broadcast metrics: dimensions and where optional), or",
      "                /v1/streams/accounts/<account>[?where=channel==…][&from=…][&to=…];",
      "                account * reads every IVS channel (broadcast metrics and streams)",
      "  --store       the aggregate store: a directory or an s3:// URI (Parquet), or",
      "                http(s)://host:9200[,host2:9200][/alias] (Elasticsearch; credentials from",
      "                LIVEMETRICS_ELASTICSEARCH_USERNAME and LIVEMETRICS_ELASTICSEARCH_PASSWORD)",
      "  --now         the time 'now' stands for (default: the clock), for reproducible answers",
      "  --max-points  the most points a timeseries may have per series (default "
          + QueryEngine.DEFAULT_MAX_POINTS_PER_SERIES + ")",
      "  --channel-owners  which accounts own which IVS channels: lines of '<AWS account id |",
      "                channel ARN prefix> <account,...>'; without it channels are read at accounts/*",
      "  other --name=value options configure Beam's file systems, e.g. --awsRegion=eu-west-1"
          + " --endpoint=http://localhost:9000");

  private QueryCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Arguments a;
    ApiRequest request;
    try {
      a = Arguments.parse(args);
      if (a.help) {
        out.println(USAGE);
        return OK;
      }
      request = ApiRequest.parse(a.request, a.clock());
      if (!a.beamOptions.isEmpty()) {
        a.pipelineOptions(); // validate them now, whatever the store
      }
    } catch (QueryException e) {
      err.println("error: " + e);
      return BAD_REQUEST;
    }

    try (AggregateStore store = AggregateStores.open(a.store, a::pipelineOptions)) {
      QueryResult result = new QueryEngine(store, a.maxPoints, a.channelOwners).execute(request);
      BrightcoveJson.write(result, out);
      out.print('\n');
      out.flush();
      emptyAnswerNote(request, result).ifPresent(err::println);
      return OK;
    } catch (QueryException e) {
      err.println("error: " + e);
      return BAD_REQUEST;
    } catch (IOException | IllegalArgumentException e) {
      // IllegalArgumentException: Beam's file systems reject a location they cannot handle.
      err.println("error: store: cannot read " + a.store + ": " + oneLine(e.getMessage()));
      return STORE_FAILED;
    }
  }

  /**
   * For an answer without any row: the range that was read, on stderr. Without from and to a
   * request reads the 32 days before now, which an old store or a wrong date easily misses.
   */
  static java.util.Optional<String> emptyAnswerNote(ApiRequest request, QueryResult result) {
    boolean empty;
    if (result instanceof TimeseriesResult r) {
      empty = r.data().values().stream().allMatch(List::isEmpty);
    } else if (result instanceof EventsResult r) {
      empty = r.data().isEmpty();
    } else if (result instanceof QosTimeseriesResult r) {
      empty = r.data().values().stream().allMatch(List::isEmpty);
    } else if (result instanceof QosEventsResult r) {
      empty = r.data().isEmpty();
    } else {
      empty = ((StreamsResult) result).streams().isEmpty();
    }
    if (!empty) {
      return java.util.Optional.empty();
    }
    long[] range;
    if (request instanceof QueryRequest r) {
      range = new long[] {r.from(), r.to()};
    } else if (request instanceof QosRequest r) {
      range = new long[] {r.range().from(), r.range().to()};
    } else {
      StreamsRequest r = (StreamsRequest) request;
      range = new long[] {r.from(), r.to()};
    }
    return java.util.Optional.of("livemetrics query: no rows in [" + Instant.ofEpochMilli(range[0])
        + ", " + Instant.ofEpochMilli(range[1]) + ")" + " (from=" + range[0] + "&to=" + range[1]
        + "); give from and to for another range");
  }

  /** The forms every command takes ({@link org.livemetrics.schemas.UtcTime}). */
  static long parseTime(String name, String value) {
    try {
      return org.livemetrics.schemas.UtcTime.parse(value);
    } catch (IllegalArgumentException e) {
      throw new QueryException(name, e.getMessage());
    }
  }

  private static String oneLine(@Nullable String s) {
    return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  /** The command line: our flags (as {@code --x v} or {@code --x=v}), Beam options, the request. */
  private static final class Arguments {
    boolean help;
    String store;
    @Nullable Long now;
    int maxPoints = QueryEngine.DEFAULT_MAX_POINTS_PER_SERIES;
    ChannelOwners channelOwners = ChannelOwners.NONE;
    String request;
    final List<String> beamOptions = new ArrayList<>();

    static Arguments parse(String[] args) {
      Arguments a = new Arguments();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (arg.equals("-h") || arg.equals("--help")) {
          a.help = true;
          return a;
        }
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        if (name.equals("--channelOwners")) {
          name = "--channel-owners"; // the pipelines' spelling of options
          arg = name + arg.substring("--channelOwners".length());
        }
        boolean ours = name.equals("--store") || name.equals("--now")
            || name.equals("--max-points") || name.equals("--channel-owners");
        if (ours) {
          String value;
          if (arg.contains("=")) {
            value = arg.substring(arg.indexOf('=') + 1);
          } else if (i + 1 < args.length) {
            value = args[++i];
          } else {
            throw new QueryException(name.substring(2), "needs a value");
          }
          a.set(name.substring(2), value);
        } else if (arg.startsWith("--")) {
          a.beamOptions.add(arg);
        } else if (a.request == null) {
          a.request = arg;
        } else {
          throw new QueryException("request", "only one request per call; got '" + a.request
              + "' and '" + arg + "'");
        }
      }
      if (a.store == null) {
        throw new QueryException("store",
            "is required: --store <dir|s3://bucket/prefix|http://host:9200>");
      }
      if (a.request == null) {
        throw new QueryException("request", "is required, e.g. '/v1/events/accounts/1234"
            + "?dimensions=video&metrics=video_view&where=video==5555'");
      }
      return a;
    }

    private void set(String name, String value) {
      switch (name) {
        case "store" -> store = value;
        case "now" -> now = parseTime(name, value);
        case "channel-owners" -> channelOwners = ChannelOwners.load(java.nio.file.Paths.get(value));
        default -> maxPoints = (int) QueryException.wholeNumber(name, value, 1, Integer.MAX_VALUE);
      }
    }


    Clock clock() {
      return now == null
          ? Clock.systemUTC()
          : Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC);
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
