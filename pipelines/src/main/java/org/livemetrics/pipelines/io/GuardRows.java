package org.livemetrics.pipelines.io;

import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.BadRecordRouter;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.livemetrics.transforms.parse.DeadLetterReason;
import org.livemetrics.transforms.parse.ParsePlayerEvents;

/**
 * Lets through the rows the Parquet sink can write and turns the others into dead letters ({@link
 * DeadLetterReason#UNWRITABLE_ROW}, with the table, the row's key and why), so one row cannot
 * stop a run: a Parquet writer cannot skip a row in the middle of a file, so a string it cannot
 * encode (a lone UTF-16 surrogate) used to fail the file, the bundle and then the whole backfill
 * or streaming job. The check is the writer's own conversion ({@link RowWritability}).
 *
 * <p>Without {@link #withBadRecordErrorHandler} an unwritable row fails the pipeline with that
 * reason (Beam's convention); the pipelines always set one.
 *
 * @param <E> the element: a row, or a streamed row's (version, row)
 * @param <T> the row type
 */
public final class GuardRows<E, T> extends PTransform<PCollection<E>, PCollection<E>> {
  private static final long HOUR = 3_600_000L;

  private final StoredRows<T> kind;
  private final SerializableFunction<E, T> rowOf;
  private final SerializableFunction<E, Long> versionOf;
  private final ErrorHandler<BadRecord, ?> errorHandler;
  private final BadRecordRouter router;

  private GuardRows(StoredRows<T> kind, SerializableFunction<E, T> rowOf,
      SerializableFunction<E, Long> versionOf, ErrorHandler<BadRecord, ?> errorHandler,
      BadRecordRouter router) {
    this.kind = kind;
    this.rowOf = rowOf;
    this.versionOf = versionOf;
    this.errorHandler = errorHandler;
    this.router = router;
  }

  /** For the batch sink: rows written with version 0. */
  public static <T> GuardRows<T, T> forParquet(StoredRows<T> kind) {
    return new GuardRows<>(kind, r -> r, r -> 0L, new ErrorHandler.DefaultErrorHandler<>(),
        BadRecordRouter.THROWING_ROUTER);
  }

  /** For the streaming sink: (version, row). */
  public static <T> GuardRows<KV<Long, T>, T> forStreamedParquet(StoredRows<T> kind) {
    return new GuardRows<>(kind, KV::getValue, KV::getKey,
        new ErrorHandler.DefaultErrorHandler<>(), BadRecordRouter.THROWING_ROUTER);
  }

  /** Sends unwritable rows to {@code handler} as dead letters instead of failing. */
  public GuardRows<E, T> withBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler) {
    return new GuardRows<>(kind, rowOf, versionOf, handler, BadRecordRouter.RECORDING_ROUTER);
  }

  @Override
  public PCollection<E> expand(PCollection<E> rows) {
    TupleTag<E> writable = new TupleTag<E>() {};
    PCollectionTuple out = rows.apply("CheckRows",
        ParDo.of(new GuardFn<>(kind, rowOf, versionOf, router, writable))
            .withOutputTags(writable, TupleTagList.of(BadRecordRouter.BAD_RECORD_TAG)));
    addDeadLetters(errorHandler, out.get(BadRecordRouter.BAD_RECORD_TAG), "UnwritableRows");
    return out.get(writable).setCoder(rows.getCoder());
  }

  /**
   * Adds a sink's dead letters to {@code handler}, in the global window with the default trigger:
   * the handler flattens every step's dead letters, and Flatten needs them windowed alike (the
   * parser's are; a streaming sink's rows are in minute windows or fire on every element).
   */
  static void addDeadLetters(
      ErrorHandler<BadRecord, ?> handler, PCollection<BadRecord> badRecords, String name) {
    handler.addErrorCollection(badRecords
        .setCoder(BadRecord.getCoder(badRecords.getPipeline()))
        .apply(name + "InGlobalWindow", Window.<BadRecord>into(new GlobalWindows())
            .triggering(DefaultTrigger.of())
            .withAllowedLateness(Duration.ZERO)
            .discardingFiredPanes()));
  }

  /** Counted for the backfill's summary like the parser's {@code dead_letter_<reason>}. */
  static Counter deadLetterCounter() {
    return Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE,
        "dead_letter_" + DeadLetterReason.UNWRITABLE_ROW.code());
  }

  /** Routes a row a sink refused; {@code why} is printable. */
  static void route(BadRecordRouter router, DoFn.MultiOutputReceiver out, UnwritableRow row,
      Exception cause, String why) throws Exception {
    Coder<UnwritableRow> coder = SerializableCoder.of(UnwritableRow.class);
    router.route(out, row, coder, cause, DeadLetterReason.UNWRITABLE_ROW.describe(
        row.getSink() + " " + row.getTable() + " row " + row.getKey() + ": " + why));
  }

  static final class GuardFn<E, T> extends DoFn<E, E> {
    private final StoredRows<T> kind;
    private final SerializableFunction<E, T> rowOf;
    private final SerializableFunction<E, Long> versionOf;
    private final BadRecordRouter router;
    private final TupleTag<E> writable;
    private final Counter unwritable = deadLetterCounter();
    private transient RowWritability check;

    GuardFn(StoredRows<T> kind, SerializableFunction<E, T> rowOf,
        SerializableFunction<E, Long> versionOf, BadRecordRouter router, TupleTag<E> writable) {
      this.kind = kind;
      this.rowOf = rowOf;
      this.versionOf = versionOf;
      this.router = router;
      this.writable = writable;
    }

    @Setup
    public void setup() {
      check = new RowWritability(kind.schema());
    }

    @ProcessElement
    public void process(@Element E element, MultiOutputReceiver out) throws Exception {
      T row = rowOf.apply(element);
      String why;
      Exception cause;
      try {
        GenericRecord record = kind.toRecord(row, versionOf.apply(element));
        check.checkParquet(record);
        out.get(writable).output(element);
        return;
      } catch (RowWritability.UnwritableException e) {
        why = e.getMessage();
        cause = e;
      } catch (RuntimeException e) {
        // The row's own conversion failed (a value its Avro schema cannot hold).
        why = "no Parquet record: " + RowWritability.causes(e);
        cause = e;
      }
      unwritable.inc();
      route(router, out, describe(kind, row, "parquet"), cause, why);
    }
  }

  /** The dead letter's record of a row: its key printable, its hour partition. */
  static <T> UnwritableRow describe(StoredRows<T> kind, T row, String sink) {
    String key;
    Long hour;
    try {
      key = RowWritability.printable(kind.rowKey(row), 512);
    } catch (RuntimeException e) {
      key = "(no key: " + e.getClass().getSimpleName() + ")";
    }
    try {
      hour = Math.floorDiv(kind.partitionTime(row), HOUR) * HOUR;
    } catch (RuntimeException e) {
      hour = null;
    }
    return new UnwritableRow(sink, kind.table(), key, hour);
  }
}
