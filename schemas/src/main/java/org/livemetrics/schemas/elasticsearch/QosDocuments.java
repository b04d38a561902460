package org.livemetrics.schemas.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.Dimension;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.schemas.family.ViewerQosFamily;

/**
 * How a {@link QosMinute} is stored in Elasticsearch, laid out like the aggregates ({@link
 * AggregateDocuments}):
 *
 * <pre>
 * index template  PREFIX                    (FamilyIndexTemplate of ViewerQosFamily)
 * daily indices   PREFIX-2026.11.22         (UTC day of the row's minute)
 * read alias      PREFIX                    (livemetrics-qos by default)
 * document id     1234:client_platform:web:20261122T0513Z
 *                 1234:video_client_platform:5555:ios:20261122T0513Z
 *                 1234:country:BR:20261122T0513Z
 * </pre>
 *
 * Field names are those of the Avro rows ({@code QosMinuteAvro}), except {@code dimension_set} (the Parquet
 * {@code dimensions}); {@code version} is not stored, since a document id holds only the latest
 * write. The two KLL sketches are base64 binaries, stored but not indexed; {@code
 * rendition_playing_ms} is an object from rendition name to milliseconds, kept in {@code _source}
 * only (rendition names are data, and a strict mapping cannot list them).
 */
public final class QosDocuments extends TableDocuments<QosMinute> {
  private static final long serialVersionUID = 1L;

  /** The table name of these rows ({@link DocumentFormat#table()}). */
  public static final String TABLE = "qos";
  public static final String DEFAULT_PREFIX =
      DocumentFormat.prefixFor(AggregateDocuments.DEFAULT_PREFIX, TABLE);

  public static final QosDocuments FORMAT = new QosDocuments();

  public static final String ACCOUNT = "account";
  public static final String DIMENSION_SET = "dimension_set";
  public static final String VIDEO = "video";
  public static final String CLIENT_PLATFORM = "client_platform";
  public static final String COUNTRY = "country";
  public static final String DEVICE_TYPE = "device_type";
  public static final String MINUTE = "minute";
  public static final String CONCURRENT_SESSIONS = ViewerQosFamily.CONCURRENT_SESSIONS_FIELD;
  public static final String ERROR_COUNT = ViewerQosFamily.ERROR_COUNT_FIELD;
  public static final String PLAYING_TIME_MS = ViewerQosFamily.PLAYING_TIME_MS_FIELD;
  public static final String BUFFERING_TIME_MS = ViewerQosFamily.BUFFERING_TIME_MS_FIELD;
  public static final String REBUFFER_COUNT = ViewerQosFamily.REBUFFER_COUNT_FIELD;
  public static final String STARTUP_COUNT = ViewerQosFamily.STARTUP_COUNT_FIELD;
  public static final String STARTUP_SUM_MS = ViewerQosFamily.STARTUP_SUM_MS_FIELD;
  public static final String STARTUP_SKETCH = ViewerQosFamily.STARTUP_SKETCH_FIELD;
  public static final String LIVE_LATENCY_COUNT = ViewerQosFamily.LIVE_LATENCY_COUNT_FIELD;
  public static final String LIVE_LATENCY_SUM_MS = ViewerQosFamily.LIVE_LATENCY_SUM_MS_FIELD;
  public static final String LIVE_LATENCY_SKETCH = ViewerQosFamily.LIVE_LATENCY_SKETCH_FIELD;
  public static final String RENDITION_PLAYING_MS = ViewerQosFamily.RENDITION_PLAYING_MS_FIELD;
  public static final String QUALITY_CHANGES_UP = ViewerQosFamily.QUALITY_CHANGES_UP_FIELD;
  public static final String QUALITY_CHANGES_DOWN = ViewerQosFamily.QUALITY_CHANGES_DOWN_FIELD;
  public static final String SESSIONS_LOADED = ViewerQosFamily.SESSIONS_LOADED_FIELD;
  public static final String EXITS_BEFORE_VIDEO_START = ViewerQosFamily.EXITS_BEFORE_VIDEO_START_FIELD;
  public static final String PLAYBACK_ATTEMPTS = ViewerQosFamily.PLAYBACK_ATTEMPTS_FIELD;
  public static final String PLAYBACK_FAILURES = ViewerQosFamily.PLAYBACK_FAILURES_FIELD;
  public static final String SESSIONS_PLAYED = ViewerQosFamily.SESSIONS_PLAYED_FIELD;
  public static final String SESSIONS_REBUFFERED = ViewerQosFamily.SESSIONS_REBUFFERED_FIELD;
  /** The document field of each dimension a QoS row has. */
  public static final Map<Dimension, String> FIELDS = Map.of(Dimension.VIDEO, VIDEO,
      Dimension.CLIENT_PLATFORM, CLIENT_PLATFORM, Dimension.COUNTRY, COUNTRY,
      Dimension.DEVICE_TYPE, DEVICE_TYPE);

  /** Readers that read no percentile may leave these out of {@code _source}. */
  public static final List<String> SKETCH_FIELDS = List.of(STARTUP_SKETCH, LIVE_LATENCY_SKETCH);

  private static final String KIND = "qos";

  private QosDocuments() {
    super(TABLE);
  }

  /** The template the viewer QoS description makes (FamilyIndexTemplate). */
  @Override
  public String indexTemplate(String prefix) {
    return Documents.indexTemplate(ViewerQosFamily.DESCRIPTION, prefix);
  }

  /**
   * The id of a row: account, dimension set, video (on video rows), platform and minute, each
   * part percent-encoded as in {@link AggregateDocuments#id}, so distinct rows never share one.
   *
   * @throws IllegalArgumentException if the minute is not the start of a minute
   */
  public static String id(QosMinute row) {
    return id(row.account, row.dimensionSet, row::value, row.minute);
  }

  /** {@code account:set[:value of each of the set's dimensions]:minute}. */
  private static String id(String account, QosDimensionSet set,
      Function<Dimension, @Nullable String> values, long minute) {
    String idMinute = Documents.idMinute(minute, set.id() + " row of " + account);
    StringBuilder id = new StringBuilder();
    id.append(Documents.escape(account)).append(':').append(set.name().toLowerCase(Locale.ROOT));
    for (Dimension d : set.dimensions()) {
      String v = values.apply(d);
      if (v == null) {
        throw new IllegalArgumentException(set.id() + " row of " + account + " at " + minute
            + " has no " + d.apiName());
      }
      id.append(':').append(Documents.escape(v));
    }
    id.append(':').append(idMinute);
    return Documents.fitted(id.toString());
  }

  /** The daily index of a minute: {@code PREFIX-YYYY.MM.DD}. */
  public static String index(String prefix, long minute) {
    return Documents.dailyIndex(prefix, minute);
  }

  @Override
  public String toJson(QosMinute row) {
    int sketchBytes = 0;
    for (int i = 0; i < ViewerQosFamily.SKETCHES.size(); i++) {
      sketchBytes += row.sketchAt(i).length;
    }
    return Documents.json(512 + 2 * sketchBytes,
        row, g -> Documents.storedFields(g, ViewerQosFamily.DESCRIPTION, row));
  }

  /**
   * The row a document holds. Sketches left out of {@code _source} come back as empty bytes
   * (which {@link org.livemetrics.schemas.LatencySketch} reads as empty sketches).
   *
   * @throws IllegalArgumentException naming the field that is missing or malformed
   */
  @Override
  public QosMinute fromDocument(JsonNode doc) {
    return Documents.read(ViewerQosFamily.DESCRIPTION, doc, KIND, QosMinute.class);
  }

  @Override
  public String id(JsonNode doc) {
    QosDimensionSet set = dimensionSet(doc);
    return id(Documents.text(doc, ACCOUNT, KIND), set,
        d -> Documents.optionalText(doc, FIELDS.get(d), KIND), Documents.number(doc, MINUTE, KIND));
  }

  @Override
  public String index(String prefix, JsonNode doc) {
    return index(prefix, Documents.number(doc, MINUTE, KIND));
  }

  private static QosDimensionSet dimensionSet(JsonNode doc) {
    String id = Documents.text(doc, DIMENSION_SET, KIND);
    return QosDimensionSet.fromId(id).orElseThrow(
        () -> new IllegalArgumentException("unknown " + DIMENSION_SET + " '" + id + "'"));
  }

  private Object readResolve() {
    return FORMAT;
  }
}
