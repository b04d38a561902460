package org.livemetrics.transforms.broadcast;

import static org.junit.Assert.assertEquals;
import static org.livemetrics.transforms.broadcast.BroadcastStory.A0_END;
import static org.livemetrics.transforms.broadcast.BroadcastStory.A1_END;
import static org.livemetrics.transforms.broadcast.BroadcastStory.A1_FED;
import static org.livemetrics.transforms.broadcast.BroadcastStory.A1_START;
import static org.livemetrics.transforms.broadcast.BroadcastStory.A1_STARVING;
import static org.livemetrics.transforms.broadcast.BroadcastStory.B;
import static org.livemetrics.transforms.broadcast.BroadcastStory.B1_CREATED;
import static org.livemetrics.transforms.broadcast.BroadcastStory.B1_ENDED;
import static org.livemetrics.transforms.broadcast.BroadcastStory.B1_FAILURE;
import static org.livemetrics.transforms.broadcast.BroadcastStory.B1_START;
import static org.livemetrics.transforms.broadcast.BroadcastStory.C;
import static org.livemetrics.transforms.broadcast.BroadcastStory.C1_START;
import static org.livemetrics.transforms.broadcast.BroadcastStory.C1_STARVING;
import static org.livemetrics.transforms.broadcast.BroadcastStory.MAX_STREAM;
import static org.livemetrics.transforms.broadcast.BroadcastStory.minute;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.livemetrics.schemas.BroadcastEvent;
import org.livemetrics.schemas.BroadcastEventType;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.StreamSession;
import org.livemetrics.transforms.metrics.WindowIntoMinutes;

/**
 * {@link ComputeBroadcastMetrics} in event time ({@link TestStream}): the story of {@link
 * BroadcastStory} delivered out of order, with duplicates, a starvation and a failure that arrive
 * after their minutes were emitted, and an open stream. The rows it settles on (the last pane of
 * each minute row, the highest version of each stream) are the batch rows worked out by hand; the
 * corrections and the open stream's running durations on the way are asserted too.
 */
public class BroadcastStreamingTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final Duration LATENESS = Duration.standardMinutes(10);

  private static TimestampedValue<BroadcastEvent> arriving(BroadcastEvent e, Instant arrival) {
    return TimestampedValue.of(e, arrival);
  }

  private static TestStream<BroadcastEvent> story() {
    Instant w0 = new Instant(minute(0));
    Instant w2 = new Instant(minute(2));
    Instant w4 = new Instant(minute(4));
    return TestStream.create(BroadcastEvent.Coder.of())
        .advanceWatermarkTo(w0)
        // Ends before starts, one start twice.
        .addElements(arriving(A1_END, w0), arriving(A1_START, w0), arriving(A1_START, w0),
            arriving(A0_END, w0), arriving(B1_CREATED, w0), arriving(B1_START, w0))
        .advanceWatermarkTo(w2)
        // A's 10:01 was emitted without the starvation that began 10:01:50: a correction.
        .addElements(arriving(A1_STARVING, w2), arriving(A1_FED, w2), arriving(C1_START, w2),
            arriving(A1_STARVING, w2))
        .advanceWatermarkTo(w4)
        // B was emitted live in 10:02 and 10:03 before its failure at 10:02:00 came: taken back.
        .addElements(arriving(B1_ENDED, w4), arriving(B1_FAILURE, w4), arriving(B1_FAILURE, w4),
            arriving(C1_STARVING, w4))
        .advanceWatermarkTo(new Instant(minute(20)))
        // C's channel is settled at 10:08: an event of 09:50 is beyond its 10 minutes of lateness.
        .addElements(arriving(BroadcastStory.event("e-old", BroadcastEventType.STREAM_END, -10, 0,
            C, "st-c0"), new Instant(minute(20))))
        .advanceWatermarkToInfinity();
  }

  static final class Reasons extends PTransform<PCollection<BadRecord>, PCollection<String>> {
    @Override
    public PCollection<String> expand(PCollection<BadRecord> input) {
      return input.apply(MapElements.into(TypeDescriptors.strings()).via(b ->
          b.getFailure().getDescription().split(":")[0] + " "
              + (b.getRecord().getHumanReadableJsonRecord().contains("st-c0") ? "st-c0" : "?")));
    }
  }

  /** Each minute row with its pane's index and timing. */
  private static PCollection<KV<Long, String>> panes(PCollection<BroadcastMinute> rows) {
    return rows.apply("Panes", ParDo.of(new DoFn<BroadcastMinute, KV<Long, String>>() {
          @ProcessElement
          public void process(ProcessContext c) {
            c.output(KV.of(c.pane().getIndex(), c.pane().getTiming() + "|" + encode(c.element())));
          }
        }))
        .setCoder(KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of()))
        .apply("Global", Window.<KV<Long, String>>into(new GlobalWindows()));
  }

  private static String key(BroadcastMinute m) {
    return m.scope() + "/" + m.region() + "/" + m.channelArn() + "/" + m.minute();
  }

  private static String encode(BroadcastMinute m) {
    return key(m) + "=" + m.liveChannels() + "/" + m.starvationCount() + "/" + m.starvationMs();
  }

  @Test
  public void settlesOnTheBatchRowsWhateverTheOrderAndLateness() {
    BadRecordErrorHandler<PCollection<String>> handler = p.registerBadRecordErrorHandler(new Reasons());
    BroadcastMetrics out = p.apply(story()).apply(ComputeBroadcastMetrics.create()
        .withMaxStreamDuration(MAX_STREAM)
        .withAllowedLateness(java.time.Duration.ofMinutes(10))
        .withWindowing(WindowIntoMinutes.streaming(
            Duration.standardSeconds(5), LATENESS.plus(Duration.standardMinutes(1))))
        .withBadRecordErrorHandler(handler));
    handler.close();

    Set<String> expectedMinutes = new HashSet<>();
    BroadcastStory.minutes().forEach(m -> expectedMinutes.add(encode(m)));
    String b2 = "CHANNEL/eu-west-1/" + B + "/" + minute(2);
    PAssert.that(panes(out.minutes())).satisfies(all -> {
      Map<String, Long> lastIndex = new HashMap<>();
      Map<String, String> last = new HashMap<>();
      List<String> bAt2 = new ArrayList<>();
      for (KV<Long, String> kv : all) {
        String row = kv.getValue().split("\\|")[1];
        String k = row.split("=")[0];
        if (!lastIndex.containsKey(k) || kv.getKey() > lastIndex.get(k)) {
          lastIndex.put(k, kv.getKey());
          last.put(k, row);
        }
        if (k.equals(b2)) {
          bAt2.add(kv.getKey() + " " + kv.getValue().split("\\|")[0] + " " + row.split("=")[1]);
        }
      }
      Set<String> settled = new HashSet<>();
      for (String row : last.values()) {
        if (!row.endsWith("=0/0/0")) { // a minute taken back to nothing: no row in batch
          settled.add(row);
        }
      }
      assertEquals(expectedMinutes, settled);
      bAt2.sort(null);
      assertEquals(List.of("0 ON_TIME 1/0/0", "1 LATE 0/0/0"), bAt2);
      return null;
    });

    PAssert.that(out.sessions()).satisfies(all -> {
      Map<String, StreamSession> latest = new HashMap<>();
      List<String> c1 = new ArrayList<>();
      for (StreamSession s : all) {
        StreamSession known = latest.get(s.streamId());
        if (known == null || s.version() > known.version()) {
          latest.put(s.streamId(), s);
        }
        if (s.streamId().equals("st-c1")) {
          c1.add(s.version() + " " + s.outcome() + " asOf+" + (s.asOf() - minute(0)) / 1000
              + "s ran " + s.durationMs() / 1000 + "s starved " + s.starvationMs() / 1000 + "s");
        }
      }
      Set<StreamSession> settled = new HashSet<>();
      latest.values().forEach(s -> settled.add(s.withVersion(0)));
      assertEquals(new HashSet<>(BroadcastStory.sessions()), settled);
      c1.sort(null);
      // Re-stated each minute while open (10:02:15 start), then capped at 5 minutes (10:07:15).
      assertEquals(List.of(
          "0 OPEN asOf+180s ran 45s starved 0s",
          "1 OPEN asOf+240s ran 105s starved 0s",
          "2 OPEN asOf+300s ran 165s starved 20s",
          "3 OPEN asOf+360s ran 225s starved 80s",
          "4 OPEN asOf+420s ran 285s starved 140s",
          "5 OPEN asOf+435s ran 300s starved 155s"), c1);
      return null;
    });
    PAssert.that(handler.getOutput()).containsInAnyOrder("too_late st-c0");
    p.run();
  }
}
