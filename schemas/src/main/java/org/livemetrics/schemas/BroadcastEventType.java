package org.livemetrics.schemas;

import java.util.Optional;

/**
 * The Amazon IVS EventBridge events the broadcast metrics use: a {@code detail-type} and the
 * {@code detail.event_name} within it. Others (IVS Limit Breach, recording, stage and composition
 * events, or event names IVS may add) are ignored and counted.
 */
public enum BroadcastEventType {
  /** Segments are available to viewers: the channel is live from here. */
  STREAM_START(BroadcastEventType.STATE_CHANGE, "Stream Start"),
  /** The stream stopped producing segments: its normal end. */
  STREAM_END(BroadcastEventType.STATE_CHANGE, "Stream End"),
  /** Not processed, not available (e.g. capacity exceeded): an abnormal end. */
  STREAM_FAILURE(BroadcastEventType.STATE_CHANGE, "Stream Failure"),
  /** A stream key was used and a session created (before video is processed). */
  SESSION_CREATED(BroadcastEventType.STATE_CHANGE, "Session Created"),
  /** The encoder disconnected (may come before the Stream End). */
  SESSION_ENDED(BroadcastEventType.STATE_CHANGE, "Session Ended"),
  /** The stream receives no data from the streamer. */
  STARVATION_START(BroadcastEventType.HEALTH_CHANGE, "Starvation Start"),
  /** A starving stream receives data again. */
  STARVATION_END(BroadcastEventType.HEALTH_CHANGE, "Starvation End");

  public static final String STATE_CHANGE = "IVS Stream State Change";
  public static final String HEALTH_CHANGE = "IVS Stream Health Change";

  private final String detailType;
  private final String eventName;

  BroadcastEventType(String detailType, String eventName) {
    this.detailType = detailType;
    this.eventName = eventName;
  }

  public String detailType() {
    return detailType;
  }

  public String eventName() {
    return eventName;
  }

  /** Whether the broadcast metrics read events of this {@code detail-type}. */
  public static boolean isHandledDetailType(String detailType) {
    return STATE_CHANGE.equals(detailType) || HEALTH_CHANGE.equals(detailType);
  }

  /** The type of a handled detail type's event name; empty for a name IVS may add later. */
  public static Optional<BroadcastEventType> of(String detailType, String eventName) {
    for (BroadcastEventType t : values()) {
      if (t.detailType.equals(detailType) && t.eventName.equals(eventName)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** Stream Start. */
  public boolean startsStream() {
    return this == STREAM_START;
  }

  /** Stream End or Stream Failure. */
  public boolean endsStream() {
    return this == STREAM_END || this == STREAM_FAILURE;
  }
}
