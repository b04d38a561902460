package org.livemetrics.api;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The browser dashboard's static files, served from the jar: {@code /} is the page, {@code
 * /dashboard/<file>} its script, stylesheet and the vendored chart library (uPlot, with its
 * licence). A fixed list read once at start, so no request names a path on disk or in the jar.
 * Every answer carries a Content-Security-Policy that allows scripts, styles and requests only
 * from this server, and no inline script or style: the page holds a bearer token in
 * sessionStorage, so injected script must not run.
 */
final class DashboardAssets {
  static final String INDEX_PATH = "/";
  static final String ASSET_PATH = "/dashboard/<file>";
  static final String CONTENT_SECURITY_POLICY = String.join("; ",
      "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'",
      "connect-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'");

  private record Asset(byte[] body, String contentType) {}

  private static final String[][] FILES = {
      {"index.html", "text/html;charset=utf-8"},
      {"app.js", "text/javascript;charset=utf-8"},
      {"app.css", "text/css;charset=utf-8"},
      {"vendor/uplot/uPlot.iife.min.js", "text/javascript;charset=utf-8"},
      {"vendor/uplot/uPlot.min.css", "text/css;charset=utf-8"},
      {"vendor/uplot/LICENSE", "text/plain;charset=utf-8"},
  };

  private final Map<String, Asset> assets = new LinkedHashMap<>();

  DashboardAssets() {
    for (String[] file : FILES) {
      String resource = "/dashboard/" + file[0];
      try (InputStream in = DashboardAssets.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("the dashboard's " + resource + " is missing from the"
              + " class path; the api module's build puts it there (vendor-chart-library.sh)");
        }
        assets.put(file[0], new Asset(in.readAllBytes(), file[1]));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  void index(Context ctx) {
    answer(ctx, assets.get("index.html"));
  }

  void asset(Context ctx) {
    Asset asset = assets.get(ctx.pathParam("file"));
    if (asset == null || ctx.pathParam("file").equals("index.html")) {
      throw ApiError.notFound("no such dashboard file: " + ctx.path());
    }
    answer(ctx, asset);
  }

  private static void answer(Context ctx, Asset asset) {
    ctx.status(HttpStatus.OK).contentType(asset.contentType())
        .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        .header("Cache-Control", "no-cache")
        .result(asset.body());
  }
}
