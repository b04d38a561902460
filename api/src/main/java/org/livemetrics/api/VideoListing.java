package org.livemetrics.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.livemetrics.query.AggregateSelection;
import org.livemetrics.query.AggregateStore;
import org.livemetrics.query.QueryRequest;
import org.livemetrics.schemas.DimensionSet;

/**
 * Which videos of an account had viewers in a time range: what a nightly job needs to know which
 * reports to write. The Live Analytics API has no such call (every query names its videos), so it
 * reads the per-minute {@code video} rows of every video of the account from the store.
 */
public final class VideoListing {
  private static final long MINUTE_MS = QueryRequest.MINUTE_MS;

  private VideoListing() {}

  /**
   * A video with stored data in the range.
   *
   * @param peakCcu the highest per-minute {@code ccu}: 0 when rows exist but nobody was viewing
   * @param firstMinute start of the first minute with a stored row, epoch ms
   * @param lastMinute start of the last minute with a stored row, epoch ms
   */
  public record Video(String video, long peakCcu, long firstMinute, long lastMinute) {
    public boolean hadViewers() {
      return peakCcu > 0;
    }
  }

  /**
   * Every video of {@code account} with stored rows in the minutes overlapping {@code [fromMs,
   * toMs)}, sorted by id; {@link Video#hadViewers()} tells which had viewers.
   */
  public static List<Video> videos(AggregateStore store, String account, long fromMs, long toMs)
      throws IOException {
    if (toMs <= fromMs) {
      throw new IllegalArgumentException("to (" + toMs + ") must be after from (" + fromMs + ")");
    }
    long fromMinute = Math.floorDiv(fromMs, MINUTE_MS) * MINUTE_MS;
    long lastMinute = Math.floorDiv(toMs - 1, MINUTE_MS) * MINUTE_MS;
    // No videos: every video of the account. Sketches are not needed, so not read.
    AggregateSelection selection = new AggregateSelection(account, DimensionSet.VIDEO, Set.of(),
        Set.of(), fromMinute, lastMinute, false);
    TreeMap<String, Video> videos = new TreeMap<>();
    store.read(selection, row -> {
      if (!selection.matches(row)) {
        return;
      }
      videos.merge(row.video, new Video(row.video, row.ccu, row.minute, row.minute),
          (a, b) -> new Video(a.video(), Math.max(a.peakCcu(), b.peakCcu()),
              Math.min(a.firstMinute(), b.firstMinute()),
              Math.max(a.lastMinute(), b.lastMinute())));
    });
    return List.copyOf(videos.values());
  }

  private static final JsonFactory JSON = new JsonFactory();

  /**
   * The listing as {@code /v1/videos} answers it: the videos with viewers, each with its first and
   * last stored minute (epoch ms), {@code {"from":…,"to":…,"data":[{"video":…,"first_minute":…,
   * "last_minute":…}]}}. No metric values: the dashboard asks the query endpoints for those.
   */
  static void writeJson(List<Video> videos, long fromMs, long toMs, OutputStream out)
      throws IOException {
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("from", fromMs);
      g.writeNumberField("to", toMs);
      g.writeArrayFieldStart("data");
      for (Video v : videos) {
        if (!v.hadViewers()) {
          continue;
        }
        g.writeStartObject();
        g.writeStringField("video", v.video());
        g.writeNumberField("first_minute", v.firstMinute());
        g.writeNumberField("last_minute", v.lastMinute());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }
}
