package org.livemetrics.api;

import java.time.Instant;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.DistinctSketch;
import org.livemetrics.schemas.MinuteAggregate;

/**
 * Hand-made stored rows. A row's per-minute ccu and fingerprint_count are the number of session
 * and fingerprint keys given, and its sketches hold exactly those keys, so the distinct counts of
 * any set of rows can be worked out by hand.
 */
final class Rows {
  private String account = "1234";
  private String video;
  private DimensionSet set = DimensionSet.VIDEO;
  private String country;
  private String deviceType;
  private long minute;
  private long impressions;
  private long views;
  private long ads;
  private long secondsViewedMs;
  private long[] sessions = {};
  private long[] fingerprints = {};

  /** Epoch ms of a UTC minute written {@code 2020-02-15T10:00}. */
  static long t(String isoMinute) {
    return Instant.parse(isoMinute + ":00Z").toEpochMilli();
  }

  static Rows video(String video, String isoMinute) {
    Rows r = new Rows();
    r.video = video;
    r.minute = t(isoMinute);
    return r;
  }

  static Rows country(String video, String country, String isoMinute) {
    Rows r = video(video, isoMinute);
    r.set = DimensionSet.VIDEO_COUNTRY;
    r.country = country;
    return r;
  }

  static Rows device(String video, String deviceType, String isoMinute) {
    Rows r = video(video, isoMinute);
    r.set = DimensionSet.VIDEO_DEVICE_TYPE;
    r.deviceType = deviceType;
    return r;
  }

  Rows account(String account) {
    this.account = account;
    return this;
  }

  /** Session keys {@code from..to}: ccu is their number. */
  Rows sessions(long from, long to) {
    this.sessions = keys(from, to);
    return this;
  }

  /** Fingerprint keys {@code from..to}: fingerprint_count is their number. */
  Rows fingerprints(long from, long to) {
    this.fingerprints = keys(from, to);
    return this;
  }

  Rows views(long n) {
    this.views = n;
    return this;
  }

  Rows impressions(long n) {
    this.impressions = n;
    return this;
  }

  Rows ads(long n) {
    this.ads = n;
    return this;
  }

  Rows secondsViewedMs(long ms) {
    this.secondsViewedMs = ms;
    return this;
  }

  MinuteAggregate build() {
    return new MinuteAggregate(account, video, set, country, deviceType, minute, impressions,
        views, ads, secondsViewedMs, sessions.length, fingerprints.length,
        DistinctSketch.of(sessions, sessions.length),
        DistinctSketch.of(fingerprints, fingerprints.length));
  }

  private static long[] keys(long from, long to) {
    long[] k = new long[(int) (to - from + 1)];
    for (int i = 0; i < k.length; i++) {
      k[i] = from + i;
    }
    return k;
  }
}
