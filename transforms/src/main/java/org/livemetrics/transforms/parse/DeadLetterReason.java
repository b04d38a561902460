package org.livemetrics.transforms.parse;

/** Why a record went to the dead-letter output. The code is what dead letters and metrics carry. */
public enum DeadLetterReason {
  /** The bytes are not valid JSON (truncated, garbage, wrong encoding). */
  MALFORMED_JSON("malformed_json"),
  /** Valid JSON, but not an object (a number, a string, null). */
  NOT_AN_OBJECT("not_an_object"),
  /** A required field (metric_type, event_time, channel_watched, session_id) is absent or empty. */
  MISSING_FIELD("missing_field"),
  /** A field is present with a value of the wrong type or out of range. */
  INVALID_FIELD("invalid_field"),
  /** An archive object could not be read to its end (e.g. a truncated gzip stream). */
  UNREADABLE_OBJECT("unreadable_object"),
  /**
   * Arrived too long after its event_time: in streaming, after the allowed lateness of its minute;
   * in both, more than the backfill's {@code --latePartitions} hours after it (no backfill range
   * would read it with its minute).
   */
  TOO_LATE("too_late"),
  /** Stamped too far ahead of its arrival ({@code --maxClockSkew}): a player clock running ahead. */
  CLOCK_SKEW("clock_skew"),
  /** One record longer than {@code PlayerEventContract.MAX_RECORD_BYTES}; kept as prefix and hash. */
  RECORD_TOO_LARGE("record_too_large"),
  /**
   * A computed row a sink cannot or would not store (a string Parquet cannot encode as UTF-8, a
   * document Elasticsearch's mapping refuses): dropped from that sink, the job goes on.
   */
  UNWRITABLE_ROW("unwritable_row");

  private final String code;

  DeadLetterReason(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  /** The description stored with the bad record: {@code code: detail}. */
  public String describe(String detail) {
    return code + ": " + detail;
  }
}
