package org.livemetrics.schemas;

import java.util.Arrays;
import java.util.Optional;

/** A query dimension and where-filter key of the Live Analytics API. */
public enum Dimension {
  VIDEO("video"),
  COUNTRY("country"),
  DEVICE_TYPE("device_type");

  private final String apiName;

  Dimension(String apiName) {
    this.apiName = apiName;
  }

  public String apiName() {
    return apiName;
  }

  public static Optional<Dimension> fromApiName(String name) {
    return Arrays.stream(values()).filter(d -> d.apiName.equals(name)).findFirst();
  }
}
