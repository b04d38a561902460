package org.livemetrics.schemas;

/** The device_type dimension's values. */
public enum DeviceType {
  DESKTOP("desktop"),
  MOBILE("mobile"),
  TABLET("tablet"),
  SMART_TV("smart_tv"),
  UNKNOWN("unknown");

  private final String apiName;

  DeviceType(String apiName) {
    this.apiName = apiName;
  }

  public String apiName() {
    return apiName;
  }
}
