package org.livemetrics.schemas.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.family.BroadcastFamily;

/**
 * How a {@link BroadcastMinute} is stored in Elasticsearch, laid out like the aggregates ({@link
 * AggregateDocuments}):
 *
 * <pre>
 * index template  PREFIX                    (FamilyIndexTemplate of BroadcastFamily)
 * daily indices   PREFIX-2026.11.22         (UTC day of the row's minute)
 * read alias      PREFIX                    (livemetrics-broadcast by default)
 * document id     all:20261122T0513Z
 *                 region:us-west-2:20261122T0513Z
 *                 channel:us-west-2:arn%3Aaws%3Aivs%3A...%3Achannel%2Fabc:20261122T0513Z
 * </pre>
 *
 * Field names are those of the Avro rows ({@code BroadcastAvro}), except {@code dimension_set} (the
 * Parquet {@code dimensions}: {@code ""}, {@code region} or {@code region,channel}); {@code
 * version} is not stored, since a document id holds only the latest write. Broadcast rows carry
 * no account: IVS channels are identified by their ARN, which contains the AWS account.
 */
public final class BroadcastDocuments extends TableDocuments<BroadcastMinute> {
  private static final long serialVersionUID = 1L;

  /** The table name of these rows ({@link DocumentFormat#table()}). */
  public static final String TABLE = "broadcast";
  public static final String DEFAULT_PREFIX =
      DocumentFormat.prefixFor(AggregateDocuments.DEFAULT_PREFIX, TABLE);

  public static final BroadcastDocuments FORMAT = new BroadcastDocuments();

  public static final String DIMENSION_SET = "dimension_set";
  public static final String REGION = "region";
  public static final String CHANNEL = "channel";
  public static final String CHANNEL_NAME = "channel_name";
  public static final String MINUTE = "minute";
  public static final String LIVE_CHANNELS = BroadcastFamily.LIVE_CHANNELS_FIELD;
  public static final String STARVATION_COUNT = BroadcastFamily.STARVATION_COUNT_FIELD;
  public static final String STARVATION_MS = BroadcastFamily.STARVATION_MS_FIELD;

  private static final String KIND = "broadcast";

  private BroadcastDocuments() {
    super(TABLE);
  }

  /** The template the broadcast description makes (FamilyIndexTemplate). */
  @Override
  public String indexTemplate(String prefix) {
    return Documents.indexTemplate(BroadcastFamily.DESCRIPTION, prefix);
  }

  /**
   * The id of a row: scope, region and channel (as the scope has them) and minute, each part
   * percent-encoded as in {@link AggregateDocuments#id}. The channel name is not part of it: it is
   * a label IVS may or may not send, not the channel's identity.
   *
   * @throws IllegalArgumentException if the minute is not the start of a minute
   */
  public static String id(BroadcastMinute row) {
    return id(row.scope(), row.region(), row.channelArn(), row.minute());
  }

  private static String id(BroadcastMinute.Scope scope, @Nullable String region,
      @Nullable String channel, long minute) {
    String idMinute = Documents.idMinute(minute, scope + " broadcast row");
    StringBuilder id = new StringBuilder(scope.name().toLowerCase(Locale.ROOT));
    if (region != null) {
      id.append(':').append(Documents.escape(region));
    }
    if (channel != null) {
      id.append(':').append(Documents.escape(channel));
    }
    id.append(':').append(idMinute);
    return Documents.fitted(id.toString());
  }

  /** The daily index of a minute: {@code PREFIX-YYYY.MM.DD}. */
  public static String index(String prefix, long minute) {
    return Documents.dailyIndex(prefix, minute);
  }

  @Override
  public String toJson(BroadcastMinute row) {
    return Documents.json(256, row,
        g -> Documents.storedFields(g, BroadcastFamily.DESCRIPTION, row));
  }

  /**
   * The row a document holds.
   *
   * @throws IllegalArgumentException naming the field that is missing or malformed
   */
  @Override
  public BroadcastMinute fromDocument(JsonNode doc) {
    return Documents.read(BroadcastFamily.DESCRIPTION, doc, KIND, BroadcastMinute.class);
  }

  @Override
  public String id(JsonNode doc) {
    return id(scope(doc), Documents.optionalText(doc, REGION, KIND),
        Documents.optionalText(doc, CHANNEL, KIND), Documents.number(doc, MINUTE, KIND));
  }

  @Override
  public String index(String prefix, JsonNode doc) {
    return index(prefix, Documents.number(doc, MINUTE, KIND));
  }

  private static BroadcastMinute.Scope scope(JsonNode doc) {
    return BroadcastMinute.Scope.fromId(Documents.text(doc, DIMENSION_SET, KIND));
  }

  private Object readResolve() {
    return FORMAT;
  }
}
