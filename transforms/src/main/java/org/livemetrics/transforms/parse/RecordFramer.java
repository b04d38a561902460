package org.livemetrics.transforms.parse;

/**
 * Finds where JSON records start and end in a byte buffer without parsing them, so that large
 * archive objects can be cut into blocks and blocks into records.
 *
 * <p>A record is one top-level JSON value. Records may be separated by newlines (NDJSON) or by
 * nothing at all (Firehose concatenates objects by default). A record never spans a line break: a
 * newline inside an unfinished record ends it there, so one truncated line costs exactly that line
 * and the next line starts clean. (Raw newlines are not valid inside JSON strings, and the player
 * SDK does not pretty-print.)
 */
public final class RecordFramer {

  /**
   * Receives each record as a byte range plus the line it starts on (0-based, relative), and
   * whether it was closed (by its last bracket or a newline) rather than cut off by the buffer end.
   */
  @FunctionalInterface
  public interface RecordSink {
    void record(int start, int end, int line, boolean closed) throws Exception;
  }

  private RecordFramer() {}

  /** Calls {@code sink} for each record in {@code buf[from, to)}, in order. */
  public static void frame(byte[] buf, int from, int to, RecordSink sink) throws Exception {
    int line = 0;
    int start = -1;
    int startLine = 0;
    int depth = 0;
    boolean inString = false;
    boolean escaped = false;
    boolean scalar = false;
    for (int i = from; i < to; i++) {
      byte c = buf[i];
      if (c == '\n') {
        if (start >= 0) {
          sink.record(start, trimEnd(buf, start, i), startLine, true);
          start = -1;
        }
        depth = 0;
        inString = false;
        escaped = false;
        scalar = false;
        line++;
        continue;
      }
      if (start < 0) {
        if (c == ' ' || c == '\t' || c == '\r') {
          continue;
        }
        start = i;
        startLine = line;
        scalar = c != '{' && c != '[';
        if (scalar) {
          continue;
        }
      }
      if (scalar) {
        continue; // a non-container value runs to the end of its line
      }
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
        if (depth <= 0) {
          sink.record(start, i + 1, startLine, true);
          start = -1;
          depth = 0;
        }
      }
    }
    if (start >= 0) {
      sink.record(start, trimEnd(buf, start, to), startLine, false);
    }
  }

  private static int trimEnd(byte[] buf, int start, int end) {
    while (end > start && (buf[end - 1] == ' ' || buf[end - 1] == '\t' || buf[end - 1] == '\r')) {
      end--;
    }
    return end;
  }

  /**
   * The last position in {@code buf[from, limit)} where a block may be cut without splitting a
   * record: just after a newline or after a record's closing bracket. Returns {@code from} if there
   * is none (one record longer than the block: the caller reads more).
   */
  public static int lastBoundary(byte[] buf, int from, int limit) {
    int[] cut = {from};
    try {
      frame(buf, from, limit, (start, end, line, closed) -> {
        if (closed) {
          cut[0] = end;
        }
      });
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    // Include a newline that follows the last complete record, so lines stay counted right.
    int c = cut[0];
    while (c < limit && (buf[c] == ' ' || buf[c] == '\t' || buf[c] == '\r')) {
      c++;
    }
    if (c < limit && buf[c] == '\n') {
      return c + 1;
    }
    return cut[0];
  }
}
