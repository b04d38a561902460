package org.livemetrics.schemas;

/**
 * What is known of one ended viewing session when it is counted: what a per-session count
 * ({@link org.livemetrics.schemas.family.MetricFamilyDescription.Accumulation.PerSession}) tests.
 * The transforms' {@code SessionOutcome} implements it and says how each fact is gathered
 * ({@code schemas/README.md}, "Session metrics").
 */
public interface SessionFacts {
  /** An IMPRESSION. */
  boolean loaded();

  /** An IMPRESSION and no PLAY. */
  boolean exitedBeforeVideoStart();

  /** An IMPRESSION or a PLAY. */
  boolean attemptedPlayback();

  /** Attempted, and a PLAYBACK_SUMMARY with errors after the last clean playing. */
  boolean failedPlayback();

  /** A PLAY, or a PLAYBACK_SUMMARY with playing_time_ms &gt; 0. */
  boolean played();

  /** Played, and a PLAYBACK_SUMMARY with buffering_count &gt; 0. */
  boolean rebuffered();
}
