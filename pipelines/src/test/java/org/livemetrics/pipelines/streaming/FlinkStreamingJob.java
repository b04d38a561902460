package org.livemetrics.pipelines.streaming;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * The streaming pipeline as a job on the embedded FlinkRunner, on its own thread (the embedded
 * runner blocks until the job ends), and the Kinesis side of the tests that feed it.
 */
final class FlinkStreamingJob {
  private final Thread thread;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  private FlinkStreamingJob(List<String> args) {
    thread = new Thread(() -> {
      try {
        StreamingPipeline.Options o = PipelineOptionsFactory
            .fromArgs(args.toArray(String[]::new)).as(StreamingPipeline.Options.class);
        StreamingPipeline.run(o).waitUntilFinish();
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "flink-job");
    thread.setDaemon(true);
  }

  static FlinkStreamingJob start(List<String> args) {
    FlinkStreamingJob j = new FlinkStreamingJob(args);
    j.thread.start();
    return j;
  }

  /** Fails the test if the job failed. */
  void check() {
    if (failure.get() != null) {
      throw new AssertionError("the streaming job failed", failure.get());
    }
  }

  /** Waits for the job to end (stopped, or cancelled: a cancellation is not a failure). */
  void await() throws InterruptedException {
    thread.join(120_000);
    assertTrue("the job ended", !thread.isAlive());
    for (Throwable t = failure.get(); t != null; t = t.getCause()) {
      if (t.getClass().getSimpleName().equals("JobCancellationException")) {
        return;
      }
    }
    check();
  }

  /** Puts records in batches of 500, spread over the shards. */
  static void put(KinesisClient client, String stream, List<byte[]> records) {
    for (int i = 0; i < records.size(); i += 500) {
      List<PutRecordsRequestEntry> batch = new ArrayList<>();
      for (byte[] r : records.subList(i, Math.min(records.size(), i + 500))) {
        batch.add(PutRecordsRequestEntry.builder().data(SdkBytes.fromByteArray(r))
            .partitionKey(Integer.toHexString(java.util.Arrays.hashCode(r))).build());
      }
      int failed = client.putRecords(b -> b.streamName(stream).records(batch)).failedRecordCount();
      assertEquals(0, failed);
    }
  }

  /**
   * One event at {@code time} into every shard, of the account "probe": each shard's watermark then
   * follows it, so the rows of everything before it become final. Returns how many were put.
   */
  static int putWatermarkProbes(KinesisClient client, String stream, long time) {
    return putIntoEveryShard(client, stream, shardId -> "{\"metric_type\":\"PLAY\",\"event_time\":"
        + time + ",\"channel_watched\":\"probe\",\"session_id\":\"probe-" + shardId
        + "\",\"account_id\":\"probe\"}");
  }

  /** {@code record.apply(shardId)} into each shard of the stream; returns how many were put. */
  static int putIntoEveryShard(
      KinesisClient client, String stream, java.util.function.Function<String, String> record) {
    int n = 0;
    for (Shard shard : client.listShards(b -> b.streamName(stream)).shards()) {
      String data = record.apply(shard.shardId());
      client.putRecord(b -> b.streamName(stream).partitionKey("probe")
          .explicitHashKey(shard.hashKeyRange().startingHashKey())
          .data(SdkBytes.fromUtf8String(data)));
      n++;
    }
    return n;
  }
}
