package org.livemetrics.testdata;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * One S3 object being written by Firehose: the records that arrived in one buffer interval, either
 * newline-delimited or concatenated with no separator, gzipped or not.
 */
final class FirehoseObject {
  private static final int BUFFER_BYTES = 1 << 18;

  final long slotStart;
  final long slotEnd;
  final Path path;
  final boolean gzip;
  final boolean concatenated;

  private final OutputStream out;
  private final byte[] buf = new byte[BUFFER_BYTES];
  private int pos;
  private long uncompressedBytes;
  /** Concatenated objects only: the current line holds at least one record. */
  private boolean lineOpen;
  /** Elements still to come in the open JSON array, 0 when none is open. */
  private int arrayRemaining;

  FirehoseObject(
      long slotStart, long slotEnd, Path path, boolean gzip, boolean concatenated, int gzipLevel)
      throws IOException {
    this.slotStart = slotStart;
    this.slotEnd = slotEnd;
    this.path = path;
    this.gzip = gzip;
    this.concatenated = concatenated;
    OutputStream file = Files.newOutputStream(path);
    this.out =
        gzip
            ? new GZIPOutputStream(file, 1 << 16) {
              {
                def.setLevel(gzipLevel);
              }
            }
            : file;
  }

  long uncompressedBytes() {
    return uncompressedBytes + pos;
  }

  /**
   * Appends a valid event. {@code batch} > 1 opens a JSON array that this and the next {@code
   * batch - 1} events of this object share (unless the object closes first).
   */
  void appendEvent(byte[] record, int len, int batch) throws IOException {
    if (arrayRemaining > 0) {
      put((byte) ',');
      put(record, len);
      if (--arrayRemaining == 0) {
        put((byte) ']');
        endRecord();
      }
      return;
    }
    if (batch > 1) {
      put((byte) '[');
      put(record, len);
      arrayRemaining = batch - 1;
      return;
    }
    put(record, len);
    endRecord();
  }

  /**
   * Appends a broken record, never inside an array. Records that do not parse go on a line of
   * their own: a reader drops the rest of a line after a value it cannot parse, and the generator
   * wants to know exactly how many records it broke.
   */
  void appendBroken(byte[] record, int len, boolean ownLine) throws IOException {
    closeArray();
    if (ownLine) {
      if (lineOpen) {
        put((byte) '\n');
      }
      put(record, len);
      put((byte) '\n');
      lineOpen = false;
    } else {
      put(record, len);
      endRecord();
    }
  }

  /** Closes the object; returns its size on disk. */
  long close() throws IOException {
    closeArray();
    flush();
    out.close();
    return Files.size(path);
  }

  private void closeArray() throws IOException {
    if (arrayRemaining > 0) {
      arrayRemaining = 0;
      put((byte) ']');
      endRecord();
    }
  }

  private void endRecord() throws IOException {
    if (concatenated) {
      lineOpen = true;
    } else {
      put((byte) '\n');
    }
  }

  private void put(byte b) throws IOException {
    if (pos == buf.length) {
      flush();
    }
    buf[pos++] = b;
  }

  private void put(byte[] b, int len) throws IOException {
    if (pos + len > buf.length) {
      flush();
      if (len > buf.length) {
        out.write(b, 0, len);
        uncompressedBytes += len;
        return;
      }
    }
    System.arraycopy(b, 0, buf, pos, len);
    pos += len;
  }

  private void flush() throws IOException {
    if (pos > 0) {
      out.write(buf, 0, pos);
      uncompressedBytes += pos;
      pos = 0;
    }
  }
}
