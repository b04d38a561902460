package org.livemetrics.query;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.livemetrics.schemas.StreamSession;

/**
 * {@code /v1/streams/accounts/{account}?from=&to=&where=}: the IVS streams of the channels an
 * account owns ({@link ChannelOwners}; {@code *}: every channel) that were live at some time in
 * the range (see {@link StreamSelection} for when a stream is in it), each
 * with its start, end or running duration.
 *
 * <ul>
 *   <li>{@code account}: the livemetrics account whose channels are listed, or {@code *} for
 *       every channel (a stream row carries its AWS account, not a livemetrics one).
 *   <li>{@code where}: optional, {@code region==…}, {@code channel==<ARN>,…}, {@code
 *       outcome==ended|failed|open}, combined with {@code ;}.
 *   <li>{@code from}, {@code to}: epoch ms; the defaults of the other endpoints (the last 32 days).
 * </ul>
 */
public record StreamsRequest(String account, Set<String> regions, Set<String> channels,
    Set<StreamSession.Outcome> outcomes, long from, long to) implements ApiRequest {
  public static final String PATH_NAME = "streams";

  @Override
  public int videoCount() {
    return 0;
  }

  @Override
  public java.util.Optional<String> bucketingParameter() {
    return java.util.Optional.empty();
  }
  private static final List<String> PARAMETERS = List.of("where", "from", "to");
  private static final List<String> WHERE_KEYS = List.of("region", "channel", "outcome");

  public StreamsRequest {
    regions = Set.copyOf(regions);
    channels = Set.copyOf(channels);
    outcomes = Set.copyOf(outcomes);
  }

  static StreamsRequest parse(String account, Map<String, String> params, Clock clock) {
    if (account.isBlank()) {
      throw new QueryException("path", "the account is empty");
    }
    for (String name : params.keySet()) {
      if (!PARAMETERS.contains(name)) {
        throw new QueryException(name, "unknown parameter; /v1/streams takes "
            + String.join(", ", PARAMETERS));
      }
    }
    Set<String> regions = Set.of();
    Set<String> channels = Set.of();
    Set<StreamSession.Outcome> outcomes = Set.of();
    if (params.containsKey("where")) {
      for (Map.Entry<String, List<String>> clause
          : RequestParameters.parseWhere(params.get("where")).entrySet()) {
        List<String> values = clause.getValue();
        switch (clause.getKey()) {
          case "region" -> regions = new LinkedHashSet<>(values);
          case "channel" -> channels = new LinkedHashSet<>(values);
          case "outcome" -> {
            Set<StreamSession.Outcome> o = new LinkedHashSet<>();
            for (String v : values) {
              try {
                o.add(StreamSession.Outcome.fromApiName(v));
              } catch (IllegalArgumentException e) {
                throw new QueryException("where", "unknown outcome '" + v
                    + "'; use ended, failed or open");
              }
            }
            outcomes = o;
          }
          default -> throw new QueryException("where", "/v1/streams filters on "
              + String.join(", ", WHERE_KEYS) + ", not '" + clause.getKey() + "'");
        }
      }
    }
    TimeRange range = TimeRange.resolve(RequestParameters.epochMillis(params, "from"),
        RequestParameters.epochMillis(params, "to"), clock);
    return new StreamsRequest(account, regions, channels, outcomes, range.from(), range.to());
  }

  /** The stream rows to read, of the channels the path account may see. */
  public StreamSelection selection(ChannelScope visible) {
    return new StreamSelection(visible, regions, channels, from, to);
  }

  /** Whether a stream in the selection is also of an asked outcome. */
  public boolean matchesOutcome(StreamSession s) {
    return outcomes.isEmpty() || outcomes.contains(s.outcome());
  }
}
