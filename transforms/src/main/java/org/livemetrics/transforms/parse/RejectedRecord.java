package org.livemetrics.transforms.parse;

import java.io.Serializable;

/**
 * The raw text of a record that failed, with where it came from. Routed through Beam's bad-record
 * handling; its JSON form (via its getters) becomes the dead letter's record.
 */
public final class RejectedRecord implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final long line;
  private final String record;

  public RejectedRecord(String source, long line, String record) {
    this.source = source;
    this.line = line;
    this.record = record;
  }

  public String getSource() {
    return source;
  }

  public long getLine() {
    return line;
  }

  public String getRecord() {
    return record;
  }
}
