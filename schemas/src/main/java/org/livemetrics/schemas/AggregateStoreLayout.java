package org.livemetrics.schemas;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Where aggregates live under a store root, shared by the writers (backfill, streaming) and the
 * query layer.
 *
 * <pre>
 * ROOT/aggregates/hour=2026-11-22T05/part-RUNID-00000-of-00002.parquet
 * ROOT/aggregates/hour=2026-11-22T05/_COMMITTED      (text: the RUNID whose files are current)
 * ROOT/dead-letter/...
 * </pre>
 *
 * An hour partition holds the rows whose minute falls in that UTC hour. A backfill writes its files
 * under a new run id and then commits each hour it recomputed by overwriting {@code _COMMITTED}
 * (one small object: atomic on S3 and on a local disk); readers take only the committed run's
 * files, so a re-run replaces its range whole and a crashed run is never half visible. Hours with
 * no marker (e.g. written by the streaming pipeline) are read whole.
 */
public final class AggregateStoreLayout {
  public static final String AGGREGATES_DIR = "aggregates";
  public static final String DEAD_LETTER_DIR = "dead-letter";
  /** Viewer QoS rows ({@code QosMinuteAvro}), partitioned by the hour of their minute. */
  public static final String QOS_DIR = "qos";
  /** Broadcast minute rows ({@code BroadcastAvro}), by the hour of their minute. */
  public static final String BROADCAST_DIR = "broadcast";
  /**
   * Stream rows ({@code stream_session.avsc}), by the hour of their start (else end, else as_of);
   * readers keep the highest version per (channel, stream_id) across the partitions they read.
   */
  public static final String STREAMS_DIR = "streams";
  public static final String COMMIT_MARKER = "_COMMITTED";
  public static final String PART_PREFIX = "part-";

  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);

  private AggregateStoreLayout() {}

  /** {@code hour=2026-11-22T05} for any instant in that hour. */
  public static String hourPartition(long epochMillis) {
    return "hour=" + HOUR.format(Instant.ofEpochMilli(epochMillis));
  }

  /** The start of the hour a partition name denotes. */
  public static long hourPartitionStart(String partitionName) {
    String v = partitionName.substring(partitionName.indexOf('=') + 1);
    return Instant.parse(v + ":00:00Z").toEpochMilli();
  }

  /** Joins path segments with single slashes; works for local paths and s3:// URIs alike. */
  public static String join(String root, String... parts) {
    StringBuilder b = new StringBuilder(root.endsWith("/") ? root.substring(0, root.length() - 1) : root);
    for (String p : parts) {
      b.append('/').append(p);
    }
    return b.toString();
  }

  /** The name prefix of the part files a run writes. */
  public static String partPrefix(String runId) {
    return PART_PREFIX + runId + "-";
  }
}
