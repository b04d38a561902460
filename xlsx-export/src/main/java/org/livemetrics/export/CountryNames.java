package org.livemetrics.export;

import java.util.Locale;

/**
 * English names for the {@code country} dimension's ISO 3166-1 alpha-2 codes.
 *
 * <p>The transforms module's {@code CountryResolver.displayName} gives the same names; the report
 * does not depend on transforms (and its user-agent and Beam dependencies) for one lookup, so the
 * two should move to one place in the schemas module.
 */
final class CountryNames {
  /** The value the pipelines store when no country could be resolved. */
  static final String UNKNOWN = "unknown";

  private CountryNames() {}

  /** "United States" for {@code US}, "Unknown" for {@code unknown}, the code itself otherwise. */
  static String displayName(String code) {
    if (UNKNOWN.equals(code)) {
      return "Unknown";
    }
    String name = new Locale("", code).getDisplayCountry(Locale.ENGLISH);
    return name.isEmpty() ? code : name;
  }
}
