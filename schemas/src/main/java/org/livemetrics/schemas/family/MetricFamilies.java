package org.livemetrics.schemas.family;

import java.util.List;
import java.util.Optional;

/** The three metric families, in the order catalogues and messages list them. */
public final class MetricFamilies {
  private MetricFamilies() {}

  public static List<MetricFamilyDescription> all() {
    return List.of(AudienceFamily.DESCRIPTION, ViewerQosFamily.DESCRIPTION,
        BroadcastFamily.DESCRIPTION);
  }

  /** The family that has a metric of this API name. */
  public static Optional<MetricFamilyDescription> ofMetric(String apiName) {
    return all().stream().filter(f -> f.metric(apiName).isPresent()).findFirst();
  }
}
