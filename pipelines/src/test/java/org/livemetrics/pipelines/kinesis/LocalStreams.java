package org.livemetrics.pipelines.kinesis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.rules.ExternalResource;
import org.livemetrics.testdata.services.LocalKinesis;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** A kinesalite for a test class, a client of it, and fresh streams on it. Use as a {@code @ClassRule}. */
public final class LocalStreams extends ExternalResource {
  private final LocalKinesis server = new LocalKinesis();
  private final AtomicInteger streams = new AtomicInteger();
  private KinesisClient client;

  @Override
  protected void before() {
    server.start();
    client = KinesisClients.sync(options("unused"));
  }

  @Override
  protected void after() {
    if (client != null) {
      client.close();
    }
    server.close();
  }

  public LocalKinesis server() {
    return server;
  }

  public KinesisClient client() {
    return client;
  }

  /** A new stream of {@code shards} shards, ACTIVE. */
  public String newStream(int shards) {
    String stream = "player-events-" + streams.incrementAndGet();
    new KinesisAdmin(client).createStream(stream, shards, Duration.ofSeconds(30));
    return stream;
  }

  /** Options pointing at {@code stream} on this server, plus {@code more}. */
  public KinesisSourceOptions options(String stream, String... more) {
    List<String> args = new ArrayList<>(server.kinesisArgs(stream));
    args.addAll(List.of(more));
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).as(KinesisSourceOptions.class);
  }
}
