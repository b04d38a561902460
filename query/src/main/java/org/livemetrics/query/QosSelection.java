package org.livemetrics.query;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.livemetrics.schemas.Dimension;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMinute;

/**
 * Which stored QoS rows a query needs: one account and dimension set, optionally some values of
 * the set's dimensions, and an inclusive range of minutes.
 *
 * @param values per dimension of the rows ({@link QosMinute#DIMENSIONS}), the values to keep;
 *     absent or empty keeps all
 * @param needsSketches whether percentiles are asked for; when false a store may leave the KLL
 *     sketches unread (empty bytes)
 */
public record QosSelection(
    String account,
    QosDimensionSet dimensionSet,
    Map<Dimension, Set<String>> values,
    long fromMinute,
    long toMinuteInclusive,
    boolean needsSketches) {

  public QosSelection {
    EnumMap<Dimension, Set<String>> v = new EnumMap<>(Dimension.class);
    values.forEach((d, s) -> {
      if (!QosMinute.DIMENSIONS.contains(d)) {
        throw new IllegalArgumentException("QoS rows have no " + d.apiName());
      }
      if (!s.isEmpty()) {
        v.put(d, Set.copyOf(s));
      }
    });
    values = Map.copyOf(v);
  }

  /** Videos and platforms only, as before the country and device type sets. */
  public QosSelection(String account, QosDimensionSet dimensionSet, Set<String> videos,
      Set<String> platforms, long fromMinute, long toMinuteInclusive, boolean needsSketches) {
    this(account, dimensionSet, Map.of(Dimension.VIDEO, videos, Dimension.CLIENT_PLATFORM,
        platforms), fromMinute, toMinuteInclusive, needsSketches);
  }

  /** The values of {@code d} to keep; empty keeps all. */
  public Set<String> values(Dimension d) {
    return values.getOrDefault(d, Set.of());
  }

  /** Videos to keep (only on {@code video,client_platform} rows); empty keeps all. */
  public Set<String> videos() {
    return values(Dimension.VIDEO);
  }

  /** Client platforms to keep; empty keeps all. */
  public Set<String> platforms() {
    return values(Dimension.CLIENT_PLATFORM);
  }

  public boolean matches(QosMinute row) {
    if (row.minute < fromMinute || row.minute > toMinuteInclusive
        || row.dimensionSet != dimensionSet || !row.account.equals(account)) {
      return false;
    }
    for (Map.Entry<Dimension, Set<String>> e : values.entrySet()) {
      if (!e.getValue().contains(row.value(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
