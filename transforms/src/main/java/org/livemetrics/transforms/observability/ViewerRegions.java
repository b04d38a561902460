package org.livemetrics.transforms.observability;

import com.ibm.icu.util.Region;
import com.ibm.icu.util.ULocale;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The region of a viewer for the audience gauges: the continent (UN M.49, as ICU's CLDR data
 * groups countries) of their ISO 3166-1 country, in lower case: {@code africa}, {@code americas},
 * {@code asia}, {@code europe}, {@code oceania}; {@code unknown} when the country is unknown or
 * belongs to no continent. Five values, so a bounded label.
 */
public final class ViewerRegions {
  public static final String UNKNOWN = "unknown";

  private static final ConcurrentHashMap<String, String> CACHE = new ConcurrentHashMap<>();

  private ViewerRegions() {}

  public static String ofCountry(String country) {
    if (country == null || country.length() != 2) {
      return UNKNOWN;
    }
    return CACHE.computeIfAbsent(country.toUpperCase(Locale.ROOT), ViewerRegions::lookUp);
  }

  private static String lookUp(String country) {
    Region continent;
    try {
      continent = Region.getInstance(country).getContainingRegion(Region.RegionType.CONTINENT);
    } catch (IllegalArgumentException e) {
      return UNKNOWN;
    }
    if (continent == null) {
      return UNKNOWN;
    }
    // The continent's English name from CLDR ("Americas"), not a table of our own.
    String name = new ULocale("und_" + continent).getDisplayCountry(ULocale.ENGLISH);
    return PipelineMetrics.sanitize(name.toLowerCase(Locale.ROOT));
  }
}
