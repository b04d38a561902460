package org.livemetrics.query;

import java.util.List;
import org.livemetrics.schemas.StreamSession;

/**
 * A {@code /v1/streams} answer: the current row of each stream in the range, by start (a stream
 * without a known start by its end), then channel and stream id.
 */
public record StreamsResult(List<StreamSession> streams) implements QueryResult {
  public StreamsResult {
    streams = List.copyOf(streams);
  }
}
