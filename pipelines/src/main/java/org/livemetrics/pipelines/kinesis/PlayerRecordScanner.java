package org.livemetrics.pipelines.kinesis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.livemetrics.transforms.parse.PlayerRecordParser;
import org.livemetrics.transforms.parse.RecordFramer;

/**
 * Finds the {@code event_time} and {@code session_id} of the player events in a raw payload
 * without decoding them: what the Kinesis watermark and the replay need, at a fraction of the cost
 * of {@code ParsePlayerEvents}. The payload may hold one JSON object, newline-delimited or
 * concatenated objects, or JSON arrays of objects (the shapes {@code RawRecord} allows); only the
 * top-level fields of those objects count.
 *
 * <p>A record that does not parse to its end counts for nothing (it will be dead-lettered
 * downstream); the others in the payload still count, because {@link RecordFramer} cuts the payload
 * into records first.
 */
final class PlayerRecordScanner {
  private static final JsonFactory JSON = new JsonFactory();

  /** What the scan found, in payload order. */
  interface Visitor {
    /**
     * An {@code event_time} that {@code ParsePlayerEvents} would accept, as written in {@code
     * buf[start, end)}: digits, in quotes when {@code quoted}.
     */
    default void eventTime(long epochMillis, int start, int end, boolean quoted) {}

    /** A non-empty {@code session_id} given as a string. */
    default void sessionId(String sessionId) {}
  }

  private PlayerRecordScanner() {}

  /** Scans {@code buf[from, to)}; returns false if some record in it could not be read. */
  static boolean scan(byte[] buf, int from, int to, Visitor visitor) {
    boolean[] allRead = {true};
    try {
      RecordFramer.frame(buf, from, to, (start, end, line, closed) -> {
        if (!scanRecord(buf, start, end, visitor)) {
          allRead[0] = false;
        }
      });
    } catch (Exception e) {
      throw new IllegalStateException(e); // the sink above throws nothing
    }
    return allRead[0];
  }

  /** The earliest event_time in the payload, or {@code Long.MAX_VALUE} if it has none. */
  static long earliestEventTime(byte[] buf, int from, int to) {
    long[] earliest = {Long.MAX_VALUE};
    scan(buf, from, to, new Visitor() {
      @Override
      public void eventTime(long epochMillis, int start, int end, boolean quoted) {
        earliest[0] = Math.min(earliest[0], epochMillis);
      }
    });
    return earliest[0];
  }

  /** Visits a record's fields only once all of it has parsed: a broken record counts for nothing. */
  private static boolean scanRecord(byte[] buf, int start, int end, Visitor visitor) {
    Found found = new Found();
    try (JsonParser p = JSON.createParser(buf, start, end - start)) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_OBJECT) {
        scanObject(p, buf, start, found);
      } else if (t == JsonToken.START_ARRAY) {
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          if (t == null) {
            return false;
          }
          if (t == JsonToken.START_OBJECT) {
            scanObject(p, buf, start, found);
          } else {
            p.skipChildren();
          }
        }
      } else {
        return false;
      }
      if (p.nextToken() != null) {
        return false;
      }
    } catch (IOException e) {
      return false;
    }
    found.replayTo(visitor);
    return true;
  }

  /** The fields of one record, held until the record has parsed to its end. */
  private static final class Found implements Visitor {
    private final List<long[]> eventTimes = new ArrayList<>(2);
    private final List<String> sessionIds = new ArrayList<>(2);

    @Override
    public void eventTime(long epochMillis, int start, int end, boolean quoted) {
      eventTimes.add(new long[] {epochMillis, start, end, quoted ? 1 : 0});
    }

    @Override
    public void sessionId(String sessionId) {
      sessionIds.add(sessionId);
    }

    void replayTo(Visitor v) {
      for (long[] e : eventTimes) {
        v.eventTime(e[0], (int) e[1], (int) e[2], e[3] == 1);
      }
      sessionIds.forEach(v::sessionId);
    }
  }

  /** Reads the fields of the object whose START_OBJECT the parser is on. */
  private static void scanObject(JsonParser p, byte[] buf, int base, Visitor visitor)
      throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (name.equals("event_time")) {
        eventTime(p, v, buf, base, visitor);
      } else if (name.equals("session_id") && v == JsonToken.VALUE_STRING) {
        String id = p.getText();
        if (!id.isBlank()) {
          visitor.sessionId(id);
        }
      } else {
        p.skipChildren();
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw new IOException("unterminated object");
    }
  }

  private static void eventTime(JsonParser p, JsonToken v, byte[] buf, int base, Visitor visitor)
      throws IOException {
    boolean quoted = v == JsonToken.VALUE_STRING;
    if (v != JsonToken.VALUE_NUMBER_INT && !quoted) {
      p.skipChildren();
      return;
    }
    // Only plain digits (what players send, bare or quoted): anything else is left for the
    // parser to reject, and a quoted value without escapes has a known length in bytes.
    String text = p.getText();
    if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return;
    }
    long ms = Long.parseLong(text);
    if (!PlayerRecordParser.isPlausibleEventTime(ms)) {
      return;
    }
    int start = base + (int) p.currentTokenLocation().getByteOffset();
    int end = start + text.length() + (quoted ? 2 : 0);
    visitor.eventTime(ms, start, end, quoted);
  }
}
