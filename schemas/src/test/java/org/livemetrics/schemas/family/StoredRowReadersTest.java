package org.livemetrics.schemas.family;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.junit.Test;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.util.CoderUtils;
import org.livemetrics.schemas.BroadcastAvro;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.Dimension;
import org.livemetrics.schemas.MinuteAggregateAvro;
import org.livemetrics.schemas.MinuteAggregateCoder;
import org.livemetrics.schemas.QosMinuteAvro;
import org.livemetrics.schemas.QosMinuteCoder;
import org.livemetrics.schemas.elasticsearch.AggregateDocuments;
import org.livemetrics.schemas.elasticsearch.BroadcastDocuments;
import org.livemetrics.schemas.elasticsearch.QosDocuments;
import org.livemetrics.schemas.family.MetricFamilyDescription.FieldType;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredSet;

/**
 * Each family's reader ({@link MetricFamilyDescription.StoredRow#read}) is the inverse of its
 * stored fields' values, field by field, for a row of every stored set: a column added to a
 * description but not read back, or two columns read into each other's places, fails here. Then
 * the same rows through both real stores' forms (an Avro record as Parquet files hold it, an
 * Elasticsearch document).
 */
public class StoredRowReadersTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** The column that holds a row's stored-set id in every family. */
  private static final String SET_FIELD = "dimensions";
  private static final long MINUTE = 1_763_788_380_000L; // 2025-11-22T05:13Z

  @Test
  public void eachReaderReadsEveryStoredFieldBackAsTheValueItWasGiven() {
    for (MetricFamilyDescription family : MetricFamilies.all()) {
      for (StoredSet set : family.storedSets()) {
        Given given = new Given(family, set);
        Object row = family.storedRow().read().apply(given);
        String where = family.name() + ", a " + set.id() + " row: ";
        for (StoredField f : family.storedFields()) {
          if (f.value() == null) {
            continue; // version: the write's, not the row's
          }
          assertEquals(where + "the reader does not read " + f.name(), true,
              given.read.contains(f.name()));
          assertSame(where + f.name(), given.value(f), f.value().apply(row));
        }
      }
    }
  }

  @Test
  public void rowsOfEverySetComeBackFromAvroRecordsAndElasticsearchDocuments() throws IOException {
    assertStores(AudienceFamily.DESCRIPTION, MinuteAggregateAvro.SCHEMA,
        r -> MinuteAggregateAvro.toRecord((org.livemetrics.schemas.MinuteAggregate) r, 3),
        MinuteAggregateAvro::fromRecord,
        r -> AggregateDocuments.toJson((org.livemetrics.schemas.MinuteAggregate) r),
        AggregateDocuments::fromDocument);
    assertStores(ViewerQosFamily.DESCRIPTION, QosMinuteAvro.SCHEMA,
        r -> QosMinuteAvro.toRecord((org.livemetrics.schemas.QosMinute) r, 3),
        QosMinuteAvro::fromRecord,
        r -> QosDocuments.FORMAT.toJson((org.livemetrics.schemas.QosMinute) r),
        QosDocuments.FORMAT::fromDocument);
    assertStores(BroadcastFamily.DESCRIPTION, BroadcastAvro.MINUTE_SCHEMA,
        r -> BroadcastAvro.toRecord((org.livemetrics.schemas.BroadcastMinute) r, 3),
        BroadcastAvro::minuteFromRecord,
        r -> BroadcastDocuments.FORMAT.toJson((org.livemetrics.schemas.BroadcastMinute) r),
        BroadcastDocuments.FORMAT::fromDocument);
  }

  /**
   * The rows' coders are written by hand for speed (they carry every partial and final row between
   * steps); a row of every set, with every field its own value, must survive its coder whole.
   */
  @Test
  public void rowsOfEverySetSurviveTheirCoders() throws Exception {
    assertCoder(AudienceFamily.DESCRIPTION, MinuteAggregateCoder.of());
    assertCoder(ViewerQosFamily.DESCRIPTION, QosMinuteCoder.of());
    assertCoder(BroadcastFamily.DESCRIPTION, BroadcastMinute.Coder.of());
  }

  @SuppressWarnings("unchecked")
  private static <R> void assertCoder(MetricFamilyDescription family, Coder<R> coder)
      throws Exception {
    for (StoredSet set : family.storedSets()) {
      R row = (R) family.storedRow().read().apply(new Given(family, set));
      assertEquals(family.name() + ", a " + set.id() + " row through " + coder, row,
          CoderUtils.decodeFromByteArray(coder, CoderUtils.encodeToByteArray(coder, row)));
    }
  }

  /**
   * Rows are equal exactly when every stored field is: a row read with one field changed differs
   * from the row, for every field of every set ({@code equals} is derived from the description,
   * so a new field is compared without another line).
   */
  @Test
  public void rowsDifferingInAnyOneStoredFieldAreNotEqual() {
    for (MetricFamilyDescription family : MetricFamilies.all()) {
      for (StoredSet set : family.storedSets()) {
        Object row = family.storedRow().read().apply(new Given(family, set));
        Object again = family.storedRow().read().apply(new Given(family, set));
        String where = family.name() + ", a " + set.id() + " row";
        assertEquals(where, row, again);
        assertEquals(where, row.hashCode(), again.hashCode());
        for (StoredField f : family.storedFields()) {
          Given given = new Given(family, set);
          if (f.value() == null || f.name().equals(SET_FIELD) || given.value(f) == null) {
            continue; // not the row's, or the set itself, or a dimension this set has not
          }
          Object changed = family.storedRow().read().apply(new Given(family, set, f.name()));
          assertNotEquals(where + " with another " + f.name(), row, changed);
        }
      }
    }
  }

  /** A reader asking for a field as another type than its declared one is a programming error. */
  @Test(expected = IllegalStateException.class)
  public void askingForAFieldAsAnotherTypeIsRefused() {
    MetricFamilyDescription family = ViewerQosFamily.DESCRIPTION;
    new Given(family, family.storedSets().get(0)).text(ViewerQosFamily.ERROR_COUNT_FIELD);
  }

  private static void assertStores(MetricFamilyDescription family, Schema schema,
      Function<Object, GenericRecord> toRecord, Function<GenericRecord, ?> fromRecord,
      Function<Object, String> toJson, Function<com.fasterxml.jackson.databind.JsonNode, ?>
          fromDocument) throws IOException {
    for (StoredSet set : family.storedSets()) {
      Object row = family.storedRow().read().apply(new Given(family, set));
      String where = family.name() + ", a " + set.id() + " row";
      assertEquals(where + " through an Avro record", row,
          fromRecord.apply(throughAvro(schema, toRecord.apply(row))));
      assertEquals(where + " through an Elasticsearch document", row,
          fromDocument.apply(MAPPER.readTree(toJson.apply(row))));
    }
  }

  /** Encoded and decoded as a file holds it (Utf8 strings, ByteBuffers, maps of Utf8 keys). */
  private static GenericRecord throughAvro(Schema schema, GenericRecord record)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return new GenericDatumReader<GenericRecord>(schema)
        .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
  }

  private static void assertSame(String what, @Nullable Object expected, @Nullable Object actual) {
    if (expected instanceof byte[] e) {
      assertNotNull(what, actual);
      assertArrayEquals(what, e, (byte[]) actual);
    } else {
      assertEquals(what, expected, actual);
    }
  }

  /**
   * Values a reader is given: each field its own (so two fields read into each other's places
   * differ), the set's id in {@code dimensions}, and a dimension's column set exactly on the rows
   * of the sets that have the dimension. Notes which fields were read.
   */
  private static final class Given extends StoredValues {
    private final StoredSet set;
    private final @Nullable String changed;
    final Set<String> read = new HashSet<>();

    Given(MetricFamilyDescription family, StoredSet set) {
      this(family, set, null);
    }

    /** The same values but {@code changed}'s, which is another one of its type. */
    Given(MetricFamilyDescription family, StoredSet set, @Nullable String changed) {
      super(family);
      this.set = set;
      this.changed = changed;
    }

    /** The value the field's {@code value} getter should give for the row read from these. */
    @Nullable Object value(StoredField f) {
      int i = family.storedFields().indexOf(f);
      return switch (f.type()) {
        case STRING -> f.name().equals(SET_FIELD) ? set.id() : f.name() + "-" + i;
        case OPTIONAL_STRING -> Dimension.fromApiName(f.name())
                .filter(d -> !set.dimensions().contains(d)).isPresent()
            ? null : f.name() + "-" + i;
        case LONG -> 1_000L + i;
        case TIMESTAMP_MILLIS -> MINUTE + 60_000L * i;
        case BYTES -> new byte[] {(byte) i, 42};
        case MAP_OF_LONG -> new TreeMap<>(Map.of("720p", 10L * i, "1080p", 20L * i));
      };
    }

    private Object given(String field, FieldType... types) {
      read.add(field);
      Object v = value(field(field, types));
      if (!field.equals(changed) || v == null) {
        return v;
      }
      if (v instanceof String s) {
        return s + "-changed";
      } else if (v instanceof Long l) {
        return l + 60_000L;
      } else if (v instanceof byte[] b) {
        return new byte[] {b[0], (byte) (b[1] + 1)};
      }
      @SuppressWarnings("unchecked")
      Map<String, Long> m = new TreeMap<>((Map<String, Long>) v);
      m.merge("720p", 1L, Long::sum);
      return m;
    }

    @Override
    public String text(String field) {
      return (String) given(field, FieldType.STRING);
    }

    @Override
    public @Nullable String optionalText(String field) {
      return (String) given(field, FieldType.OPTIONAL_STRING);
    }

    @Override
    public long number(String field) {
      return (Long) given(field, FieldType.LONG, FieldType.TIMESTAMP_MILLIS);
    }

    @Override
    public byte[] bytes(String field) {
      return (byte[]) given(field, FieldType.BYTES);
    }

    @SuppressWarnings("unchecked")
    @Override
    public Map<String, Long> longs(String field) {
      return (Map<String, Long>) given(field, FieldType.MAP_OF_LONG);
    }

    @Override
    protected String storedName(StoredField field) {
      return field.name();
    }
  }
}
