package org.livemetrics.testdata;

/** Why a record is a dead letter, as the pipeline's bad-record output names it. */
public enum BadRecordReason {
  /** Not JSON: a truncated line, or garbage after the last good object of a line. */
  MALFORMED_JSON("malformed_json"),
  /** JSON, but not an object (a number, a string, an array element that is not an object). */
  NOT_AN_OBJECT("not_an_object"),
  /** metric_type, event_time, channel_watched or session_id absent, null or empty. */
  MISSING_FIELD("missing_field"),
  /** A required field of the wrong type or out of range, or an optional number that is not one. */
  INVALID_FIELD("invalid_field");

  private final String apiName;

  BadRecordReason(String apiName) {
    this.apiName = apiName;
  }

  public String apiName() {
    return apiName;
  }
}
