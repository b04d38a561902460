package org.livemetrics.schemas.family;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;

/**
 * The Avro schema of a family's stored row (its Parquet files), made from its description: one
 * field per {@link StoredField}, in the description's order, of the Avro type its {@link
 * MetricFamilyDescription.FieldType} names.
 *
 * <p>Files written so far carry the record name of {@link MetricFamilyDescription.StoredRow} in
 * the namespace {@value #NAMESPACE}; a column that old files lack reads as its default (null for
 * an optional string, 0 for a column that {@linkplain StoredField#defaultsToZero() defaults to
 * zero}), so every column added to a row must have one.
 */
public final class FamilyAvroSchema {
  /** The namespace of every stored row's record, as the files written so far carry it. */
  public static final String NAMESPACE = "org.livemetrics";

  private FamilyAvroSchema() {}

  public static Schema of(MetricFamilyDescription family) {
    SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder
        .record(family.storedRow().avroName()).namespace(NAMESPACE)
        .doc(family.storedRow().doc()).fields();
    for (StoredField f : family.storedFields()) {
      SchemaBuilder.FieldBuilder<Schema> field = fields.name(f.name());
      if (f.doc() != null) {
        field = field.doc(f.doc());
      }
      fields = switch (f.type()) {
        case STRING -> field.type().stringType().noDefault();
        case OPTIONAL_STRING -> field.type().optional().stringType();
        case LONG -> f.zeroByDefault()
            ? field.type().longType().longDefault(0)
            : field.type().longType().noDefault();
        case TIMESTAMP_MILLIS -> field
            .type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG)))
            .noDefault();
        case BYTES -> field.type().bytesType().noDefault();
        case MAP_OF_LONG -> field.type().map().values().longType().noDefault();
      };
    }
    return fields.endRecord();
  }
}
