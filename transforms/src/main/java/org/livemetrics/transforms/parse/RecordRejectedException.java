package org.livemetrics.transforms.parse;

/** A record cannot be used; carries the dead-letter reason. Stackless: bad input is expected. */
public final class RecordRejectedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final DeadLetterReason reason;

  public RecordRejectedException(DeadLetterReason reason, String detail) {
    super(reason.describe(detail), null, false, false);
    this.reason = reason;
  }

  public DeadLetterReason reason() {
    return reason;
  }
}
