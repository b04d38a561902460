package org.livemetrics.query;

import java.util.Set;
import org.livemetrics.schemas.BroadcastMinute;

/**
 * Which stored broadcast minute rows a query needs: one scope (all channels, per region, per
 * channel), optionally some regions and channels, the channels the request may see, and an
 * inclusive range of minutes. Broadcast rows carry no account (see {@link BroadcastMinute}):
 * {@code visible} ({@link ChannelOwners#scopeOf}) is what keeps accounts apart. Rows of the
 * scopes that sum several channels (all, region) can only be read with {@link ChannelScope#ALL};
 * a narrower view reads the channel rows and rolls them up ({@link QueryEngine}).
 */
public record BroadcastSelection(
    BroadcastMinute.Scope scope,
    Set<String> regions,
    Set<String> channels,
    long fromMinute,
    long toMinuteInclusive,
    ChannelScope visible) {

  public BroadcastSelection {
    regions = Set.copyOf(regions);
    channels = Set.copyOf(channels);
    if (!visible.all() && scope != BroadcastMinute.Scope.CHANNEL) {
      throw new IllegalArgumentException("a " + scope + " row sums channels of any account;"
          + " read the channel rows for a narrower view than every channel");
    }
  }

  /** Every channel's rows: a read of the store itself, not on behalf of an account. */
  public BroadcastSelection(BroadcastMinute.Scope scope, Set<String> regions, Set<String> channels,
      long fromMinute, long toMinuteInclusive) {
    this(scope, regions, channels, fromMinute, toMinuteInclusive, ChannelScope.ALL);
  }

  public boolean matches(BroadcastMinute row) {
    return row.minute() >= fromMinute && row.minute() <= toMinuteInclusive
        && row.scope() == scope
        && (regions.isEmpty() || regions.contains(row.region()))
        && (channels.isEmpty() || channels.contains(row.channelArn()))
        && visible.contains(row.channelArn());
  }
}
