package org.livemetrics.transforms.metrics;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.MinuteAggregateCoder;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.transforms.DurationOption;
import org.livemetrics.transforms.LiveMetricsOptions;
import org.livemetrics.transforms.parse.ParsePlayerEvents;

/**
 * Player events to the per-minute live audience metrics of the Brightcove Live Analytics API, for
 * the dimension sets {video}, {video, country} and {video, device_type} (each with account). Used
 * unchanged by the backfill and the streaming pipeline; they differ only in the windowing applied
 * between expansion and combination ({@link #withWindowing}) and in their sources and sinks.
 *
 * <ul>
 *   <li>The declared counts ({@code AudienceFamily}'s {@code counts(...)}, folded through {@link
 *       DeclaredCounts}): each event adds its type's declared amounts in the minute of its
 *       event_time ({@code video_impression}, {@code video_view}, {@code alive_ss_ad_start}: 1 per
 *       IMPRESSION, PLAY and AD_START; {@code video_seconds_viewed}: PLAYBACK_SUMMARY
 *       playing_time_ms).
 *   <li>The declared distinct counts ({@code ccu}, {@code fingerprint_count}: distinct
 *       (fingerprint, session) and distinct fingerprints): each event that marks viewing adds its
 *       keys in every minute it marks, by {@link ViewingRule}.
 * </ul>
 *
 * Each row also carries Theta sketches of both key sets, so unique totals over any range can be
 * answered later from the rows alone.
 */
public final class ComputeLiveMetrics
    extends PTransform<PCollection<PlayerEvent>, PCollection<MinuteAggregate>> {

  private final FoldSettings settings;
  private final @Nullable PTransform<
          PCollection<KV<MinuteKey, MinuteAccumulator>>,
          PCollection<KV<MinuteKey, MinuteAccumulator>>>
      windowing;

  private ComputeLiveMetrics(
      FoldSettings settings,
      @Nullable PTransform<
              PCollection<KV<MinuteKey, MinuteAccumulator>>,
              PCollection<KV<MinuteKey, MinuteAccumulator>>>
          windowing) {
    this.settings = settings;
    this.windowing = windowing;
  }

  public static ComputeLiveMetrics withMaxSummarySpan(java.time.Duration span) {
    return new ComputeLiveMetrics(FoldSettings.withMaxSummarySpan(span), null);
  }

  public static ComputeLiveMetrics from(LiveMetricsOptions options) {
    return withMaxSummarySpan(
        DurationOption.parse("maxSummarySpan", options.getMaxSummarySpan()));
  }

  /**
   * Computes only the minutes in {@code [fromMillis, toMillis)}: what a backfill of that range
   * owns. Contributions to other minutes are dropped and counted ({@code contributions_outside_range}).
   */
  public ComputeLiveMetrics withMinuteRange(long fromMillis, long toMillis) {
    return new ComputeLiveMetrics(
        settings.withRange(MinuteRange.ofMillis(fromMillis, toMillis)), windowing);
  }

  /** Bounds the rows buffered per bundle (tests use a tiny bound to exercise early emission). */
  public ComputeLiveMetrics withMaxBufferedEntries(int entries) {
    return new ComputeLiveMetrics(settings.withMaxBufferedEntries(entries), windowing);
  }

  /** Windows the per-minute contributions before they are combined (streaming). */
  public ComputeLiveMetrics withWindowing(
      PTransform<
              PCollection<KV<MinuteKey, MinuteAccumulator>>,
              PCollection<KV<MinuteKey, MinuteAccumulator>>>
          windowing) {
    return new ComputeLiveMetrics(settings, windowing);
  }

  @Override
  public PCollection<MinuteAggregate> expand(PCollection<PlayerEvent> events) {
    MinuteContributions contributions = contributions();
    return events
        .apply("PreAggregateMinutes", ParDo.of(new PreAggregateFn<>(contributions)))
        .setCoder(contributions.partialCoder())
        .apply(combine());
  }

  /** The first half: how an event folds into a bundle's partial rows. */
  public MinuteContributions contributions() {
    return new MinuteContributions(settings);
  }

  /**
   * The second half: partial rows (from {@link #contributions()}, however they were folded) to the
   * rows, windowed first where {@link #withWindowing} says.
   */
  public PTransform<PCollection<KV<MinuteKey, MinuteAccumulator>>, PCollection<MinuteAggregate>> combine() {
    return Contributions.combineToRows("CombineMinutes", new MergeMinuteAccumulators(), windowing,
        KvCoder.of(MinuteKey.Coder.of(), MinuteTotals.Coder.of()), new ToRowFn(),
        MinuteAggregateCoder.of());
  }

  /**
   * Each event to its contributions (per dimension set, per minute it touches), merged per key
   * within the bundle before anything is emitted: in-mapper combining. An event touches 3 to 18
   * (key, minute) rows; emitting them one by one made the runner's shuffle sort millions of small
   * records (on Flink batch, most of the backfill's time). Memory is bounded: past
   * {@link FoldSettings#maxBufferedEntries} buffered set entries the partial rows are emitted early; merging
   * them later is exact either way.
   */
  public static final class MinuteContributions extends Contributions<MinuteKey, MinuteAccumulator> {
    private static final DimensionSet[] SETS = DimensionSet.values();

    private final Counter clamped =
        Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, "summary_span_clamped");
    private final Counter outside =
        Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, "contributions_outside_range");
    private static final DeclaredCounts COUNTS = DeclaredCounts.AUDIENCE;
    /** What the event being folded adds to each of its type's declared counts. */
    private final long[] amounts = COUNTS.newAmounts();
    /** The event being folded's key for each declared distinct count. */
    private final long[] keys = COUNTS.newKeys();

    MinuteContributions(FoldSettings settings) {
      super(settings, KvCoder.of(MinuteKey.Coder.of(), MinuteAccumulator.Coder.of()), "partial_rows_emitted");
    }

    @Override
    public PartialRows<MinuteKey, MinuteAccumulator> newRows() {
      return new PartialRows<>(MinuteAccumulator::new, MinuteAccumulator::size);
    }

    @Override
    public void add(PlayerEvent e, Instant timestamp, BoundedWindow window,
        PartialRows<MinuteKey, MinuteAccumulator> rows) {
      boolean viewing = ViewingRule.marksViewing(e);
      if (viewing) {
        COUNTS.keys(e, keys);
      }
      long own = e.eventMinute();
      int[] counted = COUNTS.indexes(e.metricType);
      COUNTS.amounts(e, amounts);
      add(rows, window, e, own, timestamp, counted, viewing);
      if (rule.isClamped(e)) {
        clamped.inc();
      }
      for (long m = rule.firstViewingMinute(e); m < own; m++) {
        add(rows, window, e, m, timestamp, DeclaredCounts.none(), true);
      }
    }

    private void add(PartialRows<MinuteKey, MinuteAccumulator> rows, BoundedWindow window,
        PlayerEvent e, long minute, Instant timestamp, int[] counted, boolean viewing) {
      if (!range.contains(minute)) {
        outside.inc();
        return;
      }
      for (DimensionSet set : SETS) {
        String secondary = switch (set) {
          case VIDEO -> "";
          case VIDEO_COUNTRY -> e.country;
          case VIDEO_DEVICE_TYPE -> e.deviceType.apiName();
        };
        rows.grew(rows.row(window, new MinuteKey(set, e.account, e.video, secondary, minute), timestamp)
            .add(counted, amounts, viewing, keys));
      }
    }
  }

  /** Attaches the key's dimensions to the combined metrics. */
  static final class ToRowFn extends DoFn<KV<MinuteKey, MinuteTotals>, MinuteAggregate> {
    @ProcessElement
    public void process(@Element KV<MinuteKey, MinuteTotals> kv, OutputReceiver<MinuteAggregate> out) {
      out.output(kv.getValue().toRow(kv.getKey()));
    }
  }
}
