package org.livemetrics.query;

import java.util.Set;
import org.livemetrics.schemas.BroadcastMinute;

/**
 * Which stored broadcast minute rows a query needs: one scope (all channels, per region, per
 * channel), optionally some regions and channels, and an inclusive range of minutes. Broadcast
 * rows carry no account (see {@link BroadcastMinute}).
 */
public record BroadcastSelection(
    BroadcastMinute.Scope scope,
    Set<String> regions,
    Set<String> channels,
    long fromMinute,
    long toMinuteInclusive) {

  public BroadcastSelection {
    regions = Set.copyOf(regions);
    channels = Set.copyOf(channels);
  }

  public boolean matches(BroadcastMinute row) {
    return row.minute() >= fromMinute && row.minute() <= toMinuteInclusive
        && row.scope() == scope
        && (regions.isEmpty() || regions.contains(row.region()))
        && (channels.isEmpty() || channels.contains(row.channelArn()));
  }
}
