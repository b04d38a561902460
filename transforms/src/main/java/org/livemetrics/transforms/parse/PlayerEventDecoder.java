package org.livemetrics.transforms.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.schemas.PlayerEventContract;
import org.livemetrics.transforms.enrich.CountryResolver;
import org.livemetrics.transforms.enrich.DeviceTypeResolver;
import org.livemetrics.transforms.enrich.Fingerprinter;

/**
 * Turns a {@link RawRecord} into validated, enriched {@link PlayerEvent}s and rejected records:
 * frames the payload into records, parses each, resolves account, country, device type and
 * fingerprint. Plain Java (no Beam), so it can be tested and benchmarked on its own; one instance
 * per thread.
 */
public final class PlayerEventDecoder {

  /** Where decoded events and rejected records go. */
  public interface Output {
    void event(PlayerEvent event) throws Exception;

    void rejected(RejectedRecord record, RecordRejectedException why) throws Exception;
  }

  private final PlayerRecordParser parser = new PlayerRecordParser();
  private final JsonFactory factory = PlayerRecordParser.jsonFactory();
  private final PlayerRecord record = new PlayerRecord();
  private final Fingerprinter fingerprinter;
  private final Interner interner = new Interner();
  private final String defaultAccount;
  private final @Nullable ArrivalRule arrivalRule;

  /** A decoder that takes every plausible event_time, whenever it arrived. */
  public PlayerEventDecoder(String fingerprintSecret, String defaultAccount) {
    this(fingerprintSecret, defaultAccount, null);
  }

  /** A decoder that also holds each event's event_time against its arrival ({@code rule}). */
  public PlayerEventDecoder(String fingerprintSecret, String defaultAccount,
      @Nullable ArrivalRule arrivalRule) {
    this.fingerprinter = new Fingerprinter(fingerprintSecret);
    this.defaultAccount = defaultAccount;
    this.arrivalRule = arrivalRule;
  }

  private RawRecord current;

  public void decode(RawRecord raw, Output out) throws Exception {
    current = raw;
    byte[] buf = raw.payload();
    int pos = 0;
    while (pos < buf.length) {
      int resumeAt = decodeWithOneParser(raw, buf, pos, out);
      if (resumeAt < 0) {
        return;
      }
      // Frame only the rest of the troubled line, then go back to the fast path.
      int lineEnd = resumeAt;
      while (lineEnd < buf.length && buf[lineEnd] != '\n') {
        lineEnd++;
      }
      lineEnd = Math.min(buf.length, lineEnd + 1);
      decodeRecordByRecord(raw, buf, resumeAt, lineEnd, out);
      pos = Math.max(lineEnd, pos + 1); // always forward, whatever the input
    }
  }

  /**
   * The fast path: one streaming parser reads the block's root values one after another
   * (newline-delimited or concatenated alike). Returns -1 when the whole block was read, or the
   * offset of the first root value that is not well-formed JSON: from there the block is framed
   * record by record, so a broken line costs only itself.
   */
  private int decodeWithOneParser(RawRecord raw, byte[] buf, int from, Output out) throws Exception {
    // Where the framer would take over: the end of the last record fully handled, or the start
    // of the one being read. Never before a record already emitted, so nothing is emitted twice.
    int resumeAt = from;
    try (JsonParser p = factory.createParser(buf, from, buf.length - from)) {
      while (true) {
        JsonToken t = p.nextToken();
        if (t == null) {
          return -1;
        }
        JsonLocation startLocation = p.currentTokenLocation();
        if (startLocation.getByteOffset() < 0) {
          // Jackson took the bytes for UTF-16 or UTF-32 (leading zero bytes, a BOM) and counts
          // characters, not bytes: no offsets to resume from, so frame the line instead.
          return resumeAt;
        }
        int start = from + (int) startLocation.getByteOffset();
        resumeAt = start;
        if (t == JsonToken.START_OBJECT) {
          parser.readObject(p, record);
        } else if (t == JsonToken.START_ARRAY) {
          p.skipChildren();
        } else {
          return start; // a scalar at the root (42, "heartbeat"): the framer gives it its line
        }
        JsonLocation endLocation = p.currentLocation();
        if (endLocation.getLineNr() != startLocation.getLineNr()) {
          return start; // a record never spans lines: the framer cuts it at the newline
        }
        int end = from + (int) endLocation.getByteOffset();
        if (end - start > PlayerEventContract.MAX_RECORD_BYTES) {
          out.rejected(RejectedRecord.of(raw.source(), raw.firstLine() + lineOf(buf, start), buf,
              start, end), tooLarge(end - start));
        } else if (t == JsonToken.START_ARRAY) {
          decodeArray(raw.source(), raw.firstLine() + lineOf(buf, start), buf, start, end, out);
        } else {
          try {
            PlayerRecordParser.validate(record);
            emit(out);
          } catch (RecordRejectedException e) {
            out.rejected(RejectedRecord.of(
                raw.source(), raw.firstLine() + lineOf(buf, start), buf, start, end), e);
          }
        }
        resumeAt = end;
      }
    } catch (java.io.IOException | RecordRejectedException e) {
      // Not well-formed from here on (RecordRejectedException: an unterminated object; an
      // IOException other than a parse error: bytes Jackson took for UTF-32 of no known order).
      return resumeAt;
    }
  }

  /** The robust path: frame records without parsing, then parse each on its own. */
  private void decodeRecordByRecord(RawRecord raw, byte[] buf, int from, int to, Output out)
      throws Exception {
    long baseLine = raw.firstLine() + lineOf(buf, from);
    RecordFramer.frame(buf, from, to, (start, end, line, closed) -> {
      long lineNo = baseLine + line;
      if (end - start > PlayerEventContract.MAX_RECORD_BYTES) {
        out.rejected(RejectedRecord.of(raw.source(), lineNo, buf, start, end), tooLarge(end - start));
        return;
      }
      if (buf[start] == '[') {
        decodeArray(raw.source(), lineNo, buf, start, end, out);
        return;
      }
      try {
        parser.parseObject(buf, start, end, record);
        emit(out);
      } catch (RecordRejectedException e) {
        out.rejected(RejectedRecord.of(raw.source(), lineNo, buf, start, end), e);
      }
    });
  }

  // Line numbers are only needed for dead letters and the framer's hand-over, so they are
  // counted lazily: remember the last offset counted to.
  private byte[] countedBuf;
  private int countedTo;
  private long countedLines;

  private long lineOf(byte[] buf, int offset) {
    if (buf != countedBuf || offset < countedTo) {
      countedBuf = buf;
      countedTo = 0;
      countedLines = 0;
    }
    for (int i = countedTo; i < offset; i++) {
      if (buf[i] == '\n') {
        countedLines++;
      }
    }
    countedTo = offset;
    return countedLines;
  }

  /** A top-level array (a Kinesis record may batch events that way): each element is a record. */
  private void decodeArray(String source, long line, byte[] buf, int start, int end, Output out)
      throws Exception {
    try (JsonParser p = factory.createParser(buf, start, end - start)) {
      p.nextToken(); // START_ARRAY
      int index = 0;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), index++) {
        if (t == null) {
          throw new RecordRejectedException(DeadLetterReason.MALFORMED_JSON, "unterminated array");
        }
        int elementStart = start + (int) p.currentTokenLocation().getByteOffset();
        try {
          if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            throw new RecordRejectedException(
                DeadLetterReason.NOT_AN_OBJECT, "array element " + index + " is not an object");
          }
          parser.readObject(p, record);
          PlayerRecordParser.validate(record);
          emit(out);
        } catch (RecordRejectedException e) {
          int elementEnd = start + (int) p.currentLocation().getByteOffset();
          out.rejected(RejectedRecord.of(source, line, buf, elementStart, elementEnd), e);
        }
      }
    } catch (JsonProcessingException e) {
      out.rejected(
          RejectedRecord.of(source, line, buf, start, end),
          new RecordRejectedException(DeadLetterReason.MALFORMED_JSON, e.getOriginalMessage()));
    } catch (java.io.IOException e) {
      out.rejected(RejectedRecord.of(source, line, buf, start, end),
          new RecordRejectedException(DeadLetterReason.MALFORMED_JSON, String.valueOf(e.getMessage())));
    } catch (RecordRejectedException e) {
      out.rejected(RejectedRecord.of(source, line, buf, start, end), e);
    }
  }

  /** The validated record as an event, unless its event_time does not fit its arrival. */
  private void emit(Output out) throws Exception {
    if (arrivalRule != null) {
      RecordRejectedException late = arrivalRule.check(record.eventTime, current.arrival());
      if (late != null) {
        throw late;
      }
    }
    PlayerEvent event;
    try {
      event = toEvent(record);
    } catch (RuntimeException e) {
      // Enrichment (user-agent rules, country names) must not let one record stop the job.
      throw new RecordRejectedException(DeadLetterReason.INVALID_FIELD,
          "the event could not be enriched: " + e);
    }
    out.event(event);
  }

  private static RecordRejectedException tooLarge(int bytes) {
    return new RecordRejectedException(DeadLetterReason.RECORD_TOO_LARGE, String.format(
        "%,d bytes, at most %,d", bytes, PlayerEventContract.MAX_RECORD_BYTES));
  }

  private PlayerEvent toEvent(PlayerRecord r) {
    PlayerEvent.Builder b = PlayerEvent.builder();
    b.metricType = r.metricType;
    b.eventTime = r.eventTime;
    b.account = r.accountId != null ? interner.intern(r.accountId) : defaultAccount;
    b.video = interner.intern(r.channelWatched);
    b.sessionId = r.sessionId;
    b.userId = r.userId;
    b.clientPlatform = interner.intern(r.clientPlatform);
    b.isLive = r.isLive;
    b.country = CountryResolver.resolve(r.countryCode, r.countryName);
    b.deviceType =
        DeviceTypeResolver.resolve(
            r.desktopViewer, r.mobileViewer, r.tabletViewer, r.smartTvViewer, r.userAgent);
    b.fingerprint = fingerprinter.fingerprint(r.ip, r.userAgent, r.player, r.userId, r.sessionId);
    b.startupLatencyMs = r.startupLatencyMs;
    b.startPlaybackPositionSec = r.startPlaybackPositionSec;
    b.playingTimeMs = r.playingTimeMs;
    b.bufferingTimeMs = r.bufferingTimeMs;
    b.bufferingCount = r.bufferingCount;
    b.errorCount = r.errorCount;
    b.renditionName = interner.intern(r.renditionName);
    b.renditionHeight = r.renditionHeight;
    b.liveLatencyMs = r.liveLatencyMs;
    b.fromRenditionName = r.fromRenditionName;
    b.toRenditionName = r.toRenditionName;
    b.fromBitrate = r.fromBitrate;
    b.toBitrate = r.toBitrate;
    b.stepDirection = r.stepDirection;
    b.endPlaybackPositionSec = r.endPlaybackPositionSec;
    return b.build();
  }

}
