package org.livemetrics.query;

import java.util.Set;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.MinuteAggregate;

/**
 * Which stored rows a query needs: one account and dimension set, some videos, optionally some
 * values of the secondary dimension, and an inclusive range of minutes.
 *
 * @param videos the videos to keep; empty keeps every video of the account (listing which videos
 *     have data; a {@link QueryRequest} always names at least one)
 * @param secondaryValues countries or device types to keep; empty keeps all
 * @param fromMinute start of the first minute, epoch ms
 * @param toMinuteInclusive start of the last minute, epoch ms
 * @param needsSketches whether the caller unions sketches; when false a store may return rows with
 *     empty sketch bytes and skip reading them, which is most of a row's size
 */
public record AggregateSelection(
    String account,
    DimensionSet dimensionSet,
    Set<String> videos,
    Set<String> secondaryValues,
    long fromMinute,
    long toMinuteInclusive,
    boolean needsSketches) {

  public AggregateSelection {
    videos = Set.copyOf(videos);
    secondaryValues = Set.copyOf(secondaryValues);
  }

  /** Whether a row belongs to the selection; a store may filter coarser and leave the rest. */
  public boolean matches(MinuteAggregate row) {
    if (row.minute < fromMinute || row.minute > toMinuteInclusive) {
      return false;
    }
    if (row.dimensionSet != dimensionSet || !row.account.equals(account)
        || !(videos.isEmpty() || videos.contains(row.video))) {
      return false;
    }
    return secondaryValues.isEmpty() || secondaryValues.contains(row.secondaryValue());
  }
}
