package org.livemetrics.testdata;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The user agents the generator sends, each with the device_type any sound parser must derive from
 * it. Only user agents whose class is unambiguous are listed: no macOS Safari (iPadOS sends it
 * too), no Android without a model (phone or tablet?).
 *
 * <p>Tests of a user-agent parser can use this table as their expected values; {@link
 * ReferenceMetrics} uses it when a record carries no CloudFront device flag.
 */
public final class KnownUserAgents {

  /** One row of the table: the header as a browser or app sends it and its device class. */
  public record KnownUserAgent(
      String userAgent, String deviceType, String clientPlatform, String playerId, String label) {}

  public static final String DESKTOP = "desktop";
  public static final String MOBILE = "mobile";
  public static final String TABLET = "tablet";
  public static final String SMART_TV = "smart_tv";

  public static final List<KnownUserAgent> ALL =
      List.of(
          new KnownUserAgent(
              "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                  + " Chrome/120.0.0.0 Safari/537.36",
              DESKTOP, "web", "web-player-v3", "Chrome 120 on Windows 10"),
          new KnownUserAgent(
              "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
              DESKTOP, "web", "web-player-v3", "Firefox 121 on Windows 10"),
          new KnownUserAgent(
              "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
                  + " Chrome/120.0.0.0 Safari/537.36",
              DESKTOP, "web", "web-player-v3", "Chrome 120 on Linux"),
          new KnownUserAgent(
              "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15"
                  + " (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
              MOBILE, "ios", "ios-app-player", "Safari on iPhone, iOS 17"),
          new KnownUserAgent(
              "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
                  + " Chrome/120.0.6099.144 Mobile Safari/537.36",
              MOBILE, "android", "android-app-player", "Chrome on Pixel 8, Android 14"),
          new KnownUserAgent(
              "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko)"
                  + " Chrome/120.0.6099.144 Mobile Safari/537.36",
              MOBILE, "android", "android-app-player", "Chrome on Galaxy S23 Ultra, Android 13"),
          new KnownUserAgent(
              "Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15"
                  + " (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
              TABLET, "ios", "ios-app-player", "Safari on iPad, iPadOS 17"),
          new KnownUserAgent(
              "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko)"
                  + " Chrome/120.0.0.0 Safari/537.36",
              TABLET, "android", "android-app-player", "Chrome on Galaxy Tab S8, Android 13"),
          new KnownUserAgent(
              "Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko)"
                  + " 76.0.3809.146/6.0 TV Safari/537.36",
              SMART_TV, "web", "tv-app-player", "Samsung Smart TV, Tizen 6.0"),
          new KnownUserAgent(
              "Mozilla/5.0 (Web0S; Linux/SmartTV) AppleWebKit/537.36 (KHTML, like Gecko)"
                  + " Chrome/79.0.3945.79 Safari/537.36 WebAppManager",
              SMART_TV, "web", "tv-app-player", "LG Smart TV, webOS"),
          // YAUAA classes Roku as "Set-top box": a TV device all the same.
          new KnownUserAgent(
              "Roku/DVP-12.0 (12.0.0.4182-88)",
              SMART_TV, "web", "tv-app-player", "Roku, OS 12"));

  private static final Map<String, String> DEVICE_TYPE_BY_USER_AGENT = index();

  private KnownUserAgents() {}

  /** The expected device_type of a user agent in the table; empty for any other string. */
  public static Optional<String> deviceTypeOf(String userAgent) {
    return Optional.ofNullable(DEVICE_TYPE_BY_USER_AGENT.get(userAgent));
  }

  /** The whole table as user agent → device_type, in table order. */
  public static Map<String, String> deviceTypeByUserAgent() {
    return DEVICE_TYPE_BY_USER_AGENT;
  }

  private static Map<String, String> index() {
    Map<String, String> m = new LinkedHashMap<>();
    for (KnownUserAgent ua : ALL) {
      m.put(ua.userAgent(), ua.deviceType());
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}
