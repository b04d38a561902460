package org.livemetrics.testdata;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The viewer countries the generator sends, as CloudFront names them: ISO 3166-1 alpha-2 code and
 * English name. Every name here is also the ISO short name (nv-i18n's and the JDK's), so a parser
 * that maps names to codes with either gets the same answer.
 */
public final class KnownCountries {

  /** One viewer country with a couple of its cities. */
  public record KnownCountry(String code, String name, List<String> cities, int weight) {}

  public static final List<KnownCountry> ALL =
      List.of(
          new KnownCountry("US", "United States", List.of("Seattle", "New York", "Austin"), 30),
          new KnownCountry("GB", "United Kingdom", List.of("London", "Manchester"), 10),
          new KnownCountry("DE", "Germany", List.of("Berlin", "Munich"), 10),
          new KnownCountry("FR", "France", List.of("Paris", "Lyon"), 8),
          new KnownCountry("BR", "Brazil", List.of("Sao Paulo", "Rio de Janeiro"), 10),
          new KnownCountry("JP", "Japan", List.of("Tokyo", "Osaka"), 8),
          new KnownCountry("IN", "India", List.of("Mumbai", "Bengaluru"), 10),
          new KnownCountry("CA", "Canada", List.of("Toronto", "Vancouver"), 5),
          new KnownCountry("AU", "Australia", List.of("Sydney"), 4),
          new KnownCountry("MX", "Mexico", List.of("Mexico City"), 5));

  private static final Map<String, String> CODE_BY_NAME = index();

  private KnownCountries() {}

  /** The code of a country name in the table, ignoring case and surrounding blanks. */
  public static Optional<String> codeForName(String name) {
    return Optional.ofNullable(CODE_BY_NAME.get(name.trim().toLowerCase(Locale.ROOT)));
  }

  private static Map<String, String> index() {
    Map<String, String> m = new LinkedHashMap<>();
    for (KnownCountry c : ALL) {
      m.put(c.name().toLowerCase(Locale.ROOT), c.code());
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}
