package org.livemetrics.transforms.enrich;

import com.neovisionaries.i18n.CountryCode;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.Countries;

/**
 * The {@code country} dimension: ISO 3166-1 alpha-2 from {@code CloudFront-Viewer-Country}, else
 * from {@code CloudFront-Viewer-Country-Name} by English name, else {@code unknown}.
 *
 * <p>Names match the ISO 3166 English short name (from nv-i18n, e.g. "United States of America",
 * "Korea, Republic of") and the common English name the JDK's CLDR data gives ("United States",
 * "South Korea"), ignoring case, accents and punctuation.
 */
public final class CountryResolver {
  public static final String UNKNOWN = Countries.UNKNOWN;

  // ISO 3166's current short names where they differ from both nv-i18n's and the JDK's.
  private static final Map<String, String> ISO_ALIASES =
      Map.of(
          "United States of America", "US",
          "United Kingdom of Great Britain and Northern Ireland", "GB",
          "Netherlands (Kingdom of the)", "NL",
          "Türkiye", "TR",
          "Congo, Democratic Republic of the", "CD",
          "Democratic Republic of the Congo", "CD",
          "Republic of Korea", "KR",
          "Holy See", "VA");

  private static final Map<String, String> BY_NAME = buildNameIndex();

  private CountryResolver() {}

  public static String resolve(@Nullable String code, @Nullable String name) {
    if (code != null) {
      String assigned = assignedAlpha2(code.trim().toUpperCase(Locale.ROOT));
      if (assigned != null) {
        return assigned;
      }
    }
    if (name != null) {
      String byName = BY_NAME.get(normalize(name));
      if (byName != null) {
        return byName;
      }
    }
    return UNKNOWN;
  }

  /** The code's one canonical String (so keys built from it compare by identity), or null. */
  private static @Nullable String assignedAlpha2(String code) {
    if (code.length() != 2) {
      return null;
    }
    CountryCode c = CountryCode.getByAlpha2Code(code);
    return c != null && c.getAssignment() == CountryCode.Assignment.OFFICIALLY_ASSIGNED
        ? c.getAlpha2() : null;
  }

  private static Map<String, String> buildNameIndex() {
    Map<String, String> index = new HashMap<>();
    ISO_ALIASES.forEach((name, code) -> index.put(normalize(name), code));
    for (CountryCode c : CountryCode.values()) {
      if (c.getAssignment() != CountryCode.Assignment.OFFICIALLY_ASSIGNED) {
        continue;
      }
      index.putIfAbsent(normalize(c.getName()), c.getAlpha2());
      String common = new Locale("", c.getAlpha2()).getDisplayCountry(Locale.ENGLISH);
      if (!common.isEmpty() && !common.equals(c.getAlpha2())) {
        index.putIfAbsent(normalize(common), c.getAlpha2());
      }
    }
    return index;
  }

  static String normalize(String name) {
    // ISO writes some names with a trailing "(the)": "Bahamas (the)", "Philippines (the)".
    String withoutArticle = name.replaceAll("(?i)\\s*\\(the\\)\\s*$", "");
    String decomposed = Normalizer.normalize(withoutArticle, Normalizer.Form.NFD);
    StringBuilder b = new StringBuilder(decomposed.length());
    for (int i = 0; i < decomposed.length(); i++) {
      char ch = decomposed.charAt(i);
      if (Character.isLetterOrDigit(ch)) {
        b.append(Character.toLowerCase(ch));
      }
    }
    return b.toString();
  }
}
