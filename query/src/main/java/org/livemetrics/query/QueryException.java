package org.livemetrics.query;

/**
 * A query the API cannot answer because of what was asked: an unknown metric, a malformed
 * {@code where}, a range that would give too many points. It names the offending parameter so the
 * CLI can print {@code error: <parameter>: <message>} and the HTTP API can answer 400 with it.
 */
public final class QueryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String parameter;

  public QueryException(String parameter, String message) {
    super(message);
    this.parameter = parameter;
  }

  /** The query parameter (or {@code path}, or a CLI option such as {@code store}) at fault. */
  public String parameter() {
    return parameter;
  }

  /** {@code <parameter>: <message>}, one line. */
  @Override
  public String toString() {
    return parameter + ": " + getMessage();
  }

  /**
   * A whole-number command-line value in {@code [min, max]}, or a {@code QueryException} naming the
   * option: the one parser the commands share.
   */
  public static long wholeNumber(String option, String value, long min, long max) {
    try {
      long v = Long.parseLong(value.trim());
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new QueryException(option, "'" + value + "' is not a whole number from " + min + " to " + max);
  }
}
