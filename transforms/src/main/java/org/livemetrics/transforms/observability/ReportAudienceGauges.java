package org.livemetrics.transforms.observability;

import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
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
    PCollection<RegionSample> samples = rows
        .apply("VideoCountryRows", Filter.by(r -> r.dimensionSet == DimensionSet.VIDEO_COUNTRY))
        .apply("ToRegions", MapElements.into(TypeDescriptor.of(RegionSample.class))
            .via(r -> new RegionSample(r.minute, r.account + "/" + r.video + "/" + r.country,
                ViewerRegions.ofCountry(r.country), r.ccu)));
    return ReportGauges.report(samples, PipelineMetrics::concurrentViewers,
        PipelineMetrics::peakConcurrentViewers);
  }
}
