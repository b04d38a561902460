package org.livemetrics.transforms.parse;

/** A record cannot be used; carries the dead-letter reason. Stackless: bad input is expected. */
public final class RecordRejectedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final DeadLetterReason reason;

  /** The longest detail kept: parser messages can quote the input. */
  static final int MAX_DETAIL = 512;

  public RecordRejectedException(DeadLetterReason reason, String detail) {
    super(reason.describe(org.livemetrics.schemas.PlayerEventContract.printable(
        String.valueOf(detail), MAX_DETAIL)), null, false, false);
    this.reason = reason;
  }

  public DeadLetterReason reason() {
    return reason;
  }
}
