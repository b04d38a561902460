package org.livemetrics.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.livemetrics.query.AggregateStore;
import org.livemetrics.query.AggregateStores;
import org.livemetrics.query.QueryEngine;

/**
 * A load test of the API, run on demand (a {@code main}, not a JUnit test, so {@code mvn verify}
 * never runs it): the sample store behind a server on a loopback port, many clients each sending
 * requests back to back for a fixed time, a mix of the Brightcove examples on both endpoints.
 * Prints requests/s and latency percentiles, overall and per endpoint.
 *
 * <pre>
 * mvn -o -q -pl api test-compile dependency:build-classpath \
 *     -DincludeScope=test -Dmdep.outputFile=target/test-cp.txt
 * java -cp api/target/test-classes:api/target/classes:$(cat api/target/test-cp.txt) \
 *     org.livemetrics.api.ApiLoadTest [--clients 32] [--seconds 20] [--warm-up 5] [--store DIR]
 * </pre>
 *
 * Without {@code --store} it backfills the checked-in sample first (~30 s). Clients and server
 * share the JVM and the machine's cores, so the figures are a floor for a dedicated server.
 */
public final class ApiLoadTest {
  private static final String TOKEN = "lm_loadTestToken000000000000000011CkWfL";
  private static final String A = "6336854458112";
  private static final String B = "6373141262112";
  private static final long NOW = SampleStore.TO; // the sample stream has just ended

  /** The mix: the document's usage examples on the sample, plus per-dimension variants. */
  private static final List<String> TIMESERIES = List.of(
      // current viewer count
      "/v1/timeseries/accounts/default?dimensions=video&metrics=ccu&where=video==" + A
          + "&from=" + (NOW - 120_000),
      // ccu graph, zoomed in and out
      "/v1/timeseries/accounts/default?dimensions=video&metrics=ccu&where=video==" + B
          + "&from=" + (NOW - 86_400_000) + "&bucket_duration=1m",
      "/v1/timeseries/accounts/default?dimensions=video&metrics=ccu&where=video==" + A
          + "&from=" + (NOW - 86_400_000) + "&bucket_duration=1h",
      // max ccu per day over a week, and over the stream
      "/v1/timeseries/accounts/default?dimensions=video&metrics=ccu&where=video==" + B
          + "&from=" + (NOW - 7 * 86_400_000L) + "&bucket_duration=1d",
      "/v1/timeseries/accounts/default?dimensions=video&metrics=ccu&where=video==" + A
          + "&bucket_limit=1",
      "/v1/timeseries/accounts/default?dimensions=video,device_type&metrics=ccu,video_view"
          + "&where=video==" + B + "&bucket_duration=15m");
  private static final List<String> EVENTS = List.of(
      // totals for several videos
      "/v1/events/accounts/default?dimensions=video&metrics=fingerprint_count,"
          + "video_seconds_viewed&where=video==" + A + "," + B,
      // an hour-long program
      "/v1/events/accounts/default?dimensions=video&metrics=alive_ss_ad_start,video_view,"
          + "fingerprint_count&where=video==" + B + "&from=" + SampleStore.FROM + "&to="
          + (SampleStore.FROM + 3_599_999),
      // views by country, by device type
      "/v1/events/accounts/default?dimensions=video,country&metrics=video_view,"
          + "fingerprint_count&where=video==" + A,
      "/v1/events/accounts/default?dimensions=video,device_type&metrics=ccu,video_view"
          + "&where=video==" + B);

  private ApiLoadTest() {}

  public static void main(String[] args) throws Exception {
    int clients = 32;
    int seconds = 20;
    int warmUp = 5;
    Path storeDir = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--clients" -> clients = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--warm-up" -> warmUp = Integer.parseInt(args[i + 1]);
        case "--store" -> storeDir = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (storeDir == null) {
      System.out.println("backfilling the sample archive into a temporary store...");
      storeDir = SampleStore.get();
    }

    try (AggregateStore store = AggregateStores.open(storeDir.toString(), () -> {
      throw new IllegalArgumentException("give a local store");
    })) {
      ApiServer server = ApiServer.builder(new QueryEngine(store),
              AccessTokens.parse(new String[] {AccessTokens.entryLine(TOKEN, "*")}, "load test"))
          .clock(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC))
          .port(0)
          .build()
          .start();
      try {
        run(server.uri(), clients, warmUp, seconds);
      } finally {
        server.stop();
      }
    }
    System.exit(0); // the embedded Flink cluster of the backfill leaves threads behind
  }

  private static void run(URI uri, int clients, int warmUpSeconds, int seconds)
      throws Exception {
    List<String> mix = new ArrayList<>();
    for (int i = 0; i < Math.max(TIMESERIES.size(), EVENTS.size()); i++) {
      mix.add(TIMESERIES.get(i % TIMESERIES.size()));
      mix.add(EVENTS.get(i % EVENTS.size()));
    }
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    long start = System.nanoTime();
    long measureFrom = start + warmUpSeconds * 1_000_000_000L;
    long end = measureFrom + seconds * 1_000_000_000L;
    AtomicLong errors = new AtomicLong();
    CountDownLatch done = new CountDownLatch(clients);
    List<LatencyLog> timeseriesLogs = new ArrayList<>();
    List<LatencyLog> eventsLogs = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      LatencyLog ts = new LatencyLog();
      LatencyLog ev = new LatencyLog();
      timeseriesLogs.add(ts);
      eventsLogs.add(ev);
      new Thread(() -> {
        try {
          for (int i = client; System.nanoTime() < end; i++) {
            String path = mix.get(i % mix.size());
            HttpRequest request = HttpRequest.newBuilder(uri.resolve(path))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(30))
                .GET().build();
            long sent = System.nanoTime();
            int status;
            try {
              status = http.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
            } catch (Exception e) {
              status = -1;
            }
            long received = System.nanoTime();
            if (sent >= measureFrom && received <= end) {
              if (status != 200) {
                errors.incrementAndGet();
              }
              (path.startsWith("/v1/timeseries") ? ts : ev).add(received - sent);
            }
          }
        } finally {
          done.countDown();
        }
      }, "load-client-" + c).start();
    }
    done.await();

    long[] timeseries = timeseriesLogs.stream().flatMapToLong(LatencyLog::stream).toArray();
    long[] events = eventsLogs.stream().flatMapToLong(LatencyLog::stream).toArray();
    long[] all = new long[timeseries.length + events.length];
    System.arraycopy(timeseries, 0, all, 0, timeseries.length);
    System.arraycopy(events, 0, all, timeseries.length, events.length);
    System.out.printf(Locale.ROOT, "%d clients, %d s measured after %d s of warm-up, %d cores:%n",
        clients, seconds, warmUpSeconds, Runtime.getRuntime().availableProcessors());
    System.out.println(summary("all", all, seconds));
    System.out.println(summary("timeseries", timeseries, seconds));
    System.out.println(summary("events", events, seconds));
    System.out.println("non-200 answers: " + errors.get());
  }

  private static String summary(String name, long[] latenciesNs, int seconds) {
    long[] sorted = latenciesNs.clone();
    Arrays.sort(sorted);
    return String.format(Locale.ROOT,
        "  %-10s %7d requests  %8.1f req/s  p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  max %6.1f ms",
        name, sorted.length, sorted.length / (double) seconds, ms(percentile(sorted, 50)),
        ms(percentile(sorted, 95)), ms(percentile(sorted, 99)),
        ms(sorted.length == 0 ? 0 : sorted[sorted.length - 1]));
  }

  /** Nearest-rank percentile. */
  private static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static double ms(long ns) {
    return ns / 1e6;
  }

  /** One client's latencies, in ns; written by its thread only, read after all have finished. */
  private static final class LatencyLog {
    private long[] values = new long[1024];
    private int size;

    void add(long ns) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = ns;
    }

    java.util.stream.LongStream stream() {
      return Arrays.stream(values, 0, size);
    }
  }
}
