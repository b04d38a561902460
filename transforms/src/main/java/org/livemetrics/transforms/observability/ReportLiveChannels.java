package org.livemetrics.transforms.observability;

import java.util.List;
import org.apache.beam.sdk.transforms.FlatMapElements;
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
    PCollection<RegionSample> samples = rows.apply("ToRegionSamples",
        FlatMapElements.into(TypeDescriptor.of(RegionSample.class)).via(r ->
            r.scope() != BroadcastMinute.Scope.REGION ? List.<RegionSample>of()
                : List.of(new RegionSample(r.minute(), r.region(), r.region(), r.liveChannels()))));
    return ReportGauges.report(samples, PipelineMetrics::liveChannels, null);
  }
}
