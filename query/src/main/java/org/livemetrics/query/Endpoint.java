package org.livemetrics.query;

import java.util.Arrays;
import java.util.Optional;

/** The two Live Analytics endpoints; they read the same rows and aggregate them differently. */
public enum Endpoint {
  /** {@code /v1/timeseries}: one point per bucket; unique metrics are the per-minute maximum. */
  TIMESERIES("timeseries"),
  /** {@code /v1/events}: totals over the range; unique metrics are distinct over the range. */
  EVENTS("events");

  private final String pathName;

  Endpoint(String pathName) {
    this.pathName = pathName;
  }

  /** The path segment after {@code /v1/}. */
  public String pathName() {
    return pathName;
  }

  public static Optional<Endpoint> fromPathName(String name) {
    return Arrays.stream(values()).filter(e -> e.pathName.equals(name)).findFirst();
  }
}
