package org.livemetrics.transforms.observability;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Sums the latest value of each row per region and minute and reports, per region, the sum of the
 * latest complete minute (and optionally the highest such sum so far) as Beam gauges.
 *
 * <p>All samples come on one key, so one worker reports each gauge: were the gauges set on every
 * worker, a Prometheus {@code sum()} over Flink's subtasks would count them several times. The
 * load is one element per row firing, small next to the rows' own computation.
 *
 * <p>"Latest complete minute": the newest minute is still filling (its early panes grow as the
 * events of the minute arrive, and a viewer's summary may only come a minute later), so each region
 * reports the minute before the newest minute seen, updated by its later panes; until a second
 * minute is seen, the first one. Only the two newest minutes are kept.
 */
final class ReportRegionGaugesFn extends DoFn<KV<Integer, RegionSample>, Void> {
  private final SerializableFunction<String, Gauge> current;
  private final @Nullable SerializableFunction<String, Gauge> peak;

  /** Row value by "minute/row", for the two newest minutes. */
  @StateId("rows")
  private final StateSpec<MapState<String, Long>> rowsSpec =
      StateSpecs.map(StringUtf8Coder.of(), VarLongCoder.of());

  /** Sum per region, per minute, for the two newest minutes. */
  @StateId("sums")
  private final StateSpec<ValueState<Map<Long, Map<String, Long>>>> sumsSpec =
      StateSpecs.value(MapCoder.of(VarLongCoder.of(),
          MapCoder.of(StringUtf8Coder.of(), VarLongCoder.of())));

  /** Every region seen (so a region whose viewers left reports 0), with its peak. */
  @StateId("peaks")
  private final StateSpec<ValueState<Map<String, Long>>> peaksSpec =
      StateSpecs.value(MapCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));

  ReportRegionGaugesFn(SerializableFunction<String, Gauge> current,
      @Nullable SerializableFunction<String, Gauge> peak) {
    this.current = current;
    this.peak = peak;
  }

  @ProcessElement
  public void process(
      @Element KV<Integer, RegionSample> element,
      @StateId("rows") MapState<String, Long> rows,
      @StateId("sums") ValueState<Map<Long, Map<String, Long>>> sumsState,
      @StateId("peaks") ValueState<Map<String, Long>> peaksState) {
    RegionSample s = element.getValue();
    Map<Long, Map<String, Long>> stored = sumsState.read();
    TreeMap<Long, Map<String, Long>> sums = new TreeMap<>();
    if (stored != null) {
      stored.forEach((minute, byRegion) -> sums.put(minute, new HashMap<>(byRegion)));
    }
    if (sums.size() == 2 && s.minute() < sums.firstKey()) {
      return; // a late pane of a minute no longer reported
    }
    String rowKey = s.minute() + "/" + s.row();
    Long before = rows.get(rowKey).read();
    rows.put(rowKey, s.value());
    sums.computeIfAbsent(s.minute(), m -> new HashMap<>())
        .merge(s.region(), s.value() - (before == null ? 0 : before), Long::sum);
    if (sums.size() > 2) {
      long dropped = sums.pollFirstEntry().getKey();
      for (Map.Entry<String, Long> e : rows.entries().read()) {
        if (Long.parseLong(e.getKey().substring(0, e.getKey().indexOf('/'))) <= dropped) {
          rows.remove(e.getKey());
        }
      }
    }
    sumsState.write(sums);

    Map<String, Long> peaks = peaksState.read();
    peaks = peaks == null ? new TreeMap<>() : new TreeMap<>(peaks);
    for (Map<String, Long> minute : sums.values()) {
      for (Map.Entry<String, Long> e : minute.entrySet()) {
        peaks.merge(e.getKey(), e.getValue(), Math::max);
      }
    }
    peaksState.write(peaks);

    Map<String, Long> reported = sums.size() == 2 ? sums.firstEntry().getValue()
        : sums.lastEntry().getValue();
    for (String region : new TreeSet<>(peaks.keySet())) {
      current.apply(region).set(reported.getOrDefault(region, 0L));
      if (peak != null) {
        peak.apply(region).set(peaks.get(region));
      }
    }
  }
}
