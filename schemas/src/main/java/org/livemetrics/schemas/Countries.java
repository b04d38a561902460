package org.livemetrics.schemas;

import java.util.Locale;

/** The {@code country} dimension's values: ISO 3166-1 alpha-2 codes, or {@link #UNKNOWN}. */
public final class Countries {
  /** Stored when no country could be resolved. */
  public static final String UNKNOWN = "unknown";

  private Countries() {}

  /** The English name for reports: "United States" for {@code US}, "Unknown" for {@code unknown}. */
  public static String displayName(String code) {
    if (UNKNOWN.equals(code)) {
      return "Unknown";
    }
    String name = new Locale("", code).getDisplayCountry(Locale.ENGLISH);
    return name.isEmpty() || name.equals(code) ? code : name;
  }
}
