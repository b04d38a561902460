package org.livemetrics.transforms.metrics;

/**
 * A grouping key that names the UTC minute its row belongs to: what {@link WindowIntoMinutes}
 * windows by (the audience rows' {@link MinuteKey}, the QoS and broadcast keys).
 */
public interface MinuteKeyed {
  /** Start of the key's minute, epoch milliseconds. */
  long minuteStartMillis();
}
