package org.livemetrics.query;

import java.time.Duration;
import java.util.Set;
import org.livemetrics.schemas.StreamSession;

/**
 * Which IVS streams a listing needs: those of one account (the AWS account of the channels), in
 * some regions and channels (empty: all), that were live at some time in {@code [fromMs, toMs]}.
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
    String account, Set<String> regions, Set<String> channels, long fromMs, long toMs) {

  public static final Duration LOOKBACK = Duration.ofHours(48);

  public StreamSelection {
    regions = Set.copyOf(regions);
    channels = Set.copyOf(channels);
  }

  /**
   * Whether a row is of the selected account, regions and channels: what does not change between a
   * stream's rows, so stores may filter on it before keeping each stream's latest row.
   */
  public boolean matchesKeys(StreamSession s) {
    return s.account().equals(account)
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
