package org.livemetrics.transforms.sessions;

import static org.junit.Assert.assertEquals;
import static org.livemetrics.transforms.sessions.SessionEvents.at;
import static org.livemetrics.transforms.sessions.SessionEvents.impression;
import static org.livemetrics.transforms.sessions.SessionEvents.play;
import static org.livemetrics.transforms.sessions.SessionEvents.stop;
import static org.livemetrics.transforms.sessions.SessionEvents.summary;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.livemetrics.schemas.PlayerEvent;

/**
 * {@link BundleSessions}: a bundle's events, in any order, folded into the runs the session
 * windows would cut (gap 3 min), worked out by hand.
 */
public class BundleSessionsTest {
  private static List<String> runs(List<PlayerEvent> events) {
    BundleSessions bundle = new BundleSessions(180_000);
    events.forEach(bundle::add);
    assertEquals(events.size(), bundle.size());
    List<String> out = new ArrayList<>();
    bundle.emit(kv -> out.add(kv.getKey().sessionKey() + " " + kv.getValue()));
    out.sort(null);
    assertEquals(0, bundle.size());
    return out;
  }

  @Test
  public void eventsOutOfOrderAreCutAtTheStopAndAtGaps() {
    long t0 = at(0, 0);
    List<PlayerEvent> events = List.of(
        summary(at(1, 30), 1, "a", 50_000, 0, 0),
        stop(at(0, 30), 1, "a"),
        play(at(0, 40), 1, "a"),
        impression(at(0, 0), 1, "a"),
        play(at(0, 5), 1, "a"),
        // 1:30 → 4:30 is exactly one gap: a third run.
        summary(at(4, 30), 1, "a", 60_000, 2, 0));
    long key = SessionId.of(events.get(0)).sessionKey();
    assertEquals(List.of(
        key + " session[" + t0 + ".." + at(0, 30) + " stop=" + at(0, 30)
            + " web/v1 impression play played clean@" + at(0, 5) + "]",
        key + " session[" + at(0, 40) + ".." + at(1, 30)
            + " web/v1 play played clean@" + at(1, 30) + "]",
        key + " session[" + at(4, 30) + ".." + at(4, 30) + " web/v1 played rebuffering clean@"
            + at(4, 30) + "]").stream().sorted().toList(), runs(events));
  }
}
