package org.livemetrics.transforms.enrich;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.DeviceType;

/**
 * The {@code device_type} dimension: from CloudFront's {@code CloudFront-Is-*-Viewer} flags (if
 * several are set: smart_tv, tablet, mobile, desktop, in that order), else from the user agent's
 * device class as Yauaa (a maintained UA parser) reports it, else {@code unknown}.
 */
public final class DeviceTypeResolver {
  // One analyzer per JVM: it is large (rule set) and thread-safe; built on first use only, since
  // most records carry CloudFront's flags and never need it.
  private static volatile @Nullable UserAgentAnalyzer analyzer;
  private static final ConcurrentMap<String, DeviceType> CACHE = new ConcurrentHashMap<>();
  private static final int CACHE_LIMIT = 50_000;

  private DeviceTypeResolver() {}

  /**
   * Starts building the analyzer in the background (seconds of rule loading), so that it overlaps
   * job start-up instead of stalling the first record without CloudFront flags.
   */
  public static void warmUpInBackground() {
    if (analyzer == null) {
      Thread t = new Thread(DeviceTypeResolver::analyzer, "yauaa-warm-up");
      t.setDaemon(true);
      t.start();
    }
  }

  public static DeviceType resolve(
      @Nullable Boolean desktop,
      @Nullable Boolean mobile,
      @Nullable Boolean tablet,
      @Nullable Boolean smartTv,
      @Nullable String userAgent) {
    if (Boolean.TRUE.equals(smartTv)) {
      return DeviceType.SMART_TV;
    }
    if (Boolean.TRUE.equals(tablet)) {
      return DeviceType.TABLET;
    }
    if (Boolean.TRUE.equals(mobile)) {
      return DeviceType.MOBILE;
    }
    if (Boolean.TRUE.equals(desktop)) {
      return DeviceType.DESKTOP;
    }
    if (userAgent == null || userAgent.isBlank()) {
      return DeviceType.UNKNOWN;
    }
    DeviceType cached = CACHE.get(userAgent);
    if (cached != null) {
      return cached;
    }
    DeviceType parsed = fromDeviceClass(analyzer().parse(userAgent).getValue(UserAgent.DEVICE_CLASS));
    if (CACHE.size() >= CACHE_LIMIT) {
      CACHE.clear(); // bounded: user agents are few in practice, but input is untrusted
    }
    CACHE.put(userAgent, parsed);
    return parsed;
  }

  /** Maps Yauaa's DeviceClass values onto our four device types. */
  static DeviceType fromDeviceClass(@Nullable String deviceClass) {
    if (deviceClass == null) {
      return DeviceType.UNKNOWN;
    }
    switch (deviceClass) {
      case "Desktop":
        return DeviceType.DESKTOP;
      case "Phone":
      case "Mobile":
        return DeviceType.MOBILE;
      case "Tablet":
      case "eReader":
        return DeviceType.TABLET;
      case "TV":
      case "Set-top box":
      case "Game Console":
        return DeviceType.SMART_TV;
      default:
        return DeviceType.UNKNOWN;
    }
  }

  private static UserAgentAnalyzer analyzer() {
    UserAgentAnalyzer a = analyzer;
    if (a == null) {
      synchronized (DeviceTypeResolver.class) {
        a = analyzer;
        if (a == null) {
          a = PrebuiltAnalyzer.load();
          if (a == null) {
            a = PrebuiltAnalyzer.build();
          }
          analyzer = a;
        }
      }
    }
    return a;
  }
}
