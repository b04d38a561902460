package org.livemetrics.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.checkerframework.checker.nullness.qual.Nullable;

/** What every stored row's Avro form shares: its schema resource, bytes fields, the version. */
final class AvroRows {
  private AvroRows() {}

  /** A schema from a {@code .avsc} resource beside this class. */
  static Schema load(String resource) {
    try (InputStream in = AvroRows.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing schema resource " + resource);
      }
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(Object o) {
    ByteBuffer b = ((ByteBuffer) o).duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  static @Nullable String string(@Nullable Object o) {
    return o == null ? null : o.toString();
  }

  /** The record's version; 0 for files written before the field existed. */
  static long version(GenericRecord r) {
    Object v = r.hasField("version") ? r.get("version") : null;
    return v == null ? 0 : ((Number) v).longValue();
  }
}
