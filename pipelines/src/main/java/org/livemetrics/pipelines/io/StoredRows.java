package org.livemetrics.pipelines.io;

import java.io.Serializable;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.SerializableBiFunction;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.livemetrics.schemas.AggregateStoreLayout;
import org.livemetrics.schemas.BroadcastAvro;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.MinuteAggregateAvro;
import org.livemetrics.schemas.MinuteAggregateCoder;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.schemas.QosMinuteAvro;
import org.livemetrics.schemas.QosMinuteCoder;
import org.livemetrics.schemas.StreamSession;
import org.livemetrics.schemas.elasticsearch.AggregateDocuments;
import org.livemetrics.schemas.elasticsearch.BroadcastDocuments;
import org.livemetrics.schemas.elasticsearch.DocumentFormat;
import org.livemetrics.schemas.elasticsearch.QosDocuments;
import org.livemetrics.schemas.elasticsearch.StreamDocuments;
import org.livemetrics.transforms.observability.PipelineMetrics;

/**
 * One kind of output row as the sinks store it: its table (the store directory, the Elasticsearch
 * table), its Avro schema and record, the time that places it in an hour partition, its key (a
 * row's successive values share it) and its Elasticsearch document format. The Parquet and
 * Elasticsearch sinks are written once against this and serve every kind: {@link #AGGREGATES},
 * {@link #QOS}, {@link #BROADCAST_MINUTES}, {@link #STREAMS}.
 *
 * @param <T> the row type
 */
public final class StoredRows<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The audience metrics' minute rows. */
  public static final StoredRows<MinuteAggregate> AGGREGATES = new StoredRows<>(
      AggregateStoreLayout.AGGREGATES_DIR, "aggregate", MinuteAggregateAvro.SCHEMA.toString(),
      MinuteAggregateAvro::toRecord, r -> r.minute, MinuteAggregateAvro::rowKey,
      MinuteAggregateCoder.of(), AggregateDocuments.FORMAT, null);

  /** The viewer QoS minute rows. */
  public static final StoredRows<QosMinute> QOS = new StoredRows<>(
      AggregateStoreLayout.QOS_DIR, "qos", QosMinuteAvro.SCHEMA.toString(),
      QosMinuteAvro::toRecord, q -> q.minute, QosMinuteAvro::rowKey,
      QosMinuteCoder.of(), QosDocuments.FORMAT, null);

  /** The broadcast minute rows (channel concurrency, starvation). */
  public static final StoredRows<BroadcastMinute> BROADCAST_MINUTES = new StoredRows<>(
      AggregateStoreLayout.BROADCAST_DIR, "broadcast", BroadcastAvro.MINUTE_SCHEMA.toString(),
      BroadcastAvro::toRecord, BroadcastMinute::minute, BroadcastAvro::rowKey,
      BroadcastMinute.Coder.of(), BroadcastDocuments.FORMAT, null);

  /**
   * The stream rows. They live in the global window and carry their own version (the channel's
   * tracker ranks each emission), so the pane index is not theirs; their partition is the hour of
   * their start, else end, else as_of.
   */
  public static final StoredRows<StreamSession> STREAMS = new StoredRows<>(
      AggregateStoreLayout.STREAMS_DIR, "stream", BroadcastAvro.SESSION_SCHEMA.toString(),
      (s, version) -> BroadcastAvro.toRecord(s.withVersion(version)), StoredRows::streamHour,
      BroadcastAvro::rowKey,
      StreamSession.Coder.of(), StreamDocuments.FORMAT, StreamSession::version);

  private final String table;
  private final String counterPrefix;
  private final String schemaJson;
  private final SerializableBiFunction<T, Long, GenericRecord> toRecord;
  private final SerializableFunction<T, Long> partitionTime;
  private final SerializableFunction<T, String> rowKey;
  private final Coder<T> coder;
  private final DocumentFormat<T> documents;
  private final SerializableFunction<T, Long> ownVersion;
  private transient Schema schema;

  private StoredRows(String table, String counterPrefix, String schemaJson,
      SerializableBiFunction<T, Long, GenericRecord> toRecord,
      SerializableFunction<T, Long> partitionTime, SerializableFunction<T, String> rowKey,
      Coder<T> coder, DocumentFormat<T> documents, SerializableFunction<T, Long> ownVersion) {
    this.table = table;
    this.counterPrefix = counterPrefix;
    this.schemaJson = schemaJson;
    this.toRecord = toRecord;
    this.partitionTime = partitionTime;
    this.rowKey = rowKey;
    this.coder = coder;
    this.documents = documents;
    this.ownVersion = ownVersion;
  }

  /** The store directory and table name: aggregates, qos, broadcast, streams. */
  public String table() {
    return table;
  }

  /** Names the sinks' row counters: {@code <prefix>_rows_written[_elasticsearch|_parquet]}. */
  public String counterPrefix() {
    return counterPrefix;
  }

  /** The {@code table} label of the pipeline metrics ({@code livemetrics_rows_written_total}). */
  public PipelineMetrics.Table metricsTable() {
    return PipelineMetrics.Table.valueOf(table.toUpperCase(java.util.Locale.ROOT));
  }

  public Schema schema() {
    if (schema == null) {
      schema = new Schema.Parser().parse(schemaJson);
    }
    return schema;
  }

  /** The Parquet record of a row; {@code version} orders a streamed row's values (0: batch). */
  public GenericRecord toRecord(T row, long version) {
    return toRecord.apply(row, version);
  }

  /** The instant whose UTC hour is the row's partition. */
  public long partitionTime(T row) {
    return partitionTime.apply(row);
  }

  /** What a row's successive values share: the latest one per key is current. */
  public String rowKey(T row) {
    return rowKey.apply(row);
  }

  public Coder<T> coder() {
    return coder;
  }

  public DocumentFormat<T> documents() {
    return documents;
  }

  /**
   * The version a streamed value carries: the row's own where it has one (stream rows), else the
   * index of the pane that produced it (minute windows: each pane is the row's full value).
   */
  public long version(T row, long paneIndex) {
    return ownVersion == null ? paneIndex : ownVersion.apply(row);
  }

  private static long streamHour(StreamSession s) {
    if (s.startTime() != null) {
      return s.startTime();
    }
    return s.endTime() != null ? s.endTime() : s.asOf();
  }
}
