package org.livemetrics.transforms.broadcast;

import static org.livemetrics.transforms.broadcast.BroadcastStory.MAX_STREAM;
import static org.livemetrics.transforms.broadcast.BroadcastStory.at;
import static org.livemetrics.transforms.broadcast.BroadcastStory.minute;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Rule;
import org.junit.Test;
import org.livemetrics.schemas.BroadcastEvent;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.StreamSession;

/**
 * {@link ComputeBroadcastMetrics} on bounded input: the story's events delivered out of order and
 * partly twice give exactly the rows worked out by hand in {@link BroadcastStory}.
 */
public class ComputeBroadcastMetricsTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static ComputeBroadcastMetrics metrics() {
    return ComputeBroadcastMetrics.create().withMaxStreamDuration(MAX_STREAM);
  }

  @Test
  public void duplicatesAndOrderChangeNothing() {
    BroadcastMetrics out = p.apply(Create.of(BroadcastStory.delivered())).apply(metrics());
    PAssert.that(out.minutes()).containsInAnyOrder(BroadcastStory.minutes());
    PAssert.that(out.sessions()).containsInAnyOrder(BroadcastStory.sessions());
    p.run();
  }

  @Test
  public void eachEventOnceGivesTheSameRows() {
    BroadcastMetrics out = p.apply(Create.of(BroadcastStory.events())).apply(metrics());
    PAssert.that(out.minutes()).containsInAnyOrder(BroadcastStory.minutes());
    PAssert.that(out.sessions()).containsInAnyOrder(BroadcastStory.sessions());
    p.run();
  }

  @Test
  public void aHorizonStatesOpenStreamsAsOfIt() {
    // As of 10:05: c1 has run 165 s and starved 20 s; no minute from 10:05 on.
    BroadcastMetrics out = p.apply(Create.of(BroadcastStory.delivered()))
        .apply(metrics().withHorizon(minute(5)));
    List<BroadcastMinute> expected = new ArrayList<>();
    for (BroadcastMinute m : BroadcastStory.minutes()) {
      if (m.minute() < minute(5)) {
        expected.add(m);
      }
    }
    PAssert.that(out.minutes()).containsInAnyOrder(expected);
    List<StreamSession> sessions = new ArrayList<>();
    for (StreamSession s : BroadcastStory.sessions()) {
      sessions.add(s.streamId().equals("st-c1")
          ? new StreamSession(s.account(), s.region(), s.channelArn(), s.channelName(),
              s.streamId(), s.startTime(), null, StreamSession.Outcome.OPEN,
              minute(5) - at(2, 15), minute(5), 0, null, null, 1, 20_000)
          : s);
    }
    PAssert.that(out.sessions()).containsInAnyOrder(sessions);
    p.run();
  }

  @Test
  public void optionsAreReadAndCheckedAtConstruction() {
    BroadcastMetricsOptions ok = org.apache.beam.sdk.options.PipelineOptionsFactory
        .fromArgs("--maxStreamDuration=2h", "--allowedLateness=PT30M", "--earlyFiringSeconds=2")
        .as(BroadcastMetricsOptions.class);
    ComputeBroadcastMetrics.streaming(ok);
    for (String bad : new String[] {"--maxStreamDuration=0s", "--maxStreamDuration=soon",
        "--earlyFiringSeconds=0"}) {
      try {
        ComputeBroadcastMetrics.streaming(org.apache.beam.sdk.options.PipelineOptionsFactory
            .fromArgs(bad).as(BroadcastMetricsOptions.class));
        org.junit.Assert.fail(bad + " accepted");
      } catch (IllegalArgumentException expected) {
        org.junit.Assert.assertTrue(expected.getMessage(),
            expected.getMessage().contains(bad.substring(2, bad.indexOf('='))));
      }
    }
  }

  @Test(expected = IllegalArgumentException.class)
  public void aHorizonMustBeAWholeMinute() {
    metrics().withHorizon(at(5, 1));
  }

  @Test
  public void concurrencyCountsAChannelOnceWhenItsStreamsOverlap() {
    // Two streams of channel A overlapping in 10:01 (a restart): A counts once there.
    List<BroadcastEvent> events = List.of(
        BroadcastStory.event("x1", org.livemetrics.schemas.BroadcastEventType.STREAM_START, 0, 10,
            BroadcastStory.A, "st-x"),
        BroadcastStory.event("x2", org.livemetrics.schemas.BroadcastEventType.STREAM_END, 1, 20,
            BroadcastStory.A, "st-x"),
        BroadcastStory.event("y1", org.livemetrics.schemas.BroadcastEventType.STREAM_START, 1, 10,
            BroadcastStory.A, "st-y"),
        BroadcastStory.event("y2", org.livemetrics.schemas.BroadcastEventType.STREAM_END, 2, 0,
            BroadcastStory.A, "st-y"));
    BroadcastMetrics out = p.apply(Create.of(events)).apply(metrics());
    PAssert.that(out.minutes()).containsInAnyOrder(
        new BroadcastMinute(BroadcastMinute.Scope.CHANNEL, "eu-west-1", BroadcastStory.A, "alpha",
            minute(0), 1, 0, 0),
        new BroadcastMinute(BroadcastMinute.Scope.CHANNEL, "eu-west-1", BroadcastStory.A, "alpha",
            minute(1), 1, 0, 0),
        new BroadcastMinute(BroadcastMinute.Scope.REGION, "eu-west-1", null, null, minute(0), 1, 0, 0),
        new BroadcastMinute(BroadcastMinute.Scope.REGION, "eu-west-1", null, null, minute(1), 1, 0, 0),
        new BroadcastMinute(BroadcastMinute.Scope.ALL, null, null, null, minute(0), 1, 0, 0),
        new BroadcastMinute(BroadcastMinute.Scope.ALL, null, null, null, minute(1), 1, 0, 0));
    p.run();
  }
}
