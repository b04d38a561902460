package org.livemetrics.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.livemetrics.export.XlsxReport;
import org.livemetrics.query.AggregateStore;
import org.livemetrics.query.ApiRequest;
import org.livemetrics.query.BrightcoveJson;
import org.livemetrics.query.QueryEngine;
import org.livemetrics.query.QueryException;
import org.livemetrics.query.QueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Live Analytics HTTP API over a {@link QueryEngine}:
 *
 * <pre>
 * GET /v1/timeseries/accounts/{account}?dimensions=…&amp;metrics=…&amp;where=…[&amp;from&amp;to&amp;bucket_…]
 * GET /v1/events/accounts/{account}?dimensions=…&amp;metrics=…&amp;where=…[&amp;from&amp;to]
 * GET /v1/events/accounts/{account}/videos/{video}/export?format=xlsx[&amp;from&amp;to]
 * GET /v1/streams/accounts/{aws account}[?where=…&amp;from&amp;to]
 * GET /v1/videos/accounts/{account}[?from&amp;to]
 * GET /v1/accounts                   the accounts the token may read
 * GET /  and  /dashboard/…   the browser dashboard ({@link DashboardAssets}), which calls the above
 * </pre>
 *
 * The timeseries, events and streams endpoints answer exactly what {@code livemetrics query} prints
 * for the same path and query, through the same {@link ApiRequest#parse}, {@link
 * QueryEngine#execute} and {@link BrightcoveJson#write}: audience, viewer QoS and broadcast
 * metrics, and the IVS stream listing. The export is the XLSX report. Every request needs {@code Authorization:
 * Bearer <token>} for a token that may read the account ({@link AccessTokens}). Refusals are JSON
 * ({@link ApiError}). A client has {@link Builder#headerTimeout} to send a request's line and
 * headers ({@link HeaderReadDeadline}). Thread-safe: requests run concurrently on Jetty's pool, and
 * the engine and stores are thread-safe.
 */
public final class ApiServer implements AutoCloseable {
  /** Most videos one request may name in {@code where}: each is a series or a total per video. */
  public static final int DEFAULT_MAX_VIDEOS = 100;
  /** Most points one timeseries answer may hold, over all its series and metrics (~30 MB). */
  public static final long DEFAULT_MAX_POINTS_PER_RESPONSE = 1_000_000L;
  public static final String XLSX_CONTENT_TYPE = XlsxReport.CONTENT_TYPE;
  /** How long a client has to send a request's line and headers (slow-loris guard). */
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);

  static final String TIMESERIES_PATH = "/v1/timeseries/accounts/{account}";
  static final String EVENTS_PATH = "/v1/events/accounts/{account}";
  static final String EXPORT_PATH = "/v1/events/accounts/{account}/videos/{video}/export";
  static final String STREAMS_PATH = "/v1/streams/accounts/{account}";
  static final String VIDEOS_PATH = "/v1/videos/accounts/{account}";
  static final String ACCOUNTS_PATH = "/v1/accounts";

  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  private static final String JSON = "application/json";

  /** Writes the XLSX report: {@code XlsxReport::write}, the xlsx-export module's entry point. */
  @FunctionalInterface
  public interface Report {
    void write(QueryEngine engine, String account, String video, @Nullable Long fromMs,
        @Nullable Long toMs, Clock clock, OutputStream out) throws IOException;
  }

  private final QueryEngine engine;
  private final AccessTokens tokens;
  private final Clock clock;
  private final int maxVideos;
  private final long maxPointsPerResponse;
  private final Report report;
  private final @Nullable AggregateStore listingStore;
  private final String host;
  private final Javalin app;

  private ApiServer(Builder b) {
    this.engine = b.engine;
    this.tokens = b.tokens;
    this.clock = b.clock;
    this.maxVideos = b.maxVideos;
    this.maxPointsPerResponse = b.maxPointsPerResponse;
    this.report = b.report;
    this.listingStore = b.listingStore;
    this.host = b.host;
    this.app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.startupWatcherEnabled = false;
      // Unknown methods on known paths are 405, not 404.
      config.http.prefer405over404 = true;
      config.http.generateEtags = false;
      config.jetty.modifyServer(server -> {
        server.setStopTimeout(b.stopTimeoutMs);
        server.setErrorHandler(new JsonErrorHandler());
      });
      // Jetty caches the header fields a connection sent, matched without regard to case by
      // default: on a kept-alive connection "Bearer LM_…" came back as the cached "Bearer lm_…"
      // and authenticated. Tokens are case-sensitive.
      config.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
      // Our own connector (Javalin then adds none), so the header deadline is one of its beans.
      config.jetty.addConnector((server, httpConfiguration) -> {
        ServerConnector connector =
            new ServerConnector(server, new HttpConnectionFactory(httpConfiguration));
        connector.setHost(b.host);
        connector.setPort(b.port);
        connector.addBean(new HeaderReadDeadline(connector, b.headerTimeout));
        return connector;
      });
    });
    app.get(TIMESERIES_PATH, this::query);
    app.get(EVENTS_PATH, this::query);
    app.get(STREAMS_PATH, this::query);
    app.get(EXPORT_PATH, this::export);
    app.get(VIDEOS_PATH, this::videos);
    app.get(ACCOUNTS_PATH, this::accounts);
    DashboardAssets dashboard = new DashboardAssets();
    app.get(DashboardAssets.INDEX_PATH, dashboard::index);
    app.get(DashboardAssets.ASSET_PATH, dashboard::asset);
    for (String path : new String[] {TIMESERIES_PATH, EVENTS_PATH, STREAMS_PATH, EXPORT_PATH,
        VIDEOS_PATH, ACCOUNTS_PATH}) {
      // Jetty would answer HEAD itself with an empty 200, before any access check.
      app.head(path, ctx -> {
        throw ApiError.methodNotAllowed("HEAD");
      });
    }
    app.exception(ApiError.class, (e, ctx) -> answer(ctx, e));
    app.exception(QueryException.class, (e, ctx) -> answer(ctx, ApiError.badRequest(e)));
    app.exception(HttpResponseException.class, (e, ctx) -> answer(ctx, routingError(e, ctx)));
    app.exception(Exception.class, (e, ctx) -> {
      // Store failures and bugs: the detail (paths, S3 errors) goes to the log, not the client.
      LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
      answer(ctx, ApiError.internal(e instanceof IOException
          ? "the aggregate store could not be read; try again later"
          : "internal error"));
    });
  }

  public static Builder builder(QueryEngine engine, AccessTokens tokens) {
    return new Builder(engine, tokens);
  }

  /** Configures a server; {@link #build()} makes it, {@link ApiServer#start()} binds it. */
  public static final class Builder {
    private final QueryEngine engine;
    private final AccessTokens tokens;
    private Clock clock = Clock.systemUTC();
    private int maxVideos = DEFAULT_MAX_VIDEOS;
    private long maxPointsPerResponse = DEFAULT_MAX_POINTS_PER_RESPONSE;
    private Report report = ApiReports.XLSX;
    private @Nullable AggregateStore listingStore;
    private String host = "127.0.0.1";
    private int port = 8080;
    private long stopTimeoutMs = 5_000;
    private Duration headerTimeout = DEFAULT_HEADER_TIMEOUT;

    private Builder(QueryEngine engine, AccessTokens tokens) {
      this.engine = Objects.requireNonNull(engine);
      this.tokens = Objects.requireNonNull(tokens);
    }

    /** Supplies "now" for requests without {@code to}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    public Builder maxVideos(int maxVideos) {
      if (maxVideos < 1) {
        throw new IllegalArgumentException("maxVideos must be >= 1: " + maxVideos);
      }
      this.maxVideos = maxVideos;
      return this;
    }

    public Builder maxPointsPerResponse(long maxPoints) {
      if (maxPoints < 1) {
        throw new IllegalArgumentException("maxPointsPerResponse must be >= 1: " + maxPoints);
      }
      this.maxPointsPerResponse = maxPoints;
      return this;
    }

    public Builder report(Report report) {
      this.report = Objects.requireNonNull(report);
      return this;
    }

    /**
     * The store {@code /v1/videos} lists the videos of (the engine's); without it that endpoint
     * answers 404. The query layer has no listing, so {@link VideoListing} reads the store.
     */
    public Builder videoListing(AggregateStore store) {
      this.listingStore = Objects.requireNonNull(store);
      return this;
    }

    /** The address to listen on; 127.0.0.1 by default, 0.0.0.0 for every interface. */
    public Builder bind(String host) {
      this.host = Objects.requireNonNull(host);
      return this;
    }

    /** The port; 0 picks a free one ({@link ApiServer#port()} tells which). */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be 0..65535: " + port);
      }
      this.port = port;
      return this;
    }

    /** How long {@link ApiServer#stop()} lets requests in flight finish. */
    public Builder stopTimeoutMs(long ms) {
      this.stopTimeoutMs = ms;
      return this;
    }

    /**
     * How long a client may take to send a request's line and headers, from connecting (or from
     * the previous response on a kept-alive connection); then the connection is closed.
     */
    public Builder headerTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("headerTimeout must be positive: " + timeout);
      }
      this.headerTimeout = timeout;
      return this;
    }

    public ApiServer build() {
      return new ApiServer(this);
    }
  }

  /** Binds and starts serving; throws if the address is taken. */
  public ApiServer start() {
    app.start(); // on the connector made in the constructor, at host:port
    return this;
  }

  /** The address listened on, as given to {@link Builder#bind}. */
  public String bindAddress() {
    return host;
  }

  /** The port listened on (the real one when 0 was asked for). */
  public int port() {
    return app.port();
  }

  /** {@code http://host:port}, for logs and clients. */
  public URI uri() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("http://" + h + ":" + port());
  }

  /** Stops accepting, lets requests in flight finish (up to the stop timeout), stops. */
  public void stop() {
    app.stop();
  }

  @Override
  public void close() {
    stop();
  }

  // ---------------------------------------------------------------------------------------------
  // Handlers

  /**
   * {@code /v1/timeseries}, {@code /v1/events} and {@code /v1/streams}: the query layer, as the
   * CLI answers it.
   */
  private void query(Context ctx) throws IOException {
    AccessTokens.Grant grant = authenticate(ctx);
    authorize(grant, ctx.pathParam("account"));
    ApiRequest request = ApiRequest.parse(ctx.path(), nullToEmpty(ctx.queryString()), clock);
    authorize(grant, request.account()); // as the query layer decoded it
    int videos = request.videoCount();
    if (videos > maxVideos) {
      throw ApiError.badRequest("where", "names " + videos
          + " videos; this server answers at most " + maxVideos + " per request (serve"
          + " --max-videos); split the request");
    }
    QueryResult result = engine.execute(request);
    long points = result.points();
    if (points > maxPointsPerResponse) {
      throw ApiError.badRequest(request.bucketingParameter().orElse("from"), "the answer would "
          + "hold " + points + " points, more than this server's limit of " + maxPointsPerResponse
          + "; use wider buckets, a shorter range, fewer videos or fewer metrics");
    }
    ctx.status(HttpStatus.OK).contentType(JSON);
    try (OutputStream out = ctx.outputStream()) {
      BrightcoveJson.write(result, out);
    }
  }

  /** {@code /v1/events/…/videos/{video}/export?format=xlsx}: the four-sheet report. */
  private void export(Context ctx) throws IOException {
    AccessTokens.Grant grant = authenticate(ctx);
    String account = ctx.pathParam("account");
    authorize(grant, account);
    String video = ctx.pathParam("video");
    ExportRequest request = ExportRequest.parse(ctx.queryString());
    // Built in memory first (a report is tens of kB): a bad range found while writing must still
    // be answered with a clean 400, not a truncated 200.
    ByteArrayOutputStream xlsx = new ByteArrayOutputStream();
    report.write(engine, account, video, request.fromMs(), request.toMs(), clock, xlsx);
    ctx.status(HttpStatus.OK).contentType(XLSX_CONTENT_TYPE)
        .header("Content-Disposition", "attachment; filename=\"" + fileName(account, video) + "\"")
        .result(xlsx.toByteArray());
  }

  /**
   * {@code /v1/videos/accounts/{account}?from&to}: the videos with viewers in the range, for the
   * dashboard's list (their numbers come from the query endpoints).
   */
  private void videos(Context ctx) throws IOException {
    AccessTokens.Grant grant = authenticate(ctx);
    String account = ctx.pathParam("account");
    authorize(grant, account);
    if (listingStore == null) {
      throw ApiError.notFound("this server does not list videos");
    }
    VideosRequest request = VideosRequest.parse(ctx.queryString(), clock);
    // Read before answering: a store failure must be a clean 500, not a cut 200.
    List<VideoListing.Video> videos =
        VideoListing.videos(listingStore, account, request.fromMs(), request.toMs());
    ctx.status(HttpStatus.OK).contentType(JSON);
    try (OutputStream out = ctx.outputStream()) {
      VideoListing.writeJson(videos, request.fromMs(), request.toMs(), out);
    }
  }

  /**
   * {@code /v1/accounts}: what the presented token may read, {@code {"all_accounts":false,
   * "accounts":["1234"]}}; the dashboard's sign-in checks the token with it.
   */
  private void accounts(Context ctx) throws IOException {
    AccessTokens.Grant grant = authenticate(ctx);
    ctx.status(HttpStatus.OK).contentType(JSON);
    try (OutputStream out = ctx.outputStream();
        JsonGenerator g = new JsonFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeBooleanField("all_accounts", grant.allAccounts());
      g.writeArrayFieldStart("accounts");
      for (String account : new TreeSet<>(grant.accounts())) {
        g.writeString(account);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  private AccessTokens.Grant authenticate(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) {
      throw ApiError.unauthorized("send Authorization: Bearer <token>", false);
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw ApiError.unauthorized("use the Bearer scheme: Authorization: Bearer <token>", false);
    }
    String token = header.substring(7).trim();
    if (!AccessTokens.isWellFormed(token)) {
      // Refused before any lookup: livemetrics tokens have one format and a checksum.
      throw ApiError.unauthorized("not a livemetrics token (" + AccessTokens.TOKEN_PREFIX + "…, "
          + AccessTokens.TOKEN_LENGTH + " characters)", true);
    }
    return tokens.authenticate(token)
        .orElseThrow(() -> ApiError.unauthorized("the token is not valid", true));
  }

  private static void authorize(AccessTokens.Grant grant, String account) {
    if (!grant.mayRead(account)) {
      throw ApiError.forbidden("this token may not read account '" + account + "'");
    }
  }

  private static ApiError routingError(HttpResponseException e, Context ctx) {
    if (e.getStatus() == HttpStatus.METHOD_NOT_ALLOWED.getCode()) {
      return ApiError.methodNotAllowed(ctx.method().name());
    }
    if (e.getStatus() == HttpStatus.NOT_FOUND.getCode()) {
      return ApiError.notFound("no such endpoint: " + ctx.path() + "; the API serves "
          + "/v1/timeseries/accounts/<account>, /v1/events/accounts/<account>, "
          + "/v1/streams/accounts/<account>, /v1/videos/accounts/<account>, "
          + "/v1/events/accounts/<account>/videos/<video>/export?format=xlsx");
    }
    return ApiError.of(e.getStatus(), e.getMessage());
  }

  private static void answer(Context ctx, ApiError error) {
    for (Map.Entry<String, String> h : error.headers().entrySet()) {
      ctx.header(h.getKey(), h.getValue());
    }
    ctx.status(error.status()).contentType(JSON).result(error.body());
  }

  private static String fileName(String account, String video) {
    return ("live-" + account + "-" + video + ".xlsx").replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private static String nullToEmpty(@Nullable String s) {
    return s == null ? "" : s;
  }
}
