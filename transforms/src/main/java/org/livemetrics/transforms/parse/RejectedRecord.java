package org.livemetrics.transforms.parse;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A record that failed, with where it came from: a bounded prefix of its raw text, its full length
 * in bytes and the SHA-256 of its bytes. Routed through Beam's bad-record handling; its JSON form
 * (via its getters) becomes the dead letter's record.
 *
 * <p>Bounded on purpose: a dead letter must never be the amplifier of an attack (a 1 MB gzip
 * object can hold a 1 GiB line). The hash still identifies the record, and the length says how much
 * was dropped.
 */
public final class RejectedRecord implements Serializable {
  private static final long serialVersionUID = 2L;

  /** The most bytes of a record kept in its dead letter. */
  public static final int MAX_KEPT_BYTES = 4096;

  private final String source;
  private final long line;
  private final String record;
  private final long recordBytes;
  private final String recordSha256;

  public RejectedRecord(String source, long line, String record, long recordBytes, String recordSha256) {
    this.source = source;
    this.line = line;
    this.record = record;
    this.recordBytes = recordBytes;
    this.recordSha256 = recordSha256;
  }

  /** The record {@code buf[start, end)}: its prefix, length and hash. */
  public static RejectedRecord of(String source, long line, byte[] buf, int start, int end) {
    start = Math.max(0, Math.min(start, buf.length));
    int length = Math.max(0, Math.min(end, buf.length) - start);
    MessageDigest sha = sha256();
    sha.update(buf, start, length);
    return new RejectedRecord(source, line, prefix(buf, start, length), length,
        HexFormat.of().formatHex(sha.digest()));
  }

  /** A record known as text (one of the pipeline's own, e.g. a too-late event's fields). */
  public static RejectedRecord ofText(String source, long line, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return of(source, line, bytes, 0, bytes.length);
  }

  /** At most {@link #MAX_KEPT_BYTES} bytes of {@code buf} as text, never cutting a character. */
  public static String prefix(byte[] buf, int start, int length) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    int kept = Math.min(length, MAX_KEPT_BYTES);
    CharBuffer out = CharBuffer.allocate(kept);
    // endOfInput=false: a character cut by the limit stays undecoded instead of becoming U+FFFD.
    CoderResult r = decoder.decode(ByteBuffer.wrap(buf, start, kept), out, kept == length);
    if (kept == length && !r.isOverflow()) {
      decoder.flush(out);
    }
    out.flip();
    return out.toString();
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  public String getSource() {
    return source;
  }

  public long getLine() {
    return line;
  }

  /** The record's text, cut to {@link #MAX_KEPT_BYTES} bytes. */
  public String getRecord() {
    return record;
  }

  /** The record's whole length in bytes. */
  public long getRecordBytes() {
    return recordBytes;
  }

  /** The SHA-256 of the record's whole bytes, in hex. */
  public String getRecordSha256() {
    return recordSha256;
  }
}
