package org.livemetrics.schemas;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.livemetrics.schemas.family.AudienceFamily;
import org.livemetrics.schemas.family.FamilyAvroSchema;

/** {@link MinuteAggregate} to and from its Avro form, the one Parquet files are written in. */
public final class MinuteAggregateAvro {
  public static final Schema SCHEMA = FamilyAvroSchema.of(AudienceFamily.DESCRIPTION);

  private MinuteAggregateAvro() {}

  public static GenericRecord toRecord(MinuteAggregate a) {
    return toRecord(a, 0);
  }

  /** A streamed row: {@code version} orders the values a row had (see the schema's doc). */
  public static GenericRecord toRecord(MinuteAggregate a, long version) {
    return AvroRows.record(SCHEMA, AudienceFamily.DESCRIPTION, a, version);
  }

  /** The row a record holds ({@link AudienceFamily}'s reader). */
  public static MinuteAggregate fromRecord(GenericRecord r) {
    return AvroRows.read(AudienceFamily.DESCRIPTION, r, MinuteAggregate.class);
  }

  /** The record's version; 0 for files written before the field existed. */
  public static long version(GenericRecord r) {
    return AvroRows.version(r);
  }

  /**
   * The identity of a row: account, dimension set, dimension values and minute. Two records with
   * the same key are values of the same row.
   */
  public static String rowKey(MinuteAggregate a) {
    return a.account + '\u0001' + a.dimensionSet.id() + '\u0001' + a.video + '\u0001'
        + (a.secondaryValue() == null ? "" : a.secondaryValue()) + '\u0001' + a.minute;
  }
}
