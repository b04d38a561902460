package org.livemetrics.schemas;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A query dimension and where-filter key of the Live Analytics API. {@code client_platform} is a
 * dimension of the QoS rows ({@link QosDimensionSet}); {@code region} and {@code channel} of the
 * broadcast rows ({@link BroadcastMinute.Scope}).
 */
public enum Dimension {
  VIDEO("video"),
  COUNTRY("country"),
  DEVICE_TYPE("device_type"),
  /** The player's platform, normalized by {@link ClientPlatform}. */
  CLIENT_PLATFORM("client_platform"),
  /** The AWS region of an IVS channel. */
  REGION("region"),
  /** An IVS channel, by its ARN. */
  CHANNEL("channel");

  private final String apiName;

  Dimension(String apiName) {
    this.apiName = apiName;
  }

  public String apiName() {
    return apiName;
  }

  /**
   * The only values a stored row can hold for this dimension, when they are a closed vocabulary
   * ({@code device_type}, {@code client_platform}); empty for open ones (videos, countries, regions,
   * channels). A filter on a closed dimension takes only these.
   */
  public List<String> closedValues() {
    return switch (this) {
      case DEVICE_TYPE -> Arrays.stream(DeviceType.values()).map(DeviceType::apiName).toList();
      case CLIENT_PLATFORM ->
          Arrays.stream(ClientPlatform.values()).map(ClientPlatform::apiName).toList();
      case VIDEO, COUNTRY, REGION, CHANNEL -> List.of();
    };
  }

  public static Optional<Dimension> fromApiName(String name) {
    return Arrays.stream(values()).filter(d -> d.apiName.equals(name)).findFirst();
  }
}
