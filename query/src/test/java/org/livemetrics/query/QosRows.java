package org.livemetrics.query;

import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_SKETCH_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_SUM_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_SKETCH_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_SUM_MS_FIELD;

import java.util.Map;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.LatencySketch;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.schemas.StreamSession;

/** QoS, broadcast and stream rows for tests, built from raw values. */
final class QosRows {
  static final String ACCOUNT = "1234";
  static final String AWS = "123456789012";

  private QosRows() {}

  static String arn(String region, String id) {
    return "arn:aws:ivs:" + region + ":" + AWS + ":channel/" + id;
  }

  /** A KLL sketch of raw latencies, as the pipeline builds one per row. */
  static byte[] sketch(double... values) {
    KllDoublesSketch s = LatencySketch.newSketch();
    for (double v : values) {
      s.update(v);
    }
    return s.toByteArray();
  }

  static long sum(double... values) {
    long sum = 0;
    for (double v : values) {
      sum += (long) v;
    }
    return sum;
  }

  /** A {client_platform} row builder of {@link #ACCOUNT}. */
  static QosMinute.Builder platform(String platform, long minute) {
    return QosMinute.builder().account(ACCOUNT).dimensionSet(QosDimensionSet.CLIENT_PLATFORM)
        .clientPlatform(platform).minute(minute);
  }

  /** A {video, client_platform} row builder of {@link #ACCOUNT}. */
  static QosMinute.Builder video(String video, String platform, long minute) {
    return QosMinute.builder().account(ACCOUNT)
        .dimensionSet(QosDimensionSet.VIDEO_CLIENT_PLATFORM).video(video)
        .clientPlatform(platform).minute(minute);
  }

  /** Live latencies of a row: their count, sum and sketch. */
  static QosMinute.Builder liveLatencies(QosMinute.Builder b, double... values) {
    return b.count(LIVE_LATENCY_COUNT_FIELD, values.length)
        .count(LIVE_LATENCY_SUM_MS_FIELD, sum(values))
        .sketch(LIVE_LATENCY_SKETCH_FIELD, sketch(values));
  }

  static QosMinute.Builder startups(QosMinute.Builder b, double... values) {
    return b.count(STARTUP_COUNT_FIELD, values.length).count(STARTUP_SUM_MS_FIELD, sum(values))
        .sketch(STARTUP_SKETCH_FIELD, sketch(values));
  }

  static QosMinute.Builder renditions(QosMinute.Builder b, Map<String, Long> playingMs) {
    return b.renditionPlayingMs(playingMs);
  }

  static BroadcastMinute all(long minute, long live, long starvations, long starvationMs) {
    return new BroadcastMinute(BroadcastMinute.Scope.ALL, null, null, null, minute, live,
        starvations, starvationMs);
  }

  static BroadcastMinute region(String region, long minute, long live, long starvations,
      long starvationMs) {
    return new BroadcastMinute(BroadcastMinute.Scope.REGION, region, null, null, minute, live,
        starvations, starvationMs);
  }

  static BroadcastMinute channel(String region, String id, long minute, long live,
      long starvations, long starvationMs) {
    return new BroadcastMinute(BroadcastMinute.Scope.CHANNEL, region, arn(region, id), id,
        minute, live, starvations, starvationMs);
  }

  static StreamSession ended(String region, String channel, String streamId, long start,
      long end, long version) {
    return new StreamSession(AWS, region, arn(region, channel), channel, streamId, start, end,
        StreamSession.Outcome.ENDED, end - start, end, version, null, null, 0, 0);
  }

  static StreamSession failed(String region, String channel, String streamId, long start,
      long end) {
    return new StreamSession(AWS, region, arn(region, channel), channel, streamId, start, end,
        StreamSession.Outcome.FAILED, end - start, end, 0, null, null, 1, 4_000);
  }

  static StreamSession open(String region, String channel, String streamId, long start,
      long asOf, long version) {
    return new StreamSession(AWS, region, arn(region, channel), channel, streamId, start, null,
        StreamSession.Outcome.OPEN, asOf - start, asOf, version, null, null, 0, 0);
  }
}
