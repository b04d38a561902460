package org.livemetrics.transforms.observability;

import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.livemetrics.schemas.BroadcastMinute;

/**
 * {@code livemetrics_live_channels{region}}: the IVS channels live in the latest complete minute,
 * per AWS region, from the broadcast rows of {@link BroadcastMinute.Scope#REGION} scope (their
 * {@code live_channels}). Reported from one worker, like {@link ReportAudienceGauges}.
 */
public final class ReportLiveChannels extends PTransform<PCollection<BroadcastMinute>, PDone> {
  private ReportLiveChannels() {}

  public static ReportLiveChannels create() {
    return new ReportLiveChannels();
  }

  @Override
  public PDone expand(PCollection<BroadcastMinute> rows) {
    PCollection<RegionSample> samples = rows
        .apply("RegionRows", Filter.by(r -> r.scope() == BroadcastMinute.Scope.REGION))
        .apply("ToRegions", MapElements.into(TypeDescriptor.of(RegionSample.class))
            .via(r -> new RegionSample(r.minute(), r.region(), r.region(), r.liveChannels())));
    return ReportGauges.report(samples, PipelineMetrics::liveChannels, null);
  }
}
