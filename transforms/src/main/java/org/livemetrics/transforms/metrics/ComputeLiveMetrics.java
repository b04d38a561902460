package org.livemetrics.transforms.metrics;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.MetricType;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.MinuteAggregateCoder;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.transforms.DurationOption;
import org.livemetrics.transforms.LiveMetricsOptions;
import org.livemetrics.transforms.enrich.Fingerprinter;
import org.livemetrics.transforms.parse.ParsePlayerEvents;

/**
 * Player events to the per-minute live audience metrics of the Brightcove Live Analytics API, for
 * the dimension sets {video}, {video, country} and {video, device_type} (each with account). Used
 * unchanged by the backfill and the streaming pipeline; they differ only in the windowing applied
 * between expansion and combination ({@link #withWindowing}) and in their sources and sinks.
 *
 * <ul>
 *   <li>{@code video_impression}, {@code video_view}, {@code alive_ss_ad_start}: IMPRESSION, PLAY
 *       and AD_START events, each in the minute of its event_time.
 *   <li>{@code video_seconds_viewed}: PLAYBACK_SUMMARY playing_time_ms, in the minute of event_time.
 *   <li>{@code ccu}, {@code fingerprint_count}: distinct (fingerprint, session) and distinct
 *       fingerprints viewing in the minute, by {@link ViewingRule}.
 * </ul>
 *
 * Each row also carries Theta sketches of both key sets, so unique totals over any range can be
 * answered later from the rows alone.
 */
public final class ComputeLiveMetrics
    extends PTransform<PCollection<PlayerEvent>, PCollection<MinuteAggregate>> {

  private final long maxSummarySpanMs;
  private final long fromMinute;
  private final long toMinute;
  private final @Nullable PTransform<
          PCollection<KV<MinuteKey, MinuteContribution>>,
          PCollection<KV<MinuteKey, MinuteContribution>>>
      windowing;

  private ComputeLiveMetrics(
      long maxSummarySpanMs,
      long fromMinute,
      long toMinute,
      @Nullable PTransform<
              PCollection<KV<MinuteKey, MinuteContribution>>,
              PCollection<KV<MinuteKey, MinuteContribution>>>
          windowing) {
    if (maxSummarySpanMs < 0) {
      throw new IllegalArgumentException("--maxSummarySpan must not be negative");
    }
    this.maxSummarySpanMs = maxSummarySpanMs;
    this.fromMinute = fromMinute;
    this.toMinute = toMinute;
    this.windowing = windowing;
  }

  public static ComputeLiveMetrics withMaxSummarySpan(java.time.Duration span) {
    return new ComputeLiveMetrics(span.toMillis(), Long.MIN_VALUE, Long.MAX_VALUE, null);
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
    if (fromMillis % 60_000 != 0 || toMillis % 60_000 != 0 || toMillis <= fromMillis) {
      throw new IllegalArgumentException(
          "minute range must be whole minutes with from < to: " + fromMillis + ".." + toMillis);
    }
    return new ComputeLiveMetrics(
        maxSummarySpanMs, fromMillis / 60_000, toMillis / 60_000, windowing);
  }

  /** Windows the per-minute contributions before they are combined (streaming). */
  public ComputeLiveMetrics withWindowing(
      PTransform<
              PCollection<KV<MinuteKey, MinuteContribution>>,
              PCollection<KV<MinuteKey, MinuteContribution>>>
          windowing) {
    return new ComputeLiveMetrics(maxSummarySpanMs, fromMinute, toMinute, windowing);
  }

  @Override
  public PCollection<MinuteAggregate> expand(PCollection<PlayerEvent> events) {
    PCollection<KV<MinuteKey, MinuteContribution>> contributions =
        events.apply(
            "ExpandToMinutes",
            ParDo.of(new ExpandToMinutesFn(new ViewingRule(maxSummarySpanMs), fromMinute, toMinute)))
            .setCoder(KvCoder.of(MinuteKey.Coder.of(), MinuteContribution.Coder.of()));
    if (windowing != null) {
      contributions = contributions.apply("Window", windowing);
    }
    return contributions
        .apply("CombinePerMinute", Combine.perKey(new CombineMinuteMetrics()))
        .setCoder(KvCoder.of(MinuteKey.Coder.of(), MinuteTotals.Coder.of()))
        .apply("ToRows", ParDo.of(new ToRowFn()))
        .setCoder(MinuteAggregateCoder.of());
  }

  /** One event to its contributions: per dimension set, per minute it touches. */
  static final class ExpandToMinutesFn extends DoFn<PlayerEvent, KV<MinuteKey, MinuteContribution>> {
    private final ViewingRule rule;
    private final long fromMinute;
    private final long toMinute;
    private final Counter clamped =
        Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, "summary_span_clamped");
    private final Counter outside =
        Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, "contributions_outside_range");

    ExpandToMinutesFn(ViewingRule rule, long fromMinute, long toMinute) {
      this.rule = rule;
      this.fromMinute = fromMinute;
      this.toMinute = toMinute;
    }

    @ProcessElement
    public void process(@Element PlayerEvent e, OutputReceiver<KV<MinuteKey, MinuteContribution>> out) {
      boolean viewing = ViewingRule.marksViewing(e);
      long sessionKey = viewing ? Fingerprinter.sessionKey(e.fingerprint, e.sessionId) : 0;
      long own = e.eventMinute();
      MinuteContribution ownMinute =
          new MinuteContribution(
              e.metricType == MetricType.IMPRESSION ? 1 : 0,
              e.metricType == MetricType.PLAY ? 1 : 0,
              e.metricType == MetricType.AD_START ? 1 : 0,
              e.metricType == MetricType.PLAYBACK_SUMMARY && e.playingTimeMs != null
                  ? e.playingTimeMs
                  : 0,
              viewing,
              sessionKey,
              e.fingerprint);
      emit(e, own, ownMinute, out);
      if (rule.isClamped(e)) {
        clamped.inc();
      }
      long first = rule.firstViewingMinute(e);
      if (first < own) {
        MinuteContribution covered =
            new MinuteContribution(0, 0, 0, 0, true, sessionKey, e.fingerprint);
        for (long m = first; m < own; m++) {
          emit(e, m, covered, out);
        }
      }
    }

    private void emit(
        PlayerEvent e,
        long minute,
        MinuteContribution c,
        OutputReceiver<KV<MinuteKey, MinuteContribution>> out) {
      if (minute < fromMinute || minute >= toMinute) {
        outside.inc();
        return;
      }
      out.output(KV.of(new MinuteKey(DimensionSet.VIDEO, e.account, e.video, "", minute), c));
      out.output(
          KV.of(new MinuteKey(DimensionSet.VIDEO_COUNTRY, e.account, e.video, e.country, minute), c));
      out.output(
          KV.of(
              new MinuteKey(
                  DimensionSet.VIDEO_DEVICE_TYPE, e.account, e.video, e.deviceType.apiName(), minute),
              c));
    }
  }

  /** Attaches the key's dimensions to the combined metrics. */
  static final class ToRowFn extends DoFn<KV<MinuteKey, MinuteTotals>, MinuteAggregate> {
    @ProcessElement
    public void process(@Element KV<MinuteKey, MinuteTotals> kv, OutputReceiver<MinuteAggregate> out) {
      MinuteKey k = kv.getKey();
      MinuteTotals t = kv.getValue();
      out.output(
          new MinuteAggregate(
              k.account(),
              k.video(),
              k.dimensionSet(),
              k.dimensionSet() == DimensionSet.VIDEO_COUNTRY ? k.secondary() : null,
              k.dimensionSet() == DimensionSet.VIDEO_DEVICE_TYPE ? k.secondary() : null,
              k.minuteStartMillis(),
              t.impressions(),
              t.views(),
              t.adStarts(),
              t.playingMs(),
              t.ccu(),
              t.fingerprintCount(),
              t.sessionSketch(),
              t.fingerprintSketch()));
    }
  }
}
