package org.livemetrics.transforms.observability;

import java.util.List;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.MinuteAggregate;

/**
 * The audience as on-call sees it: {@code livemetrics_concurrent_viewers{region}}, the concurrent
 * viewers of the latest complete minute per viewer region ({@link ViewerRegions}: the continent of
 * the viewer's country), and {@code livemetrics_peak_concurrent_viewers{region}}, the highest
 * such minute since the job started.
 *
 * <p>From the streaming rows of the {video, country} dimension set: a session watches one video
 * from one country, so the ccu of those rows adds up to distinct sessions per region (a row's
 * later pane replaces its earlier one). Reported from one worker ({@link ReportRegionGaugesFn}).
 */
public final class ReportAudienceGauges extends PTransform<PCollection<MinuteAggregate>, PDone> {
  private ReportAudienceGauges() {}

  public static ReportAudienceGauges create() {
    return new ReportAudienceGauges();
  }

  @Override
  public PDone expand(PCollection<MinuteAggregate> rows) {
    // One step from the rows (each carries two sketches, copied between Flink operators) to the
    // small samples.
    PCollection<RegionSample> samples = rows.apply("ToRegionSamples",
        FlatMapElements.into(TypeDescriptor.of(RegionSample.class)).via(r ->
            r.dimensionSet != DimensionSet.VIDEO_COUNTRY ? List.<RegionSample>of()
                : List.of(new RegionSample(r.minute, r.account + "/" + r.video + "/" + r.country,
                    ViewerRegions.ofCountry(r.country), r.ccu))));
    return ReportGauges.report(samples, PipelineMetrics::concurrentViewers,
        PipelineMetrics::peakConcurrentViewers);
  }
}
