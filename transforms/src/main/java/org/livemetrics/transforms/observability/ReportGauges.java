package org.livemetrics.transforms.observability;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The steps {@link ReportAudienceGauges} and {@link ReportLiveChannels} share. */
final class ReportGauges {
  private ReportGauges() {}

  static PDone report(PCollection<RegionSample> samples,
      SerializableFunction<String, Gauge> current, @Nullable SerializableFunction<String, Gauge> peak) {
    samples
        .setCoder(RegionSample.Coder.of())
        // Each firing of a row is one sample; the state below lives across minutes, so in the
        // global window.
        .apply("GlobalWindow", Window.<RegionSample>into(new GlobalWindows())
            .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
            .withAllowedLateness(org.joda.time.Duration.ZERO)
            .discardingFiredPanes())
        .apply("OneKey", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.integers(),
                org.apache.beam.sdk.values.TypeDescriptor.of(RegionSample.class)))
            .via(s -> KV.of(0, s)))
        .setCoder(KvCoder.of(VarIntCoder.of(), RegionSample.Coder.of()))
        .apply("SetGauges", ParDo.of(new ReportRegionGaugesFn(current, peak)));
    return PDone.in(samples.getPipeline());
  }
}
