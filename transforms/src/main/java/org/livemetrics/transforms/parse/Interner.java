package org.livemetrics.transforms.parse;

import java.util.HashMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One decoder's canonical copies of the values that repeat across events (account, video,
 * platform, rendition), so the per-minute keys built from them compare by identity and reuse the
 * strings' cached hash codes: the pre-aggregation looks each event up in five maps. Bounded, since
 * every value is attacker-controlled: past {@link #MAX_ENTRIES} distinct values it starts over.
 * Not thread-safe: one per decoder.
 */
final class Interner {
  static final int MAX_ENTRIES = 4_096;

  private final HashMap<String, String> canonical = new HashMap<>();

  @Nullable String intern(@Nullable String value) {
    if (value == null) {
      return null;
    }
    String known = canonical.putIfAbsent(value, value);
    if (known != null) {
      return known;
    }
    if (canonical.size() > MAX_ENTRIES) {
      canonical.clear();
    }
    return value;
  }
}
