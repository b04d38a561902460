package org.livemetrics.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.family.FamilyAvroSchema;
import org.livemetrics.schemas.family.MetricFamilyDescription;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;

/** What every stored row's Avro form shares: writing a family's row, bytes fields, the version. */
final class AvroRows {
  /** The column of a streamed row's pane index (see the schemas' doc); 0 for backfill rows. */
  static final String VERSION = "version";

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

  /**
   * The record of a metric family's row: each stored field's value in the row (by position: the
   * schema is made from the same fields, {@link FamilyAvroSchema}), and the write's version.
   */
  static GenericRecord record(Schema schema, MetricFamilyDescription family, Object row,
      long version) {
    GenericData.Record r = new GenericData.Record(schema);
    List<StoredField> fields = family.storedFields();
    for (int i = 0; i < fields.size(); i++) {
      StoredField f = fields.get(i);
      if (f.value() != null) {
        Object v = f.value().apply(row);
        r.put(i, switch (f.type()) {
          case BYTES -> ByteBuffer.wrap((byte[]) v);
          case MAP_OF_LONG -> new HashMap<>((Map<?, ?>) v);
          case STRING, OPTIONAL_STRING, LONG, TIMESTAMP_MILLIS -> v;
        });
      }
    }
    r.put(VERSION, version);
    return r;
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
    Object v = r.hasField(VERSION) ? r.get(VERSION) : null;
    return v == null ? 0 : ((Number) v).longValue();
  }
}
