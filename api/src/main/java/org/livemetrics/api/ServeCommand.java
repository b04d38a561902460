package org.livemetrics.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.beam.sdk.options.PipelineOptions;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.query.AggregateStore;
import org.livemetrics.query.AggregateStores;
import org.livemetrics.query.ChannelOwners;
import org.livemetrics.query.QueryEngine;
import org.livemetrics.query.QueryException;

/**
 * {@code livemetrics serve}: the Live Analytics HTTP API over an aggregate store, until SIGTERM or
 * Ctrl-C.
 *
 * <pre>
 * livemetrics serve --store /data/store --tokens /etc/livemetrics/tokens
 * livemetrics serve --store s3://metrics/prod --awsRegion=eu-west-1 --bind 0.0.0.0 --port 8080
 * livemetrics serve --new-token --accounts 1234,5678
 * livemetrics serve --hash-token - --accounts '*'  &lt; token.txt
 * </pre>
 *
 * Exit status: 0 after a clean stop or a printed token line; 2 for a usage error, with {@code
 * error: <option>: <message>} on stderr; 1 when the server cannot start (address in use).
 */
public final class ServeCommand {
  public static final int OK = 0;
  public static final int START_FAILED = 1;
  public static final int USAGE_ERROR = 2;

  static final String USAGE = String.join("\n",
      "usage: livemetrics serve --store <dir|s3://bucket/prefix> [--port 8080] [--bind 127.0.0.1]",
      "                         [--tokens FILE] [--channel-owners FILE] [--max-points N]",
      "                         [--max-videos N] [--header-timeout SECONDS]",
      "                         [--<beam option>=<value>...]",
      "       livemetrics serve --new-token --accounts <account,...|*>",
      "       livemetrics serve --hash-token <token|-> --accounts <account,...|*>",
      "  --store       the aggregate store: a directory or an s3:// URI",
      "  --port        the port to listen on (default 8080; 0 picks a free one)",
      "  --bind        the address to listen on (default 127.0.0.1; 0.0.0.0 for all)",
      "  --tokens      the access tokens file; entries in $" + AccessTokens.ENVIRONMENT_VARIABLE
          + " are read too.",
      "                Lines: lm_sha256:<hex of SHA-256(token)>:<check> <account,...|*>, as",
      "                --new-token prints them; other lines, weak tokens' among them, are refused",
      "  --channel-owners  which accounts own which IVS channels (broadcast metrics, streams):",
      "                lines of '<AWS account id | channel ARN prefix> <account,...>'; a channel",
      "                no line names is read only at accounts/* (a token for every account)",
      "  --max-points  the most points per timeseries series (default "
          + QueryEngine.DEFAULT_MAX_POINTS_PER_SERIES + ")",
      "  --max-videos  the most videos one request may name in where (default "
          + ApiServer.DEFAULT_MAX_VIDEOS + ")",
      "  --header-timeout  seconds a client has to send a request's line and headers (default "
          + ApiServer.DEFAULT_HEADER_TIMEOUT.toSeconds() + "); slower connections are closed",
      "  --new-token   print a new random token (lm_…) and its tokens-file line, then exit",
      "  --hash-token  print the tokens-file line of a token --new-token made ('-': from stdin)",
      "  --accounts    with --new-token/--hash-token: the accounts it may read, or * for all",
      "  other --name=value options configure Beam's file systems, e.g. --awsRegion=eu-west-1"
          + " --endpoint=http://localhost:9000",
      "Serves GET /v1/timeseries/accounts/<account>, /v1/events/accounts/<account> (audience,",
      "viewer QoS and broadcast metrics), /v1/streams/accounts/<account>,",
      "/v1/events/accounts/<account>/videos/<video>/export?format=xlsx, /v1/videos/accounts/<account>",
      "and the dashboard at / (sign in with a token); stops on SIGTERM/Ctrl-C.");

  private ServeCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; blocks while serving, until the JVM is asked to stop. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Serving serving;
    try {
      Arguments a = Arguments.parse(args);
      if (a.help) {
        out.println(USAGE);
        return OK;
      }
      if (a.makesTokenLine()) {
        printTokenLine(a, System.in, out);
        return OK;
      }
      serving = start(a, System.getenv(AccessTokens.ENVIRONMENT_VARIABLE), Clock.systemUTC());
    } catch (QueryException e) {
      err.println("error: " + e);
      return USAGE_ERROR;
    } catch (StartFailed e) {
      err.println("error: " + e.getMessage());
      return START_FAILED;
    }
    plainHttpWarning(serving.server.bindAddress()).ifPresent(err::println);
    out.println(serving.describe());
    out.flush();

    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      serving.close();
      out.println("livemetrics serve: stopped");
      out.flush();
      stopped.countDown();
    }, "livemetrics-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Runtime.getRuntime().removeShutdownHook(hook);
      serving.close();
    }
    return OK;
  }

  /**
   * The warning for serving plain HTTP on an address other machines can reach: bearer tokens
   * would cross the network in clear. None for a loopback address.
   */
  static java.util.Optional<String> plainHttpWarning(String bind) {
    try {
      if (InetAddress.getByName(bind).isLoopbackAddress()) {
        return java.util.Optional.empty();
      }
    } catch (IOException e) {
      // Not resolvable here: warn all the same.
    }
    return java.util.Optional.of("warning: serving plain HTTP on " + bind + ", which is not a"
        + " loopback address: bearer tokens and answers cross the network unencrypted. Put a TLS"
        + " proxy (or ingress) in front and bind 127.0.0.1, or bind it only to a trusted network.");
  }

  /** A running server and the store it reads; closing stops both. */
  static final class Serving implements AutoCloseable {
    final ApiServer server;
    final AggregateStore store;
    final String location;
    final int tokens;

    Serving(ApiServer server, AggregateStore store, String location, int tokens) {
      this.server = server;
      this.store = store;
      this.location = location;
      this.tokens = tokens;
    }

    int channelRules;

    String describe() {
      return "livemetrics serve: listening on " + server.uri() + " (store " + location + ", "
          + tokens + (tokens == 1 ? " token, " : " tokens, ") + channelRules
          + (channelRules == 1 ? " channel owners rule)" : " channel owners rules)");
    }

    @Override
    public void close() {
      server.stop();
      try {
        store.close();
      } catch (Exception e) {
        // Nothing is left to answer; the process is stopping.
      }
    }
  }

  /** Thrown when the arguments are fine but the server cannot run (e.g. the port is taken). */
  static final class StartFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StartFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Opens the store and starts the server; for tests and {@link #run}. */
  static Serving start(String[] args, @Nullable String environmentTokens, Clock clock) {
    return start(Arguments.parse(args), environmentTokens, clock);
  }

  private static Serving start(Arguments a, @Nullable String environmentTokens, Clock clock) {
    a.requireServeOptions();
    AccessTokens tokens = AccessTokens.load(a.tokens, environmentTokens);
    if (!a.beamOptions.isEmpty()) {
      a.pipelineOptions(); // validate them now, whatever the store
    }
    AggregateStore store = AggregateStores.open(a.store, a::pipelineOptions);
    try {
      checkAddressFree(a.bind, a.port);
      QueryEngine engine = new QueryEngine(store, a.maxPoints, a.channelOwners);
      WarmUp.start(engine, clock);
      ApiServer server = ApiServer.builder(engine, tokens)
          .clock(clock)
          .maxVideos(a.maxVideos)
          .headerTimeout(java.time.Duration.ofSeconds(a.headerTimeoutSeconds))
          .videoListing(store)
          .bind(a.bind)
          .port(a.port)
          .build()
          .start();
      Serving serving = new Serving(server, store, a.store, tokens.size());
      serving.channelRules = a.channelOwners.size();
      return serving;
    } catch (Exception e) { // Javalin rethrows Jetty's checked exceptions undeclared
      try {
        store.close();
      } catch (Exception ignored) {
        // reporting the start failure matters more
      }
      throw new StartFailed("cannot listen on " + a.bind + ":" + a.port + ": " + e.getMessage(), e);
    }
  }

  /**
   * Fails with the reason when the address cannot be bound. Javalin loses it: when Jetty fails to
   * bind, Javalin stops the half-started server and reports that stop's error instead.
   */
  private static void checkAddressFree(String host, int port) throws IOException {
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true); // as Jetty binds: a port in TIME_WAIT is free
      probe.bind(new InetSocketAddress(InetAddress.getByName(host), port));
    }
  }

  static void printTokenLine(Arguments a, InputStream in, PrintStream out) {
    if (a.accounts == null) {
      throw new QueryException("accounts", "is required with --new-token and --hash-token:"
          + " the accounts the token may read, comma-separated, or * for all");
    }
    if (a.newToken) {
      String token = AccessTokens.newToken();
      out.println("# The token, for the client (it is not stored anywhere; keep it secret):");
      out.println(token);
      out.println("# The line for the --tokens file or " + AccessTokens.ENVIRONMENT_VARIABLE + ":");
      out.println(AccessTokens.entryLine(token, a.accounts));
      return;
    }
    String token = a.hashToken;
    if (token.equals("-")) {
      try {
        String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
            .readLine();
        token = line == null ? "" : line.trim();
      } catch (IOException e) {
        throw new QueryException("hash-token", "cannot read the token from stdin: "
            + e.getMessage());
      }
    }
    out.println(AccessTokens.entryLine(token, a.accounts));
  }

  /** The command line: our flags (as {@code --x v} or {@code --x=v}) and Beam options. */
  static final class Arguments {
    boolean help;
    @Nullable String store;
    int port = 8080;
    String bind = "127.0.0.1";
    @Nullable Path tokens;
    ChannelOwners channelOwners = ChannelOwners.NONE;
    int maxPoints = QueryEngine.DEFAULT_MAX_POINTS_PER_SERIES;
    int maxVideos = ApiServer.DEFAULT_MAX_VIDEOS;
    long headerTimeoutSeconds = ApiServer.DEFAULT_HEADER_TIMEOUT.toSeconds();
    boolean newToken;
    @Nullable String hashToken;
    @Nullable String accounts;
    final List<String> beamOptions = new ArrayList<>();

    private static final List<String> WITH_VALUE = List.of("--store", "--port", "--bind",
        "--tokens", "--channel-owners", "--max-points", "--max-videos", "--header-timeout",
        "--hash-token", "--accounts");

    static Arguments parse(String[] args) {
      Arguments a = new Arguments();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (arg.equals("-h") || arg.equals("--help")) {
          a.help = true;
          return a;
        }
        if (arg.equals("--new-token")) {
          a.newToken = true;
          continue;
        }
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        if (name.equals("--channelOwners")) {
          name = "--channel-owners"; // the pipelines' spelling of options
          arg = name + arg.substring("--channelOwners".length());
        }
        if (WITH_VALUE.contains(name)) {
          String value;
          if (arg.contains("=")) {
            value = arg.substring(arg.indexOf('=') + 1);
          } else if (i + 1 < args.length) {
            value = args[++i];
          } else {
            throw new QueryException(name.substring(2), "needs a value");
          }
          a.set(name.substring(2), value);
        } else if (arg.startsWith("--") && arg.contains("=")) {
          a.beamOptions.add(arg);
        } else {
          throw new QueryException("arguments", "unexpected '" + arg + "'; see livemetrics serve"
              + " --help (Beam options are written --name=value)");
        }
      }
      if (a.newToken && a.hashToken != null) {
        throw new QueryException("new-token", "use either --new-token or --hash-token");
      }
      return a;
    }

    boolean makesTokenLine() {
      return newToken || hashToken != null;
    }

    void requireServeOptions() {
      if (store == null) {
        throw new QueryException("store", "is required: --store <dir|s3://bucket/prefix>");
      }
    }

    private void set(String name, String value) {
      switch (name) {
        case "store" -> store = value;
        case "port" -> port = (int) QueryException.wholeNumber(name, value, 0, 65_535);
        case "bind" -> bind = value;
        case "tokens" -> tokens = Paths.get(value);
        case "channel-owners" -> channelOwners = ChannelOwners.load(Paths.get(value));
        case "max-points" -> maxPoints = (int) QueryException.wholeNumber(name, value, 1, Integer.MAX_VALUE);
        case "max-videos" -> maxVideos = (int) QueryException.wholeNumber(name, value, 1, Integer.MAX_VALUE);
        case "header-timeout" -> headerTimeoutSeconds =
            QueryException.wholeNumber(name, value, 1, 3_600);
        case "hash-token" -> hashToken = value;
        default -> accounts = value;
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
