package org.livemetrics.query;

import java.time.Instant;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.DistinctSketch;
import org.livemetrics.schemas.MinuteAggregate;

/**
 * Builds stored rows for tests (this module's and, through its test-jar, the api's and the
 * report's). A row's per-minute ccu and fingerprint_count are the number of
 * session and fingerprint keys given, and its sketches hold exactly those keys, so unions over rows
 * have counts a test can work out by hand.
 */
public final class Rows {
  private String account = "1234";
  private String video = "5555";
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

  /** Epoch ms of an ISO minute such as {@code 2020-02-15T10:00}, UTC. */
  public static long t(String isoMinute) {
    return Instant.parse(isoMinute + ":00Z").toEpochMilli();
  }

  /** The keys from..to inclusive. */
  public static long[] keys(long from, long to) {
    long[] k = new long[(int) (to - from + 1)];
    for (int i = 0; i < k.length; i++) {
      k[i] = from + i;
    }
    return k;
  }

  public static Rows video(String video, String isoMinute) {
    return video(video, t(isoMinute));
  }

  public static Rows video(String video, long minute) {
    Rows r = new Rows();
    r.video = video;
    r.minute = minute;
    return r;
  }

  public static Rows country(String video, String country, String isoMinute) {
    return country(video, country, t(isoMinute));
  }

  public static Rows country(String video, String country, long minute) {
    Rows r = video(video, minute);
    r.set = DimensionSet.VIDEO_COUNTRY;
    r.country = country;
    return r;
  }

  public static Rows device(String video, String deviceType, String isoMinute) {
    return device(video, deviceType, t(isoMinute));
  }

  public static Rows device(String video, String deviceType, long minute) {
    Rows r = video(video, minute);
    r.set = DimensionSet.VIDEO_DEVICE_TYPE;
    r.deviceType = deviceType;
    return r;
  }

  public Rows account(String account) {
    this.account = account;
    return this;
  }

  public Rows sessions(long from, long to) {
    this.sessions = keys(from, to);
    return this;
  }

  public Rows fingerprints(long from, long to) {
    this.fingerprints = keys(from, to);
    return this;
  }

  public Rows views(long n) {
    this.views = n;
    return this;
  }

  public Rows impressions(long n) {
    this.impressions = n;
    return this;
  }

  public Rows ads(long n) {
    this.ads = n;
    return this;
  }

  public Rows secondsViewedMs(long ms) {
    this.secondsViewedMs = ms;
    return this;
  }

  public MinuteAggregate build() {
    return new MinuteAggregate(account, video, set, country, deviceType, minute,
        new long[] {impressions, views, ads, secondsViewedMs},
        new long[] {sessions.length, fingerprints.length},
        new byte[][] {DistinctSketch.of(sessions, sessions.length),
            DistinctSketch.of(fingerprints, fingerprints.length)});
  }
}
