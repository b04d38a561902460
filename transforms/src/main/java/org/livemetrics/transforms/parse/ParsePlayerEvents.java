package org.livemetrics.transforms.parse;

import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.BadRecordRouter;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.livemetrics.schemas.MetricType;
import org.livemetrics.schemas.PlayerEvent;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.transforms.DurationOption;
import org.livemetrics.transforms.LiveMetricsOptions;
import org.livemetrics.transforms.observability.PipelineMetrics;

/**
 * Raw records (archive blocks or Kinesis records) to validated, enriched player events.
 *
 * <p>Records that are not JSON, not objects, or lack a valid required field become Beam
 * {@link BadRecord}s whose description starts with the {@link DeadLetterReason} code, routed to the
 * {@link ErrorHandler} given with {@link #withBadRecordErrorHandler}; without one, a bad record
 * fails the pipeline (Beam's convention), so the pipelines always set one.
 *
 * <p>Metrics (namespace {@code livemetrics}): {@code events_parsed}, {@code events_<METRIC_TYPE>},
 * {@code unknown_metric_type}, {@code dead_letter_<reason>}.
 */
public final class ParsePlayerEvents
    extends PTransform<PCollection<RawRecord>, PCollection<PlayerEvent>> {
  public static final String METRICS_NAMESPACE = "livemetrics";

  private static final TupleTag<PlayerEvent> EVENTS = new TupleTag<PlayerEvent>() {};

  private final String fingerprintSecret;
  private final String defaultAccount;
  private final ErrorHandler<BadRecord, ?> errorHandler;
  private final BadRecordRouter router;
  private final @Nullable ArrivalRule arrivalRule;

  private ParsePlayerEvents(
      String fingerprintSecret,
      String defaultAccount,
      ErrorHandler<BadRecord, ?> errorHandler,
      BadRecordRouter router,
      @Nullable ArrivalRule arrivalRule) {
    this.fingerprintSecret = fingerprintSecret;
    this.defaultAccount = defaultAccount;
    this.errorHandler = errorHandler;
    this.router = router;
    this.arrivalRule = arrivalRule;
  }

  /**
   * Configured from the shared options: fingerprint secret, default account, and the
   * {@link ArrivalRule} of {@code --maxClockSkew} and {@code --latePartitions}.
   */
  public static ParsePlayerEvents from(LiveMetricsOptions options) {
    return create(options.getFingerprintSecret(), options.getDefaultAccount())
        .withArrivalRule(arrivalRule(options));
  }

  /** The options' rule for an event_time against its arrival. */
  public static ArrivalRule arrivalRule(LiveMetricsOptions options) {
    java.time.Duration skew = DurationOption.parse("maxClockSkew", options.getMaxClockSkew());
    return ArrivalRule.of(org.joda.time.Duration.millis(skew.toMillis()), options.getLatePartitions());
  }

  /** Holds each event's event_time against its record's arrival: see {@link ArrivalRule}. */
  public ParsePlayerEvents withArrivalRule(ArrivalRule rule) {
    return new ParsePlayerEvents(fingerprintSecret, defaultAccount, errorHandler, router, rule);
  }

  public static ParsePlayerEvents create(String fingerprintSecret, String defaultAccount) {
    // Fail at construction, with the fix in the message, rather than in a worker.
    new org.livemetrics.transforms.enrich.Fingerprinter(fingerprintSecret);
    if (defaultAccount == null || defaultAccount.isEmpty()) {
      throw new IllegalArgumentException("--defaultAccount must not be empty");
    }
    return new ParsePlayerEvents(
        fingerprintSecret,
        defaultAccount,
        new ErrorHandler.DefaultErrorHandler<>(),
        BadRecordRouter.THROWING_ROUTER,
        null);
  }

  /** Sends bad records to {@code handler} instead of failing. */
  public ParsePlayerEvents withBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler) {
    return new ParsePlayerEvents(
        fingerprintSecret, defaultAccount, handler, DeadLetterRouter.INSTANCE, arrivalRule);
  }

  @Override
  public PCollection<PlayerEvent> expand(PCollection<RawRecord> input) {
    PCollectionTuple out =
        input.apply(
            "Decode",
            ParDo.of(new DecodeFn(decoding()))
                .withOutputTags(EVENTS, TupleTagList.of(BadRecordRouter.BAD_RECORD_TAG)));
    errorHandler.addErrorCollection(
        out.get(BadRecordRouter.BAD_RECORD_TAG).setCoder(BadRecord.getCoder(input.getPipeline())));
    return out.get(EVENTS);
  }

  /**
   * The decoding itself, for a DoFn that does more with each event than output it (the backfill
   * folds each into its partial rows at once). Its bad records go to the DoFn's
   * {@link BadRecordRouter#BAD_RECORD_TAG} output, which the caller hands to
   * {@link #errorHandler()}.
   */
  public Decoding decoding() {
    return new Decoding(fingerprintSecret, defaultAccount, arrivalRule, router);
  }

  /** The handler given with {@link #withBadRecordErrorHandler}. */
  public ErrorHandler<BadRecord, ?> errorHandler() {
    return errorHandler;
  }

  /** What a decoded event goes to. */
  public interface EventSink {
    void event(PlayerEvent e) throws Exception;
  }

  /**
   * Decodes records and counts what it found. Call {@link #setup} in the DoFn's {@code @Setup}.
   * Metrics (namespace {@code livemetrics}): {@code events_parsed}, {@code events_<METRIC_TYPE>},
   * {@code unknown_metric_type}, {@code dead_letter_<reason>}.
   */
  public static final class Decoding implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final String fingerprintSecret;
    private final String defaultAccount;
    private final @Nullable ArrivalRule arrivalRule;
    private final BadRecordRouter router;

    private final Counter parsed = Metrics.counter(METRICS_NAMESPACE, "events_parsed");
    private final Counter unknownType = Metrics.counter(METRICS_NAMESPACE, "unknown_metric_type");
    private final Counter[] byType = new Counter[MetricType.values().length];
    private final Counter[] byReason = new Counter[DeadLetterReason.values().length];
    private final Counter[] eventsTotal = new Counter[MetricType.values().length];

    private transient PlayerEventDecoder decoder;

    Decoding(String fingerprintSecret, String defaultAccount, @Nullable ArrivalRule arrivalRule,
        BadRecordRouter router) {
      this.fingerprintSecret = fingerprintSecret;
      this.defaultAccount = defaultAccount;
      this.arrivalRule = arrivalRule;
      this.router = router;
      for (MetricType t : MetricType.values()) {
        byType[t.ordinal()] = Metrics.counter(METRICS_NAMESPACE, "events_" + t.name());
        eventsTotal[t.ordinal()] = PipelineMetrics.events(
            t == MetricType.UNKNOWN ? "unknown" : t.name());
      }
      for (DeadLetterReason r : DeadLetterReason.values()) {
        byReason[r.ordinal()] = Metrics.counter(METRICS_NAMESPACE, "dead_letter_" + r.code());
      }
    }

    public void setup() {
      decoder = new PlayerEventDecoder(fingerprintSecret, defaultAccount, arrivalRule);
      org.livemetrics.transforms.enrich.DeviceTypeResolver.warmUpInBackground();
    }

    /** Decodes {@code raw}: events to {@code events}, bad records to {@code out}'s bad-record tag. */
    public void decode(RawRecord raw, EventSink events, DoFn.MultiOutputReceiver out)
        throws Exception {
      // Counted per record (a block of thousands of events) rather than per event: each Beam
      // counter update looks up the current metrics container.
      long[] types = new long[byType.length];
      long[] reasons = new long[byReason.length];
      decoder.decode(
          raw,
          new PlayerEventDecoder.Output() {
            @Override
            public void event(PlayerEvent e) throws Exception {
              types[e.metricType.ordinal()]++;
              events.event(e);
            }

            @Override
            public void rejected(RejectedRecord record, RecordRejectedException why)
                throws Exception {
              reasons[why.reason().ordinal()]++;
              router.route(out, record, SerializableCoder.of(RejectedRecord.class), why,
                  why.getMessage());
            }
          });
      long total = 0;
      for (int i = 0; i < types.length; i++) {
        if (types[i] > 0) {
          byType[i].inc(types[i]);
          eventsTotal[i].inc(types[i]);
          total += types[i];
        }
      }
      parsed.inc(total);
      if (types[MetricType.UNKNOWN.ordinal()] > 0) {
        unknownType.inc(types[MetricType.UNKNOWN.ordinal()]);
      }
      for (int i = 0; i < reasons.length; i++) {
        if (reasons[i] > 0) {
          byReason[i].inc(reasons[i]);
        }
      }
    }
  }

  private static final class DecodeFn extends DoFn<RawRecord, PlayerEvent> {
    private final Decoding decoding;

    DecodeFn(Decoding decoding) {
      this.decoding = decoding;
    }

    @Setup
    public void setup() {
      decoding.setup();
    }

    @ProcessElement
    public void process(@Element RawRecord raw, MultiOutputReceiver out) throws Exception {
      OutputReceiver<PlayerEvent> events = out.get(EVENTS);
      decoding.decode(raw, events::output, out);
    }
  }
}
