package org.livemetrics.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.livemetrics.query.AggregateStore;
import org.livemetrics.query.AggregateStores;
import org.livemetrics.query.QueryEngine;
import org.livemetrics.query.Rows;
import org.livemetrics.schemas.AggregateStoreLayout;
import org.livemetrics.schemas.MinuteAggregate;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard's screenshots for api/README.md ("The dashboard") and its load-time benchmark (not a test; {@code
 * scripts/screenshots.sh} runs it). Serves a copy of a store (the sample's) plus a made-up video
 * live for the last 24 hours, so the pages show a live stream and a 24-hour chart, and drives
 * headless Chromium over it:
 *
 * <pre>
 * DashboardTour --store DIR --out DIR [--runs 10] [--serve-only]
 * </pre>
 *
 * The benchmark loads each page {@code runs} times after warming the server and the browser, and
 * reports from Chromium's performance timing: the navigation's DOMContentLoaded and the moment the
 * page had drawn every answer ({@code window.livemetricsDashboard.readyAt}, set after the last
 * chart), both in ms from the navigation's start.
 */
public final class DashboardTour {
  static final String TOKEN = "lm_dashboardTourToken0000000000012puG4E";
  static final String LIVE_VIDEO = "6400000000001";
  static final String SAMPLE_VIDEO = "6336854458112";
  private static final long MINUTE = 60_000L;

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new TreeMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--serve-only")) {
        a.put("serve-only", "true");
      } else {
        a.put(args[i].substring(2), args[++i]);
      }
    }
    Path store = StoreMinutes.copy(Path.of(a.get("store")));
    long now = System.currentTimeMillis() / MINUTE * MINUTE;
    long from = now - 24 * 60 * MINUTE;
    addLiveDay(store, from, now);
    AggregateStore aggregates = AggregateStores.open(store.toString(), () -> {
      throw new IllegalStateException("a local store needs no options");
    });
    ApiServer server = ApiServer.builder(new QueryEngine(aggregates),
            AccessTokens.parse(new String[] {AccessTokens.entryLine(TOKEN, "default")}, "tour"))
        .videoListing(aggregates).port(0).build().start();
    String base = server.uri().toString();
    // The stream goes on: the current minute lands every 15 s, as the streaming job's flushes do.
    Thread live = new Thread(() -> {
      long version = 2;
      long landed = now - MINUTE; // addLiveDay's last
      while (true) {
        long current = System.currentTimeMillis() / MINUTE * MINUTE;
        for (long m = landed + MINUTE; m <= current; m += MINUTE) {
          StoreMinutes.land(store, List.of(liveMinute(m, from)), version); // no gap minutes
        }
        landed = current;
        StoreMinutes.land(store, List.of(liveMinute(current, from)), ++version);
        try {
          Thread.sleep(15_000);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "live-minutes");
    live.setDaemon(true);
    live.start();
    System.out.println("dashboard: " + base + "/#token=" + TOKEN);
    if (a.containsKey("serve-only")) {
      Thread.currentThread().join();
    }
    Path out = Files.createDirectories(Path.of(a.get("out")));
    int runs = Integer.parseInt(a.getOrDefault("runs", "10"));
    ChromeDriver driver = Browser.start(1280, 900, Files.createTempDirectory("tour-downloads"));
    try {
      String liveVideo = base + "/#/video/" + LIVE_VIDEO + "?from=" + from + "&to=" + (now - MINUTE);
      String sample = base + "/#/video/" + SAMPLE_VIDEO + "?from=" + SampleStore.FROM + "&to="
          + (SampleStore.TO - MINUTE);
      String pastList = base + "/#/videos?from=" + SampleStore.FROM + "&to=" + SampleStore.TO;

      driver.get(base + "/");
      shot(driver, out, "dashboard-sign-in.png", 1280, 620);
      driver.findElement(By.id("token-input")).sendKeys("a-token-that-is-not-right");
      driver.findElement(By.cssSelector("#sign-in-form button")).click();
      await(driver, () -> !driver.findElement(By.id("sign-in-error")).getText().isEmpty());
      shot(driver, out, "dashboard-wrong-token.png", 1280, 620);

      driver.get(base + "/#token=" + TOKEN);
      await(driver, () -> ready(driver));
      shot(driver, out, "dashboard-videos.png", 1280, 520);
      load(driver, pastList);
      shot(driver, out, "dashboard-videos-past-range.png", 1280, 520);
      load(driver, liveVideo);
      shot(driver, out, "dashboard-live-video.png", 1280, 1900);
      load(driver, sample);
      shot(driver, out, "dashboard-sample-video.png", 1280, 1900);

      // Benchmark: warm, then measure.
      for (int i = 0; i < 3; i++) {
        load(driver, base + "/#/videos");
        load(driver, liveVideo);
      }
      System.out.println("page  runs  DOMContentLoaded ms (median, max)  ready ms (median, max)");
      report("videos list (last 6 h)", measure(driver, base + "/#/videos", runs));
      report("24-hour live video", measure(driver, liveVideo, runs));
      report("sample video (2 h)", measure(driver, sample, runs));
    } finally {
      driver.quit();
      server.stop();
      aggregates.close();
    }
    System.exit(0);
  }

  /** A made-up video live over [from, now): 1,440 minutes, by device type and by country. */
  static void addLiveDay(Path store, long from, long now) {
    String[] devices = {"desktop", "mobile", "tablet", "tv"};
    double[] deviceShare = {0.42, 0.38, 0.08, 0.12};
    String[] countries = {"US", "GB", "DE", "FR", "BR", "IN", "JP", "CA", "ES", "unknown"};
    double[] countryShare = {0.34, 0.14, 0.11, 0.09, 0.08, 0.07, 0.06, 0.05, 0.04, 0.02};
    Map<String, List<MinuteAggregate>> byHour = new TreeMap<>();
    for (long m = from; m < now; m += MINUTE) {
      long ccu = ccu(m, from);
      long views = Math.max(1, ccu / 9);
      List<MinuteAggregate> rows = byHour.computeIfAbsent(AggregateStoreLayout.hourPartition(m),
          k -> new ArrayList<>());
      rows.add(Rows.video(LIVE_VIDEO, m).account("default").sessions(1, ccu)
          .fingerprints(1, ccu * 9 / 10).views(views).impressions(views + views / 5)
          .secondsViewedMs(ccu * 55_000).ads(m % (15 * MINUTE) == 0 ? ccu / 2 : 0).build());
      for (int i = 0; i < devices.length; i++) {
        long n = Math.max(1, Math.round(ccu * deviceShare[i]));
        rows.add(Rows.device(LIVE_VIDEO, devices[i], m).account("default").sessions(1, n)
            .fingerprints(1, n).views(Math.max(0, Math.round(views * deviceShare[i]))).build());
      }
      for (int i = 0; i < countries.length; i++) {
        long n = Math.max(1, Math.round(ccu * countryShare[i]));
        rows.add(Rows.country(LIVE_VIDEO, countries[i], m).account("default").sessions(1, n)
            .fingerprints(1, n).views(Math.max(0, Math.round(views * countryShare[i]))).build());
      }
    }
    byHour.values().forEach(rows -> StoreMinutes.land(store, rows, 1));
  }

  /** An evening peak and a smaller morning one. */
  static long ccu(long minute, long from) {
    double hour = (minute - from) / 3_600_000.0;
    return Math.round(600 + 900 * Math.exp(-Math.pow(hour - 20, 2) / 6)
        + 350 * Math.exp(-Math.pow(hour - 9, 2) / 4) + 40 * Math.sin(minute / 420_000.0));
  }

  static MinuteAggregate liveMinute(long m, long from) {
    long ccu = ccu(m, from);
    return Rows.video(LIVE_VIDEO, m).account("default").sessions(1, ccu)
        .fingerprints(1, ccu * 9 / 10).views(ccu / 9).impressions(ccu / 9 + ccu / 45)
        .secondsViewedMs(ccu * 55_000).build();
  }

  private static boolean ready(ChromeDriver driver) {
    return Browser.js(driver, "return window.livemetricsDashboard && window.livemetricsDashboard.readyAt") != null;
  }

  private static void load(ChromeDriver driver, String url) {
    driver.get("about:blank");
    driver.get(url);
    await(driver, () -> ready(driver));
  }

  private static void await(ChromeDriver driver, java.util.function.Supplier<Boolean> c) {
    if (!Browser.await(Duration.ofSeconds(60), c)) {
      throw new IllegalStateException("the page did not get ready: "
          + driver.findElement(By.tagName("body")).getText());
    }
  }

  private static void shot(ChromeDriver driver, Path out, String name, int width, int height)
      throws Exception {
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, height));
    Browser.js(driver, "window.scrollTo(0, 0); document.activeElement && document.activeElement.blur()");
    Files.write(out.resolve(name), driver.getScreenshotAs(OutputType.BYTES));
    System.out.println("screenshot: " + out.resolve(name));
  }

  /** [DOMContentLoaded, ready] in ms from navigation start, per run. */
  private static double[][] measure(ChromeDriver driver, String url, int runs) {
    double[][] r = new double[runs][];
    for (int i = 0; i < runs; i++) {
      load(driver, url);
      List<Number> t = Browser.js(driver, "const n = performance.getEntriesByType('navigation')[0];"
          + "return [n.domContentLoadedEventEnd, window.livemetricsDashboard.readyAt]");
      r[i] = new double[] {t.get(0).doubleValue(), t.get(1).doubleValue()};
    }
    return r;
  }

  private static void report(String page, double[][] runs) {
    double[] dcl = Arrays.stream(runs).mapToDouble(x -> x[0]).sorted().toArray();
    double[] ready = Arrays.stream(runs).mapToDouble(x -> x[1]).sorted().toArray();
    System.out.printf("%-24s %3d  %6.0f %6.0f  %6.0f %6.0f%n", page, runs.length,
        dcl[dcl.length / 2], dcl[dcl.length - 1], ready[ready.length / 2], ready[ready.length - 1]);
  }
}
