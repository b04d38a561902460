package org.livemetrics.transforms.metrics;

import java.io.Serializable;
import java.time.Duration;

/**
 * How every player-event family folds events into partial rows, set once for all of them: the
 * longest span a PLAYBACK_SUMMARY may mark as viewing ({@code --maxSummarySpan}, see {@link
 * ViewingRule}), the entries a bundle buffers before it emits early, and the minutes a run owns
 * (a backfill's range, else all). {@code ComputeLiveMetrics} and {@code ComputeQosMetrics} each
 * hold one.
 */
public record FoldSettings(long maxSummarySpanMs, int maxBufferedEntries, MinuteRange range)
    implements Serializable {

  /** Entries a bundle buffers by default (a set's entry, a row's count): see {@link Contributions}. */
  public static final int MAX_BUFFERED_ENTRIES = 2_000_000;

  public FoldSettings {
    if (maxSummarySpanMs < 0) {
      throw new IllegalArgumentException("--maxSummarySpan must not be negative");
    }
    if (maxBufferedEntries < 1) {
      throw new IllegalArgumentException("a bundle must buffer at least one entry");
    }
  }

  /** The defaults with this summary span: every minute, {@link #MAX_BUFFERED_ENTRIES}. */
  public static FoldSettings withMaxSummarySpan(Duration span) {
    return new FoldSettings(span.toMillis(), MAX_BUFFERED_ENTRIES, MinuteRange.ALL);
  }

  public FoldSettings withRange(MinuteRange minutes) {
    return new FoldSettings(maxSummarySpanMs, maxBufferedEntries, minutes);
  }

  public FoldSettings withMaxBufferedEntries(int entries) {
    return new FoldSettings(maxSummarySpanMs, entries, range);
  }

  /** Which minutes an event marks as viewing, under this summary span. */
  public ViewingRule viewingRule() {
    return new ViewingRule(maxSummarySpanMs);
  }
}
