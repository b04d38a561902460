package org.livemetrics.transforms.qos;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;
import org.livemetrics.schemas.ClientPlatform;
import org.livemetrics.schemas.Dimension;
import org.livemetrics.schemas.MetricType;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.schemas.QosMinuteCoder;
import org.livemetrics.schemas.QualityStep;
import org.livemetrics.transforms.DurationOption;
import org.livemetrics.transforms.LiveMetricsOptions;
import org.livemetrics.transforms.metrics.Contributions;
import org.livemetrics.transforms.metrics.DeclaredCounts;
import org.livemetrics.transforms.metrics.FoldPerBundle;
import org.livemetrics.transforms.metrics.FoldSettings;
import org.livemetrics.transforms.metrics.MinuteRange;
import org.livemetrics.transforms.metrics.PartialRows;
import org.livemetrics.transforms.metrics.PreAggregateFn;
import org.livemetrics.transforms.metrics.ViewingRule;
import org.livemetrics.transforms.parse.ParsePlayerEvents;
import org.livemetrics.transforms.sessions.ComputeSessionOutcomes;

/**
 * Player events to the per-minute viewer QoS rows ({@link QosMinute}) for the dimension sets the
 * description declares ({@code ViewerQosFamily}: {client_platform}, {video, client_platform},
 * {country}, {device_type}, each with account), platform normalized by {@link ClientPlatform},
 * country and device type as the audience metrics have them. Used unchanged by batch and
 * streaming: they differ only in the windowing applied between expansion and combination ({@link
 * #withWindowing}, e.g. {@code WindowIntoMinutes.from(options)}), exactly as {@code
 * ComputeLiveMetrics}.
 *
 * <p>What each field holds, and in which minute:
 *
 * <ul>
 *   <li>The declared counts and sketches: each as its stored field's {@code counts(...)} in
 *       {@code ViewerQosFamily} says ({@link DeclaredCounts}): a per-event count adds its amount
 *       for each event of its type, and a sketch of values takes each value an event of its type
 *       carries (and counts and sums them: the startup time of PLAY, the live latency of
 *       PLAYBACK_SUMMARY), in the minute of the event's event_time (as {@code
 *       video_seconds_viewed} is); a per-session count adds 1 for each ended session that passes
 *       its test, in the minute the session ended (its STOP, or its last event before {@code
 *       --sessionGap} of silence), with {@link #withSessionOutcomes} ({@link #from} adds them;
 *       {@link ComputeSessionOutcomes}). A QUALITY_CHANGED whose direction neither {@code
 *       step_direction} nor the bitrates give is also counted in {@code
 *       quality_change_direction_unknown}.
 *   <li>The declared distinct count {@code concurrent_sessions}: distinct (fingerprint, session)
 *       viewing in the minute by the audience metrics' {@link ViewingRule} (a summary also marks
 *       the minutes its span reaches back into, clamped at {@code --maxSummarySpan}), so it is
 *       the {@code ccu} of the platform.
 *   <li>The declared sum by key {@code rendition_playing_ms}: a PLAYBACK_SUMMARY's playing time,
 *       in the minute of its event_time, credited to its {@code rendition_name} ({@code unknown}
 *       when absent: the summary reports the rendition playing when it was sent, so a switch
 *       within the summary's span is credited to the new one); a row keeps at most {@code
 *       ViewerQosFamily.MAX_RENDITIONS} names, and any further name's time goes to {@code
 *       (other)} (counted in {@code keyed_sum_keys_over_bound}).
 *   <li>IMPRESSION marks no viewing (no session plays yet): it makes a row only where a count is
 *       declared for it.
 * </ul>
 *
 * Means are stored as exact sums and counts, percentiles as KLL sketches, so rows merge over
 * minutes and platforms ({@link org.livemetrics.schemas.family.FamilyRollup}).
 */
public final class ComputeQosMetrics
    extends PTransform<PCollection<PlayerEvent>, PCollection<QosMinute>> {

  private final FoldSettings settings;
  private final @Nullable PTransform<
          PCollection<KV<QosKey, QosAccumulator>>, PCollection<KV<QosKey, QosAccumulator>>>
      windowing;
  private final @Nullable ComputeSessionOutcomes sessions;

  private ComputeQosMetrics(
      FoldSettings settings,
      @Nullable PTransform<
              PCollection<KV<QosKey, QosAccumulator>>, PCollection<KV<QosKey, QosAccumulator>>>
          windowing,
      @Nullable ComputeSessionOutcomes sessions) {
    this.settings = settings;
    this.windowing = windowing;
    this.sessions = sessions;
  }

  public static ComputeQosMetrics withMaxSummarySpan(java.time.Duration span) {
    return new ComputeQosMetrics(FoldSettings.withMaxSummarySpan(span), null, null);
  }

  /**
   * The viewing rule's span from {@code --maxSummarySpan}, as the audience metrics use it, and the
   * session outcomes with the gap from {@code --sessionGap} (batch triggering: streaming replaces
   * them with {@link #withSessionOutcomes}).
   */
  public static ComputeQosMetrics from(LiveMetricsOptions options) {
    return withMaxSummarySpan(DurationOption.parse("maxSummarySpan", options.getMaxSummarySpan()))
        .withSessionOutcomes(ComputeSessionOutcomes.from(options));
  }

  /**
   * Computes only the minutes in {@code [fromMillis, toMillis)}: what a backfill of that range
   * owns. Contributions to other minutes are dropped and counted
   * ({@code qos_contributions_outside_range}).
   */
  public ComputeQosMetrics withMinuteRange(long fromMillis, long toMillis) {
    MinuteRange minutes = MinuteRange.ofMillis(fromMillis, toMillis);
    return new ComputeQosMetrics(settings.withRange(minutes), windowing,
        sessions == null ? null : sessions.withMinuteRange(minutes));
  }

  /** Bounds the entries buffered per bundle (tests use a tiny bound to exercise early emission). */
  public ComputeQosMetrics withMaxBufferedEntries(int entries) {
    return new ComputeQosMetrics(settings.withMaxBufferedEntries(entries), windowing, sessions);
  }

  /** Windows the per-minute partial rows before they are combined (streaming). */
  public ComputeQosMetrics withWindowing(
      PTransform<PCollection<KV<QosKey, QosAccumulator>>, PCollection<KV<QosKey, QosAccumulator>>>
          windowing) {
    return new ComputeQosMetrics(settings, windowing, sessions);
  }

  /**
   * Adds the session metrics: each ended session's outcome ({@link ComputeSessionOutcomes}) is
   * merged into the row of its end minute. Its minute range is this transform's.
   */
  public ComputeQosMetrics withSessionOutcomes(ComputeSessionOutcomes outcomes) {
    MinuteRange range = settings.range();
    ComputeSessionOutcomes ranged = range.isAll() ? outcomes : outcomes.withMinuteRange(range);
    return new ComputeQosMetrics(settings, windowing, ranged);
  }

  /** The session outcomes merged into the rows, if any (the backfill's reader feeds them). */
  public @Nullable ComputeSessionOutcomes sessionOutcomes() {
    return sessions;
  }

  @Override
  public PCollection<QosMinute> expand(PCollection<PlayerEvent> events) {
    QosContributions contributions = contributions();
    PCollection<KV<QosKey, QosAccumulator>> partials = events
        .apply("PreAggregateQos", ParDo.of(new PreAggregateFn<>(contributions)))
        .setCoder(contributions.partialCoder());
    if (sessions != null) {
      partials = PCollectionList.of(partials)
          .and(events.apply("ComputeSessionOutcomes", sessions))
          .apply("WithSessionOutcomes", Flatten.pCollections());
    }
    return partials.apply(combine());
  }

  /** The first half: how an event folds into a bundle's partial rows. */
  public QosContributions contributions() {
    return new QosContributions(settings);
  }

  /**
   * The second half: partial rows (from {@link #contributions()}, however they were folded) to the
   * rows, windowed first where {@link #withWindowing} says.
   */
  public PTransform<PCollection<KV<QosKey, QosAccumulator>>, PCollection<QosMinute>> combine() {
    return Contributions.combineToRows("CombineQos", new MergeQosAccumulators(), windowing,
        KvCoder.of(QosKey.Coder.of(), QosAccumulator.Coder.of()), new ToRowFn(),
        QosMinuteCoder.of());
  }

  /**
   * QoS partial rows that a step emits one by one (the ended sessions' outcomes), merged per key
   * within each bundle before the QoS shuffle: a bundle's sessions that end in the same minute
   * leave as one row per dimension set instead of one each.
   */
  public static FoldPerBundle<QosKey, QosAccumulator> foldPerBundle() {
    return FoldPerBundle.of(new MergeQosAccumulators(), QosAccumulator::size,
        MAX_FOLDED_ENTRIES, KvCoder.of(QosKey.Coder.of(), QosAccumulator.Coder.of()));
  }

  /** Entries {@link #foldPerBundle} holds before it emits early (a row of outcomes is one). */
  static final int MAX_FOLDED_ENTRIES = 200_000;

  /** Each event to its contributions per dimension set and minute, merged within the bundle. */
  public static final class QosContributions extends Contributions<QosKey, QosAccumulator> {
    private static final QosDimensionSet[] SETS = QosDimensionSet.values();

    private final Counter outside =
        Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, "qos_contributions_outside_range");
    private final Counter unknownDirection =
        Metrics.counter(ParsePlayerEvents.METRICS_NAMESPACE, "quality_change_direction_unknown");
    private static final DeclaredCounts COUNTS = DeclaredCounts.VIEWER_QOS;
    /** What the event being folded adds to each of its type's declared counts. */
    private final long[] amounts = COUNTS.newAmounts();
    /** The event being folded's key for each declared distinct count. */
    private final long[] keys = COUNTS.newKeys();

    QosContributions(FoldSettings settings) {
      super(settings, KvCoder.of(QosKey.Coder.of(), QosAccumulator.Coder.of()), "qos_partial_rows_emitted");
    }

    @Override
    public PartialRows<QosKey, QosAccumulator> newRows() {
      return new PartialRows<>(QosAccumulator::new, QosAccumulator::size);
    }

    @Override
    public void add(PlayerEvent e, Instant timestamp, BoundedWindow window,
        PartialRows<QosKey, QosAccumulator> buffered) {
      int[] counted = COUNTS.indexes(e.metricType);
      boolean viewing = ViewingRule.marksViewing(e);
      if (!viewing && counted.length == 0) {
        return; // an IMPRESSION: no session is playing yet, and no count is declared for it
      }
      COUNTS.amounts(e, amounts);
      if (e.metricType == MetricType.QUALITY_CHANGED && QualityStep.of(e) == QualityStep.UNKNOWN) {
        unknownDirection.inc();
      }
      String platform = ClientPlatform.normalize(e.clientPlatform).apiName();
      long own = e.eventMinute();
      if (viewing) {
        COUNTS.keys(e, keys);
      }
      String deviceType = e.deviceType.apiName();
      for (QosDimensionSet set : SETS) {
        QosKey key = QosKey.of(set, e.account, own, e.video, platform, e.country, deviceType);
        if (viewing) {
          for (long m = rule.firstViewingMinute(e); m < own; m++) {
            QosAccumulator row = row(buffered, window, key.atMinute(m), timestamp);
            if (row != null) {
              buffered.grew(row.addKeys(keys));
            }
          }
        }
        QosAccumulator row = row(buffered, window, key, timestamp);
        if (row != null) {
          if (viewing) {
            buffered.grew(row.addKeys(keys));
          }
          for (int k = 0; k < counted.length; k++) {
            row.counts[counted[k]] += amounts[k];
          }
          addValuesAndKeyedSums(e, row, buffered);
        }
      }
    }

    private @Nullable QosAccumulator row(PartialRows<QosKey, QosAccumulator> buffered,
        BoundedWindow window, QosKey key, Instant timestamp) {
      if (!range.contains(key.epochMinute())) {
        outside.inc();
        return null;
      }
      return buffered.row(window, key, timestamp);
    }

    /** The declared sketches of values and sums by key (the playing time by rendition). */
    private static void addValuesAndKeyedSums(PlayerEvent e, QosAccumulator row,
        PartialRows<QosKey, QosAccumulator> buffered) {
      buffered.grew(COUNTS.addValues(e, row.counts, row.sketches));
      buffered.grew(COUNTS.addKeyed(e, row.keyed));
    }
  }

  /** Attaches the key's dimensions to the combined metrics. */
  static final class ToRowFn extends DoFn<KV<QosKey, QosAccumulator>, QosMinute> {
    @ProcessElement
    public void process(@Element KV<QosKey, QosAccumulator> kv, OutputReceiver<QosMinute> out) {
      QosKey k = kv.getKey();
      QosMinute.Builder b = QosMinute.builder()
          .account(k.account())
          .dimensionSet(k.dimensionSet())
          .minute(k.minuteStartMillis());
      for (Dimension d : k.dimensionSet().dimensions()) {
        b.dimension(d, k.value(d));
      }
      out.output(kv.getValue().fill(b).build());
    }
  }
}
