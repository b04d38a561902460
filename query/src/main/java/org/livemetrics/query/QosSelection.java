package org.livemetrics.query;

import java.util.Set;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMinute;

/**
 * Which stored QoS rows a query needs: one account and dimension set, optionally some videos and
 * platforms, and an inclusive range of minutes.
 *
 * @param videos videos to keep (only on {@code video,client_platform} rows); empty keeps all
 * @param platforms client platforms to keep; empty keeps all
 * @param needsSketches whether percentiles are asked for; when false a store may leave the KLL
 *     sketches unread (empty bytes)
 */
public record QosSelection(
    String account,
    QosDimensionSet dimensionSet,
    Set<String> videos,
    Set<String> platforms,
    long fromMinute,
    long toMinuteInclusive,
    boolean needsSketches) {

  public QosSelection {
    videos = Set.copyOf(videos);
    platforms = Set.copyOf(platforms);
  }

  public boolean matches(QosMinute row) {
    return row.minute >= fromMinute && row.minute <= toMinuteInclusive
        && row.dimensionSet == dimensionSet && row.account.equals(account)
        && (videos.isEmpty() || videos.contains(row.video))
        && (platforms.isEmpty() || platforms.contains(row.clientPlatform));
  }
}
