package org.livemetrics.query;

import java.time.Duration;
import java.util.Set;
import org.livemetrics.schemas.StreamSession;

/**
 * Which IVS streams a listing needs: those of the channels a request may see ({@code visible},
 * {@link ChannelOwners#scopeOf}), in some regions and channels (empty: all), that were live at
 * some time in {@code [fromMs, toMs]}.
 *
 * <p>A stream is in the range when it started at or before {@code toMs} and ended at or after
 * {@code fromMs}, or is still open. A row whose Start never arrived has no known start: it is in
 * the range when its end (else its {@code as_of}) is.
 *
 * <p>Stores find a stream's rows by the hour of its start, so they read back {@link #LOOKBACK}
 * before {@code fromMs}: no stream lasts longer (IVS ends a stream at 48 hours, the pipelines'
 * default {@code --maxStreamDuration}).
 */
public record StreamSelection(
    ChannelScope visible, Set<String> regions, Set<String> channels, long fromMs, long toMs) {

  public static final Duration LOOKBACK = Duration.ofHours(48);

  public StreamSelection {
    regions = Set.copyOf(regions);
    channels = Set.copyOf(channels);
  }

  /** The streams of the channels of one AWS account: a read of the store, not for an account. */
  public StreamSelection(String awsAccount, Set<String> regions, Set<String> channels,
      long fromMs, long toMs) {
    this(ChannelScope.ofAwsAccount(awsAccount), regions, channels, fromMs, toMs);
  }

  /**
   * Whether a row is of the visible channels and the selected regions and channels: what does not change between a
   * stream's rows, so stores may filter on it before keeping each stream's latest row.
   */
  public boolean matchesKeys(StreamSession s) {
    return visible.contains(s.channelArn())
        && (regions.isEmpty() || regions.contains(s.region()))
        && (channels.isEmpty() || channels.contains(s.channelArn()));
  }

  /** Whether a stream's current row belongs to the listing: its keys and its time. */
  public boolean matches(StreamSession s) {
    if (!matchesKeys(s)) {
      return false;
    }
    if (s.startTime() == null) {
      long t = s.endTime() != null ? s.endTime() : s.asOf();
      return t >= fromMs && t <= toMs;
    }
    return s.startTime() <= toMs && (s.endTime() == null || s.endTime() >= fromMs);
  }

  /** The earliest time whose partition may hold a selected stream. */
  public long earliestStart() {
    return fromMs - LOOKBACK.toMillis();
  }
}
