package org.livemetrics.schemas.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import org.livemetrics.schemas.StreamSession;
import org.livemetrics.schemas.family.BroadcastFamily;

/**
 * How a {@link StreamSession} is stored in Elasticsearch:
 *
 * <pre>
 * index template  PREFIX                    (stream_sessions.template.json)
 * one index       PREFIX-all                (every stream, whatever its time)
 * read alias      PREFIX                    (livemetrics-streams by default)
 * document id     arn%3Aaws%3Aivs%3Aus-west-2%3A123%3Achannel%2Fabc:st-1ABC
 * </pre>
 *
 * <p>One index rather than one per day or month: a stream's row is rewritten while it is open and
 * when its end arrives, and its Start may arrive after its End, so no time of the stream is known
 * for good when the row is first written; a time-based index would leave a stale copy behind when
 * the time moved. There is one document per stream, few enough for one index.
 *
 * <p>The id is (channel, stream_id), percent-encoded as in {@link AggregateDocuments#id}: each
 * emission of a stream overwrites the last. Field names are those of {@code stream_session.avsc},
 * {@code version} included (the emission's rank, which shows how current a row is).
 */
public final class StreamDocuments extends TableDocuments<StreamSession> {
  private static final long serialVersionUID = 1L;

  /** The table name of these rows ({@link DocumentFormat#table()}). */
  public static final String TABLE = "streams";
  public static final String DEFAULT_PREFIX =
      DocumentFormat.prefixFor(AggregateDocuments.DEFAULT_PREFIX, TABLE);
  /** The suffix of the one index: {@code PREFIX-all}. */
  public static final String INDEX_SUFFIX = "all";

  public static final StreamDocuments FORMAT = new StreamDocuments();

  public static final String ACCOUNT = "account";
  public static final String REGION = "region";
  public static final String CHANNEL = "channel";
  public static final String CHANNEL_NAME = "channel_name";
  public static final String STREAM_ID = "stream_id";
  public static final String START = "start";
  public static final String END = "end";
  public static final String OUTCOME = "outcome";
  public static final String DURATION_MS = "duration_ms";
  public static final String AS_OF = "as_of";
  public static final String VERSION = "version";
  public static final String SESSION_CREATED = "session_created";
  public static final String SESSION_ENDED = "session_ended";
  public static final String STARVATION_COUNT = BroadcastFamily.STARVATION_COUNT_FIELD;
  public static final String STARVATION_MS = BroadcastFamily.STARVATION_MS_FIELD;

  private static final String KIND = "stream";
  private static final String TEMPLATE_RESOURCE = "stream_sessions.template.json";

  private StreamDocuments() {
    super(TABLE);
  }

  @Override
  public String indexTemplate(String prefix) {
    return Documents.indexTemplate(TEMPLATE_RESOURCE, prefix);
  }

  /** The id of a stream's row: its channel ARN and stream id. */
  public static String id(StreamSession row) {
    return id(row.channelArn(), row.streamId());
  }

  private static String id(String channel, String streamId) {
    return Documents.fitted(Documents.escape(channel) + ':' + Documents.escape(streamId));
  }

  /** The one index of {@code prefix}: {@code PREFIX-all}. */
  public static String index(String prefix) {
    return AggregateDocuments.checkPrefix(prefix) + "-" + INDEX_SUFFIX;
  }

  @Override
  public String toJson(StreamSession s) {
    return Documents.json(512, s, g -> {
      g.writeStringField(ACCOUNT, s.account());
      g.writeStringField(REGION, s.region());
      g.writeStringField(CHANNEL, s.channelArn());
      Documents.optionalString(g, CHANNEL_NAME, s.channelName());
      g.writeStringField(STREAM_ID, s.streamId());
      Documents.optionalNumber(g, START, s.startTime());
      Documents.optionalNumber(g, END, s.endTime());
      g.writeStringField(OUTCOME, s.outcome().apiName());
      Documents.optionalNumber(g, DURATION_MS, s.durationMs());
      g.writeNumberField(AS_OF, s.asOf());
      g.writeNumberField(VERSION, s.version());
      Documents.optionalNumber(g, SESSION_CREATED, s.sessionCreatedTime());
      Documents.optionalNumber(g, SESSION_ENDED, s.sessionEndedTime());
      g.writeNumberField(STARVATION_COUNT, s.starvationCount());
      g.writeNumberField(STARVATION_MS, s.starvationMs());
    });
  }

  /**
   * The row a document holds.
   *
   * @throws IllegalArgumentException naming the field that is missing or malformed
   */
  @Override
  public StreamSession fromDocument(JsonNode doc) {
    StreamSession.Outcome outcome;
    String o = Documents.text(doc, OUTCOME, KIND);
    try {
      outcome = StreamSession.Outcome.fromApiName(o);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("stream document with unknown " + OUTCOME + " '" + o
          + "': " + Documents.abbreviated(doc), e);
    }
    return new StreamSession(
        Documents.text(doc, ACCOUNT, KIND),
        Documents.text(doc, REGION, KIND),
        Documents.text(doc, CHANNEL, KIND),
        Documents.optionalText(doc, CHANNEL_NAME, KIND),
        Documents.text(doc, STREAM_ID, KIND),
        Documents.optionalNumber(doc, START, KIND),
        Documents.optionalNumber(doc, END, KIND),
        outcome,
        Documents.optionalNumber(doc, DURATION_MS, KIND),
        Documents.number(doc, AS_OF, KIND),
        Documents.number(doc, VERSION, KIND),
        Documents.optionalNumber(doc, SESSION_CREATED, KIND),
        Documents.optionalNumber(doc, SESSION_ENDED, KIND),
        Documents.number(doc, STARVATION_COUNT, KIND),
        Documents.number(doc, STARVATION_MS, KIND));
  }

  @Override
  public String id(JsonNode doc) {
    return id(Documents.text(doc, CHANNEL, KIND), Documents.text(doc, STREAM_ID, KIND));
  }

  /** Always {@link #index(String) PREFIX-all}. */
  @Override
  public String index(String prefix, JsonNode doc) {
    return index(prefix);
  }

  private Object readResolve() {
    return FORMAT;
  }
}
