package org.livemetrics.pipelines.kinesis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * Creating, inspecting and deleting a stream (demo, tests, the replay's {@code --createShards}).
 * Production streams belong to infrastructure code; this is for local servers and scratch
 * streams. Polls every 100 ms rather than using the SDK's waiter, which polls every 10 s.
 */
public final class KinesisAdmin implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(100);

  private final KinesisClient kinesis;
  private final boolean ownsClient;

  /** Uses {@code kinesis} without closing it. */
  public KinesisAdmin(KinesisClient kinesis) {
    this(kinesis, false);
  }

  private KinesisAdmin(KinesisClient kinesis, boolean ownsClient) {
    this.kinesis = kinesis;
    this.ownsClient = ownsClient;
  }

  /** With a client of its own, set up from the options; close the admin after use. */
  public static KinesisAdmin of(KinesisOptions options) {
    return new KinesisAdmin(KinesisClients.sync(options), true);
  }

  /**
   * Creates the stream with {@code shards} shards unless it exists, then waits until it is ACTIVE.
   * Returns whether it created it. An existing stream is kept as it is, whatever its shard count.
   */
  public boolean createStream(String stream, int shards, Duration timeout) {
    if (shards < 1) {
      throw new IllegalArgumentException("a stream needs at least 1 shard, asked for " + shards);
    }
    boolean created;
    try {
      kinesis.createStream(r -> r.streamName(stream).shardCount(shards));
      created = true;
    } catch (ResourceInUseException e) {
      created = false; // exists already (or is being created or deleted: waited for below)
    }
    awaitActive(stream, timeout);
    return created;
  }

  /** Waits until the stream is ACTIVE; fails if it does not exist or is being deleted. */
  public void awaitActive(String stream, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      StreamStatus status = summary(stream).streamStatus();
      if (status == StreamStatus.ACTIVE) {
        return;
      }
      if (status == StreamStatus.DELETING) {
        throw new IllegalStateException("stream '" + stream + "' is being deleted");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "stream '" + stream + "' is still " + status + " after " + timeout);
      }
      sleep(POLL);
    }
  }

  /** Status, shard count, retention...; {@link ResourceNotFoundException} if there is no such stream. */
  public StreamDescriptionSummary summary(String stream) {
    return kinesis.describeStreamSummary(r -> r.streamName(stream)).streamDescriptionSummary();
  }

  public boolean exists(String stream) {
    try {
      summary(stream);
      return true;
    } catch (ResourceNotFoundException e) {
      return false;
    }
  }

  /** All shards of the stream, open and closed, in the order ListShards gives them. */
  public List<Shard> shards(String stream) {
    List<Shard> shards = new ArrayList<>();
    ListShardsResponse page = kinesis.listShards(ListShardsRequest.builder().streamName(stream).build());
    shards.addAll(page.shards());
    while (page.nextToken() != null) {
      String token = page.nextToken();
      // With a next token, the stream name must not be repeated.
      page = kinesis.listShards(ListShardsRequest.builder().nextToken(token).build());
      shards.addAll(page.shards());
    }
    return shards;
  }

  /** Deletes the stream if it exists and waits until it is gone; returns whether it existed. */
  public boolean deleteStream(String stream, Duration timeout) {
    try {
      kinesis.deleteStream(r -> r.streamName(stream).enforceConsumerDeletion(true));
    } catch (ResourceNotFoundException e) {
      return false;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (exists(stream)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("stream '" + stream + "' still exists after " + timeout);
      }
      sleep(POLL);
    }
    return true;
  }

  @Override
  public void close() {
    if (ownsClient) {
      kinesis.close();
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the stream", e);
    }
  }
}
