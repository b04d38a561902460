package org.livemetrics.transforms.broadcast;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.livemetrics.transforms.broadcast.BroadcastStory.A1_END;
import static org.livemetrics.transforms.broadcast.BroadcastStory.A1_FED;
import static org.livemetrics.transforms.broadcast.BroadcastStory.A1_START;
import static org.livemetrics.transforms.broadcast.BroadcastStory.A1_STARVING;
import static org.livemetrics.transforms.broadcast.BroadcastStory.C1_START;
import static org.livemetrics.transforms.broadcast.BroadcastStory.C1_STARVING;
import static org.livemetrics.transforms.broadcast.BroadcastStory.at;
import static org.livemetrics.transforms.broadcast.BroadcastStory.minute;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import org.junit.Test;
import org.livemetrics.schemas.BroadcastEvent;
import org.livemetrics.schemas.StreamSession;

/** The per-channel rules, without Beam: pairing, order, open streams, starvation minutes. */
public class ChannelTimelineTest {
  private static final long MAX = BroadcastStory.MAX_STREAM.toMillis();

  private static String describe(SortedMap<Long, long[]> minutes) {
    StringBuilder b = new StringBuilder();
    minutes.forEach((m, v) -> b.append((m - minute(0)) / 60_000).append('=')
        .append(v[0]).append('/').append(v[1]).append('/').append(v[2]).append(' '));
    return b.toString().trim();
  }

  @Test
  public void everyDeliveryOrderGivesTheSameStreamAndMinutes() {
    List<BroadcastEvent> a1 = new ArrayList<>(List.of(A1_START, A1_END, A1_STARVING, A1_FED));
    Random r = new Random(1);
    for (int i = 0; i < 24; i++) {
      Collections.shuffle(a1, r);
      ChannelTimeline t = new ChannelTimeline(a1, MAX);
      // live 10:00-10:03; starving 10 s in 10:01 (the episode's minute) and 20 s in 10:02.
      assertEquals("0=1/0/0 1=1/1/10000 2=1/0/20000 3=1/0/0",
          describe(t.minutes(minute(0), minute(10))));
      StreamSession s = t.session("st-a1", minute(10), 0);
      assertEquals(StreamSession.Outcome.ENDED, s.outcome());
      assertEquals(Long.valueOf(160_000), s.durationMs());
      assertEquals(30_000, s.starvationMs());
    }
  }

  @Test
  public void anOpenStreamRunsToTheTimeAskedAndStopsAtTheCap() {
    ChannelTimeline t = new ChannelTimeline(List.of(C1_START, C1_STARVING), MAX);
    StreamSession at5 = t.session("st-c1", minute(5), 0);
    assertEquals(StreamSession.Outcome.OPEN, at5.outcome());
    assertNull(at5.endTime());
    assertEquals(Long.valueOf(minute(5) - at(2, 15)), at5.durationMs()); // 165 s running
    assertEquals(minute(5), at5.asOf());
    assertEquals(20_000, at5.starvationMs()); // 10:04:40 to 10:05
    // Minutes 10:02-10:04 as of 10:05; starvation began 10:04:40.
    assertEquals("2=1/0/0 3=1/0/0 4=1/1/20000", describe(t.minutes(minute(0), minute(5))));
    assertTrue(t.isActiveAt(minute(5)));
    // Past the cap (10:07:15): open, 5 minutes long, no longer live.
    StreamSession capped = t.session("st-c1", minute(30), 0);
    assertEquals(StreamSession.Outcome.OPEN, capped.outcome());
    assertEquals(Long.valueOf(300_000), capped.durationMs());
    assertEquals(at(7, 15), capped.asOf());
    assertEquals(155_000, capped.starvationMs());
    assertFalse(t.isActiveAt(minute(8)));
    assertEquals(minute(8), t.settledEnd());
  }

  @Test
  public void aClosedMinuteDoesNotDependOnWhenItIsAskedAbout() {
    ChannelTimeline t = new ChannelTimeline(List.of(C1_START, C1_STARVING), MAX);
    SortedMap<Long, long[]> early = t.minutes(minute(4), minute(5));
    SortedMap<Long, long[]> late = t.minutes(minute(4), minute(9));
    assertArrayEquals(early.get(minute(4)), late.get(minute(4)));
  }

  @Test
  public void anEndWithoutItsStartIsAStreamWithNoLiveMinutes() {
    ChannelTimeline t = new ChannelTimeline(List.of(A1_END), MAX);
    assertEquals("", describe(t.minutes(minute(0), minute(10))));
    StreamSession s = t.session("st-a1", minute(10), 0);
    assertNull(s.startTime());
    assertNull(s.durationMs());
    assertEquals(StreamSession.Outcome.ENDED, s.outcome());
  }
}
