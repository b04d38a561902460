package org.livemetrics.schemas;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/**
 * The "did you mean" of every livemetrics message about an unknown name (an option, a metric, a
 * dimension): the known name closest to what was typed, by edit distance, when it is close enough
 * to be a typo or a near miss ({@code --output} for {@code --out}, {@code ccv} for {@code ccu}).
 */
public final class DidYouMean {
  private DidYouMean() {}

  /** The closest of {@code known} to {@code typed}, if within a third of its length (at least 2). */
  public static Optional<String> closest(String typed, Collection<String> known) {
    if (typed.length() > 100) {
      return Optional.empty(); // no name is that long; and the text may come from a request
    }
    String t = typed.toLowerCase(Locale.ROOT);
    int limit = Math.max(2, t.length() / 3);
    return known.stream()
        .filter(k -> {
          String lk = k.toLowerCase(Locale.ROOT);
          return distance(t, lk) <= limit || (t.length() >= 3 && (lk.startsWith(t) || t.startsWith(lk)));
        })
        .min(Comparator.comparingInt((String k) -> distance(t, k.toLowerCase(Locale.ROOT)))
            .thenComparing(Comparator.naturalOrder()));
  }

  /** {@code " (did you mean 'x'?)"}, or nothing when no known name is close. */
  public static String suffix(String typed, Collection<String> known) {
    return closest(typed, known).map(k -> " (did you mean '" + k + "'?)").orElse("");
  }

  /** Levenshtein distance. Names are short: the quadratic table is fine. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
