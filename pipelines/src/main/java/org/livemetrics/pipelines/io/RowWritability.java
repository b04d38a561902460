package org.livemetrics.pipelines.io;

import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Whether a row can be written, checked the way the sinks write it, before it reaches them: a
 * Parquet writer cannot skip a row in the middle of a file (one bad string fails the file, the
 * bundle, then the job), and Elasticsearch's client would silently turn a lone surrogate into
 * {@code ?}.
 *
 * <p>Parquet: the row's Avro record ({@link StoredRows#toRecord}, the sink's own conversion) is run
 * through parquet-avro's {@link AvroWriteSupport} (what {@code ParquetIO.sink} writes with) into a
 * consumer that keeps nothing, so every conversion the real writer makes (strings to UTF-8 with a
 * strict encoder, required fields, unions) happens here first; a failure there is a failure here.
 * Documents: the JSON text must be well-formed UTF-16, so that it encodes as UTF-8 exactly
 * (the client would replace a lone surrogate by {@code ?}). Both: at most {@link #MAX_ROW_BYTES}.
 *
 * <p>One instance per DoFn instance (not thread-safe, not serializable).
 */
final class RowWritability {
  /**
   * The largest row or document accepted, in encoded bytes. Real rows are a few kilobytes
   * (dimension values and sketches); this is far above them and far below what a Parquet page or
   * an Elasticsearch bulk request ({@code http.max_content_length}, 100 MB) can take.
   */
  static final int MAX_ROW_BYTES = 4 * 1024 * 1024;

  /** Why a row cannot be written: a short, printable reason. */
  static final class UnwritableException extends Exception {
    private static final long serialVersionUID = 1L;

    UnwritableException(String message) {
      super(message);
    }
  }

  private final Schema schema;
  private AvroWriteSupport<GenericRecord> writeSupport; // made on first use: documents need none
  private final SizeCountingConsumer consumer = new SizeCountingConsumer();

  RowWritability(Schema schema) {
    this.schema = schema;
  }

  private AvroWriteSupport<GenericRecord> writeSupport() {
    if (writeSupport == null) {
      // As AvroParquetWriter builds it for ParquetIO.sink(schema): default configuration, no
      // model (so the writer's default data model).
      Configuration conf = new Configuration();
      writeSupport = new AvroWriteSupport<>(new AvroSchemaConverter(conf).convert(schema), schema, null);
      writeSupport.init(conf);
      writeSupport.prepareForWrite(consumer);
    }
    return writeSupport;
  }

  /** Checks that the Parquet writer will take {@code record}; returns it. */
  GenericRecord checkParquet(GenericRecord record) throws UnwritableException {
    // First the strings, to name the field and the character; then the writer's own conversion.
    checkStrings("", record.getSchema(), record);
    consumer.bytes = 0;
    try {
      writeSupport().write(record);
    } catch (RuntimeException e) {
      throw new UnwritableException("parquet writer refused it: " + causes(e));
    }
    if (consumer.bytes > MAX_ROW_BYTES) {
      throw new UnwritableException(String.format(
          "row of %,d bytes exceeds the %,d-byte limit", consumer.bytes, MAX_ROW_BYTES));
    }
    return record;
  }

  /** Checks that a JSON document encodes strictly as UTF-8 within the size limit. */
  void checkDocument(String json) throws UnwritableException {
    int bad = firstUnpairedSurrogate(json);
    if (bad >= 0) {
      throw new UnwritableException(String.format(
          "document is not valid UTF-16: lone surrogate U+%04X at char %d", (int) json.charAt(bad), bad));
    }
    // Well-formed UTF-16 always encodes (unpaired surrogates are all a strict encoder refuses),
    // so only its size is left to check; counted, not encoded, to spare a copy of each document.
    long bytes = utf8Length(json);
    if (bytes > MAX_ROW_BYTES) {
      throw new UnwritableException(String.format(
          "document of %,d bytes exceeds the %,d-byte limit", bytes, MAX_ROW_BYTES));
    }
  }

  /** The UTF-8 length of well-formed UTF-16 text. */
  static long utf8Length(CharSequence s) {
    long bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4; // with its low surrogate
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  Schema schema() {
    return schema;
  }

  private static void checkStrings(String path, Schema schema, Object value) throws UnwritableException {
    if (value instanceof CharSequence s) {
      int bad = firstUnpairedSurrogate(s);
      if (bad >= 0) {
        throw new UnwritableException(String.format(
            "field %s is not valid UTF-16: lone surrogate U+%04X at char %d of %d",
            path, (int) s.charAt(bad), bad, s.length()));
      }
    } else if (value instanceof GenericRecord r) {
      for (Schema.Field f : r.getSchema().getFields()) {
        checkStrings(path.isEmpty() ? f.name() : path + "." + f.name(), f.schema(), r.get(f.pos()));
      }
    } else if (value instanceof Collection<?> c) {
      for (Object o : c) {
        checkStrings(path + "[]", schema, o);
      }
    } else if (value instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        checkStrings(path + "{key}", schema, e.getKey());
        checkStrings(path + "{}", schema, e.getValue());
      }
    }
  }

  /**
   * The index of the first surrogate without its pair (what a strict UTF-8 encoder refuses: it is
   * the only ill-formed UTF-16), or -1.
   */
  static int firstUnpairedSurrogate(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      } else if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * {@code s} safe to show in a dead letter: lone surrogates and control characters as {@code
   * \\uXXXX}, at most {@code max} characters (then {@code …(N chars)}).
   */
  static String printable(String s, int max) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 16);
    for (int i = 0; i < s.length() && b.length() < max; i++) {
      char c = s.charAt(i);
      boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1));
      if (paired) {
        b.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c) || Character.isISOControl(c)) {
        b.append(String.format("\\u%04X", (int) c));
      } else {
        b.append(c);
      }
    }
    if (b.length() >= max && s.length() > max) {
      b.append("…(").append(s.length()).append(" chars)");
    }
    return b.toString();
  }

  static String causes(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null && b.length() < 500; t = t.getCause()) {
      if (b.length() > 0) {
        b.append(" / ");
      }
      b.append(t.getClass().getSimpleName());
      if (t.getMessage() != null) {
        b.append(": ").append(printable(t.getMessage(), 200));
      }
    }
    return b.toString();
  }

  /** Keeps nothing of what the writer sends it but the size of the values. */
  private static final class SizeCountingConsumer extends RecordConsumer {
    long bytes;

    @Override public void startMessage() {}
    @Override public void endMessage() {}
    @Override public void startField(String field, int index) {}
    @Override public void endField(String field, int index) {}
    @Override public void startGroup() {}
    @Override public void endGroup() {}
    @Override public void addInteger(int value) { bytes += 4; }
    @Override public void addLong(long value) { bytes += 8; }
    @Override public void addBoolean(boolean value) { bytes += 1; }
    @Override public void addBinary(Binary value) { bytes += value.length(); }
    @Override public void addFloat(float value) { bytes += 4; }
    @Override public void addDouble(double value) { bytes += 8; }
  }
}
