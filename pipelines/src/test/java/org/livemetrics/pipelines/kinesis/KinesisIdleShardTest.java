package org.livemetrics.pipelines.kinesis;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithTimestamps;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.ClassRule;
import org.junit.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * The source's watermark in a running streaming pipeline (DirectRunner, kinesalite): it follows the
 * event time of the shard that has records, and a shard that has none does not hold it back.
 */
public class KinesisIdleShardTest {
  @ClassRule public static final LocalStreams KINESIS = new LocalStreams();

  private static final long WINDOW = 10_000;
  private static final Pattern EVENT_TIME = Pattern.compile("\"event_time\":(\\d+)");
  /** Panes seen, as "windowStart timing count". Static: DoFns are serialized copies. */
  private static final Queue<String> PANES = new ConcurrentLinkedQueue<>();

  private static String event(long time) {
    return "{\"metric_type\":\"PLAY\",\"event_time\":" + time + ",\"channel_watched\":\"v1\","
        + "\"session_id\":\"s\"}";
  }

  @Test
  public void anIdleShardDoesNotHoldBackTheEventTimeWatermark() throws Exception {
    String stream = "idle-shard";
    KinesisSourceOptions options = KINESIS.options(stream,
        "--kinesisInitialPosition=TRIM_HORIZON", "--watermarkIdleThreshold=PT1S",
        "--maxWatermarkDelay=PT0S", "--runner=DirectRunner");
    options.as(StreamingOptions.class).setStreaming(true);
    options.as(DirectOptions.class).setBlockOnRun(false);

    // Events two minutes old, one a second for 25 s, all on shard 0; shard 1 gets nothing.
    long base = (System.currentTimeMillis() - 120_000) / WINDOW * WINDOW;
    ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
    PipelineResult result = null;
    KinesisClient kinesis = KinesisClients.sync(options);
    try {
      new KinesisAdmin(kinesis).createStream(stream, 2, Duration.ofSeconds(30));
      List<PutRecordsRequestEntry> entries = new ArrayList<>();
      for (int s = 0; s < 25; s++) {
        entries.add(entry(event(base + s * 1_000L)));
      }
      kinesis.putRecords(r -> r.streamName(stream).records(entries));
      // Shard 0 stays busy at event time base + 25 s, so its watermark should stay there.
      feeder.scheduleAtFixedRate(() -> kinesis.putRecords(r -> r.streamName(stream)
          .records(entry(event(base + 25_000)))), 0, 200, TimeUnit.MILLISECONDS);

      Pipeline p = Pipeline.create(options);
      p.apply(ReadPlayerRecordsFromKinesis.from(options))
          .apply(MapElements.into(TypeDescriptors.strings())
              .via(r -> new String(r.payload(), StandardCharsets.UTF_8)))
          .apply(WithTimestamps.<String>of(KinesisIdleShardTest::eventTime)
              .withAllowedTimestampSkew(org.joda.time.Duration.standardDays(1)))
          .apply(Window.into(FixedWindows.of(org.joda.time.Duration.millis(WINDOW))))
          .apply(Combine.globally(Count.<String>combineFn()).withoutDefaults())
          .apply(ParDo.of(new RecordPane()));
      PANES.clear();
      long started = System.currentTimeMillis();
      result = p.run();

      long deadline = System.currentTimeMillis() + 60_000;
      while (PANES.size() < 2 && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
      }
      System.out.printf("on-time panes %s %d ms after the pipeline started%n", PANES,
          System.currentTimeMillis() - started);
      Thread.sleep(3_000); // time for a third pane, which must not come
      assertThat(List.copyOf(PANES), containsInAnyOrder(
          base + " ON_TIME 10", (base + WINDOW) + " ON_TIME 10"));
    } finally {
      feeder.shutdownNow();
      feeder.awaitTermination(5, TimeUnit.SECONDS);
      if (result != null) {
        result.cancel();
      }
      kinesis.close();
    }
    assertThat("no pane for the window the busy shard's watermark has not passed",
        PANES.stream().filter(s -> s.startsWith((base + 2 * WINDOW) + " ")).toList(), empty());
  }

  private static PutRecordsRequestEntry entry(String data) {
    return PutRecordsRequestEntry.builder().data(SdkBytes.fromUtf8String(data))
        .partitionKey("s").explicitHashKey("0").build();
  }

  private static Instant eventTime(String payload) {
    Matcher m = EVENT_TIME.matcher(payload);
    if (!m.find()) {
      throw new IllegalArgumentException("no event_time in " + payload);
    }
    return new Instant(Long.parseLong(m.group(1)));
  }

  static final class RecordPane extends DoFn<Long, Void> {
    @ProcessElement
    public void process(@Element Long count, BoundedWindow window, PaneInfo pane) {
      PANES.add(window.maxTimestamp().plus(1).getMillis() - WINDOW + " " + pane.getTiming() + " " + count);
    }
  }
}
