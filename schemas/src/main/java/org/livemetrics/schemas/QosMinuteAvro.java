package org.livemetrics.schemas;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.livemetrics.schemas.family.FamilyAvroSchema;
import org.livemetrics.schemas.family.ViewerQosFamily;

/**
 * {@link QosMinute} to and from its Avro form (made from {@link ViewerQosFamily}'s description),
 * for Parquet files.
 */
public final class QosMinuteAvro {
  public static final Schema SCHEMA = FamilyAvroSchema.of(ViewerQosFamily.DESCRIPTION);

  private QosMinuteAvro() {}

  public static GenericRecord toRecord(QosMinute q) {
    return toRecord(q, 0);
  }

  /** A streamed row: {@code version} orders the values a row had (see the schema's doc). */
  public static GenericRecord toRecord(QosMinute q, long version) {
    return AvroRows.record(SCHEMA, ViewerQosFamily.DESCRIPTION, q, version);
  }

  /** The row a record holds ({@link ViewerQosFamily}'s reader). */
  public static QosMinute fromRecord(GenericRecord r) {
    return AvroRows.read(ViewerQosFamily.DESCRIPTION, r, QosMinute.class);
  }

  /** The record's version; 0 for backfill rows. */
  public static long version(GenericRecord r) {
    return AvroRows.version(r);
  }

  /** The identity of a row: account, dimension set, dimension values and minute. */
  public static String rowKey(QosMinute q) {
    StringBuilder k = new StringBuilder(q.account).append('\u0001').append(q.dimensionSet.id());
    for (Dimension d : q.dimensionSet.dimensions()) {
      k.append('\u0001').append(q.value(d));
    }
    return k.append('\u0001').append(q.minute).toString();
  }
}
