package org.livemetrics.transforms.broadcast;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.BroadcastEvent;
import org.livemetrics.schemas.BroadcastEventType;
import org.livemetrics.transforms.parse.DeadLetterReason;
import org.livemetrics.transforms.parse.PlayerRecordParser;
import org.livemetrics.transforms.parse.RawRecord;
import org.livemetrics.transforms.parse.RecordFramer;
import org.livemetrics.transforms.parse.RecordRejectedException;
import org.livemetrics.transforms.parse.RejectedRecord;

/**
 * Turns a {@link RawRecord} holding EventBridge events (one JSON object, or several: one per line
 * or concatenated, framed as player records are) into {@link BroadcastEvent}s, rejected records
 * and ignored events. Plain Java (no Beam); one instance per thread.
 *
 * <p>The contract, EventBridge's envelope with IVS's detail:
 *
 * <ul>
 *   <li>{@code source}, when present, must be {@code aws.ivs}; anything else is ignored.
 *   <li>{@code detail-type} (required): {@code IVS Stream State Change} or {@code IVS Stream Health
 *       Change}; any other is ignored (IVS Limit Breach, recording, stage and composition events).
 *   <li>{@code detail.event_name} (required): a name of {@link BroadcastEventType}; a name IVS may
 *       add later is ignored, not rejected.
 *   <li>Required: {@code id}, {@code time} (ISO-8601, between 2000 and 2100), {@code
 *       resources[0]} (the channel ARN, {@code arn:aws:ivs:REGION:ACCOUNT:channel/ID}), {@code
 *       detail.stream_id}. {@code region} and {@code account} default to the ARN's; {@code
 *       detail.channel_name} is optional.
 * </ul>
 */
public final class BroadcastEventDecoder {
  public static final String SOURCE = "aws.ivs";

  /** Why an event was left out without being a dead letter. */
  public enum Ignored {
    /** {@code source} is not aws.ivs. */
    SOURCE,
    /** A {@code detail-type} the broadcast metrics do not read. */
    DETAIL_TYPE,
    /** An {@code event_name} of a read detail type that is none of the known ones. */
    EVENT_NAME
  }

  /** Where decoded events, rejected records and ignored events go. */
  public interface Output {
    void event(BroadcastEvent event) throws Exception;

    void rejected(RejectedRecord record, RecordRejectedException why) throws Exception;

    void ignored(Ignored why) throws Exception;
  }

  private final ObjectMapper json = new ObjectMapper();

  public void decode(RawRecord raw, Output out) throws Exception {
    byte[] buf = raw.payload();
    RecordFramer.frame(buf, 0, buf.length, (start, end, line, closed) -> {
      try {
        Optional<BroadcastEvent> e = decodeOne(buf, start, end);
        if (e.isPresent()) {
          out.event(e.get());
        }
      } catch (IgnoredException i) {
        out.ignored(i.why);
      } catch (RecordRejectedException r) {
        out.rejected(RejectedRecord.of(raw.source(), raw.firstLine() + line, buf, start, end), r);
      }
    });
  }

  /** Thrown inside decodeOne for an event that is valid but not ours. */
  private static final class IgnoredException extends Exception {
    private static final long serialVersionUID = 1L;
    final Ignored why;

    IgnoredException(Ignored why) {
      super(why.name(), null, false, false);
      this.why = why;
    }
  }

  private Optional<BroadcastEvent> decodeOne(byte[] buf, int start, int end)
      throws RecordRejectedException, IgnoredException {
    JsonNode root;
    try {
      root = json.readTree(buf, start, end - start);
    } catch (JsonProcessingException e) {
      throw new RecordRejectedException(DeadLetterReason.MALFORMED_JSON, e.getOriginalMessage());
    } catch (IOException e) {
      throw new RecordRejectedException(DeadLetterReason.MALFORMED_JSON, String.valueOf(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new RecordRejectedException(DeadLetterReason.NOT_AN_OBJECT,
          "expected a JSON object, found " + (root == null ? "nothing" : root.getNodeType()));
    }
    String source = optionalText(root, "source");
    if (source != null && !SOURCE.equals(source)) {
      throw new IgnoredException(Ignored.SOURCE);
    }
    String detailType = requiredText(root, "detail-type");
    if (!BroadcastEventType.isHandledDetailType(detailType)) {
      throw new IgnoredException(Ignored.DETAIL_TYPE);
    }
    JsonNode detail = root.get("detail");
    if (detail == null || detail.isNull()) {
      throw new RecordRejectedException(DeadLetterReason.MISSING_FIELD, "detail is missing");
    }
    if (!detail.isObject()) {
      throw invalid("detail", "expected an object, found " + detail.getNodeType());
    }
    String eventName = requiredText(detail, "event_name", "detail.event_name");
    Optional<BroadcastEventType> type = BroadcastEventType.of(detailType, eventName);
    if (type.isEmpty()) {
      throw new IgnoredException(Ignored.EVENT_NAME);
    }
    String id = requiredText(root, "id");
    long time = time(requiredText(root, "time"));
    String arn = channelArn(root.get("resources"));
    String[] arnParts = arn.split(":", 6); // arn, aws, ivs, region, account, channel/ID
    String region = optionalText(root, "region");
    String account = optionalText(root, "account");
    String streamId = requiredText(detail, "stream_id", "detail.stream_id");
    return Optional.of(new BroadcastEvent(id, type.get(), time,
        account != null ? account : arnParts[4], region != null ? region : arnParts[3], arn,
        optionalText(detail, "channel_name"), streamId));
  }

  private static String channelArn(@Nullable JsonNode resources) throws RecordRejectedException {
    if (resources == null || resources.isNull() || (resources.isArray() && resources.isEmpty())) {
      throw new RecordRejectedException(DeadLetterReason.MISSING_FIELD,
          "resources is missing: it names the channel");
    }
    if (!resources.isArray() || !resources.get(0).isTextual()) {
      throw invalid("resources", "expected an array of channel ARNs");
    }
    String arn = resources.get(0).asText().trim();
    String[] parts = arn.split(":", 6);
    if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("ivs")
        || parts[3].isEmpty() || !parts[5].startsWith("channel/")) {
      throw invalid("resources", "'" + arn + "' is not an IVS channel ARN"
          + " (arn:aws:ivs:REGION:ACCOUNT:channel/ID)");
    }
    return arn;
  }

  private static long time(String value) throws RecordRejectedException {
    long ms;
    try {
      ms = Instant.parse(value).toEpochMilli();
    } catch (DateTimeParseException e) {
      try {
        ms = OffsetDateTime.parse(value).toInstant().toEpochMilli();
      } catch (DateTimeParseException e2) {
        throw invalid("time", "'" + value + "' is not an ISO-8601 time like 2020-10-01T02:01:58Z");
      }
    }
    if (!PlayerRecordParser.isPlausibleEventTime(ms)) {
      throw invalid("time", "'" + value + "' is not between 2000 and 2100");
    }
    return ms;
  }

  private static String requiredText(JsonNode node, String field) throws RecordRejectedException {
    return requiredText(node, field, field);
  }

  private static String requiredText(JsonNode node, String field, String path)
      throws RecordRejectedException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
      throw new RecordRejectedException(DeadLetterReason.MISSING_FIELD, path + " is missing");
    }
    if (!v.isTextual()) {
      throw invalid(path, "expected a string, found " + v.getNodeType());
    }
    return v.asText().trim();
  }

  private static @Nullable String optionalText(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      return null;
    }
    return v.asText().trim();
  }

  private static RecordRejectedException invalid(String field, String detail) {
    return new RecordRejectedException(DeadLetterReason.INVALID_FIELD, field + ": " + detail);
  }
}
