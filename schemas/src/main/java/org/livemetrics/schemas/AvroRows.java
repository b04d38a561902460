package org.livemetrics.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.family.FamilyAvroSchema;
import org.livemetrics.schemas.family.MetricFamilyDescription;
import org.livemetrics.schemas.family.MetricFamilyDescription.FieldType;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;
import org.livemetrics.schemas.family.StoredValues;

/**
 * What every stored row's Avro form shares: writing and reading a family's row, bytes fields, the
 * version.
 */
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

  /**
   * The row a record holds, read as its family's description says ({@link
   * MetricFamilyDescription.StoredRow#read}).
   *
   * @throws IllegalArgumentException naming a field that is missing or malformed
   */
  static <R> R read(MetricFamilyDescription family, GenericRecord record, Class<R> type) {
    return family.readRow(new RecordValues(family, record), type);
  }

  /**
   * A record's values. The store reads every file as the current schema, so a column a file was
   * written without is there with its default (null, or 0 for a {@code defaultsToZero} column).
   */
  private static final class RecordValues extends StoredValues {
    private final GenericRecord record;

    RecordValues(MetricFamilyDescription family, GenericRecord record) {
      super(family);
      this.record = record;
    }

    private @Nullable Object get(StoredField f) {
      Schema.Field column = record.getSchema().getField(f.name());
      return column == null ? null : record.get(column.pos());
    }

    private IllegalArgumentException missing(StoredField f) {
      return new IllegalArgumentException(family.storedRow().avroName() + " record without "
          + f.name());
    }

    @Override
    public String text(String field) {
      StoredField f = field(field, FieldType.STRING);
      Object v = get(f);
      if (v == null) {
        throw missing(f);
      }
      return v.toString();
    }

    @Override
    public @Nullable String optionalText(String field) {
      return string(get(field(field, FieldType.OPTIONAL_STRING)));
    }

    @Override
    public long number(String field) {
      StoredField f = field(field, FieldType.LONG, FieldType.TIMESTAMP_MILLIS);
      Object v = get(f);
      if (v == null) {
        if (f.zeroByDefault()) {
          return 0;
        }
        throw missing(f);
      }
      return ((Number) v).longValue();
    }

    @Override
    public byte[] bytes(String field) {
      Object v = get(field(field, FieldType.BYTES));
      return v == null ? new byte[0] : AvroRows.bytes(v);
    }

    @Override
    public Map<String, Long> longs(String field) {
      Object v = get(field(field, FieldType.MAP_OF_LONG));
      Map<String, Long> out = new TreeMap<>();
      if (v != null) {
        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
          out.put(e.getKey().toString(), ((Number) e.getValue()).longValue());
        }
      }
      return out;
    }

    @Override
    protected String storedName(StoredField field) {
      return field.name();
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
    Object v = r.hasField(VERSION) ? r.get(VERSION) : null;
    return v == null ? 0 : ((Number) v).longValue();
  }
}
