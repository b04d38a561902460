package org.livemetrics.schemas;

import java.util.Locale;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The {@code client_platform} dimension's values. The IVS player SDKs send {@code web},
 * {@code android} or {@code ios}; what players actually send varies in case and spelling, so the
 * value is normalized once, here:
 *
 * <ul>
 *   <li>absent or blank: {@link #UNKNOWN} (the player did not say);
 *   <li>{@code web}, {@code android}, {@code ios}, case-insensitive and trimmed, and a few aliases
 *       seen in the wild: {@code html5}, {@code browser} (web); {@code iphone}, {@code ipad},
 *       {@code ipados} (ios);
 *   <li>anything else (a smart-TV SDK, a custom player): {@link #OTHER} (it said, but it is none of
 *       the three). Kept apart from unknown so a new platform shows up instead of hiding among
 *       events that carry no platform at all.
 * </ul>
 */
public enum ClientPlatform {
  WEB("web"),
  ANDROID("android"),
  IOS("ios"),
  OTHER("other"),
  UNKNOWN("unknown");

  private final String apiName;

  ClientPlatform(String apiName) {
    this.apiName = apiName;
  }

  public String apiName() {
    return apiName;
  }

  /** The platform of a player event's {@code client_platform} field. */
  public static ClientPlatform normalize(@Nullable String sent) {
    if (sent == null || sent.isBlank()) {
      return UNKNOWN;
    }
    switch (sent.trim().toLowerCase(Locale.ROOT)) {
      case "web":
      case "html5":
      case "browser":
        return WEB;
      case "android":
        return ANDROID;
      case "ios":
      case "iphone":
      case "ipad":
      case "ipados":
        return IOS;
      default:
        return OTHER;
    }
  }

  public static java.util.Optional<ClientPlatform> fromApiName(String name) {
    for (ClientPlatform p : values()) {
      if (p.apiName.equals(name)) {
        return java.util.Optional.of(p);
      }
    }
    return java.util.Optional.empty();
  }
}
