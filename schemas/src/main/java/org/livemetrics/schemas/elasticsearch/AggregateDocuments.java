package org.livemetrics.schemas.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.Dimension;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.family.AudienceFamily;

/**
 * How a {@link MinuteAggregate} is stored in Elasticsearch: its document, its deterministic id, the
 * daily index it goes to, and the index template that maps those indices. Shared by the streaming
 * sink (pipelines) and the Elasticsearch store of the query layer.
 *
 * <pre>
 * index template  PREFIX                    (FamilyIndexTemplate of AudienceFamily)
 * daily indices   PREFIX-2026.11.22         (UTC day of the row's minute)
 * read alias      PREFIX                    (declared in the template, so every new index joins)
 * document id     1234:video_country:5555:US:20261122T0513Z
 * </pre>
 *
 * PREFIX is {@value #DEFAULT_PREFIX} unless a deployment chooses another. Field names are those of
 * the Parquet rows ({@code MinuteAggregateAvro}), except {@code dimension_set}, which holds the
 * same {@link DimensionSet#id()}.
 */
public final class AggregateDocuments {
  public static final String DEFAULT_PREFIX = "livemetrics-aggregates";
  /** The table name of these rows ({@link DocumentFormat#table()}). */
  public static final String TABLE = "aggregates";

  /** This class's functions as a {@link DocumentFormat}, for the code shared by every kind. */
  public static final DocumentFormat<MinuteAggregate> FORMAT = new Format();

  public static final String ACCOUNT = "account";
  public static final String VIDEO = "video";
  public static final String DIMENSION_SET = "dimension_set";
  public static final String COUNTRY = "country";
  public static final String DEVICE_TYPE = "device_type";
  public static final String MINUTE = "minute";
  public static final String VIDEO_IMPRESSION = AudienceFamily.VIDEO_IMPRESSION_FIELD;
  public static final String VIDEO_VIEW = AudienceFamily.VIDEO_VIEW_FIELD;
  public static final String ALIVE_SS_AD_START = AudienceFamily.ALIVE_SS_AD_START_FIELD;
  public static final String VIDEO_SECONDS_VIEWED_MS = AudienceFamily.VIDEO_SECONDS_VIEWED_MS_FIELD;
  public static final String CCU = AudienceFamily.CCU_FIELD;
  public static final String FINGERPRINT_COUNT = AudienceFamily.FINGERPRINT_COUNT_FIELD;
  public static final String SESSION_SKETCH = AudienceFamily.SESSION_SKETCH_FIELD;
  public static final String FINGERPRINT_SKETCH = AudienceFamily.FINGERPRINT_SKETCH_FIELD;
  /** Most of a document's size: readers that union no sketches leave them out of _source. */
  public static final List<String> SKETCH_FIELDS = List.of(SESSION_SKETCH, FINGERPRINT_SKETCH);

  /** Elasticsearch refuses ids longer than this many bytes. */
  static final int MAX_ID_BYTES = Documents.MAX_ID_BYTES;

  /** How messages name these documents. */
  private static final String KIND = "aggregate";
  /**
   * Index names must be lower case and avoid {@code \ / * ? " < > | , # :} and spaces; this keeps
   * to a plain subset, and a prefix of at most 200 characters leaves room for the day suffix.
   */
  private static final Pattern PREFIX = Pattern.compile("[a-z0-9][a-z0-9._-]{0,199}");

  private AggregateDocuments() {}

  // ---------------------------------------------------------------------------------------------
  // Names

  /**
   * The prefix, checked: daily indices are {@code PREFIX-YYYY.MM.DD}, the alias and the template
   * are named {@code PREFIX}.
   *
   * @throws IllegalArgumentException saying what a valid prefix looks like
   */
  public static String checkPrefix(String prefix) {
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("Elasticsearch index prefix '" + prefix
          + "' is not usable: use lower-case letters, digits, '.', '_' and '-' (starting with a"
          + " letter or digit), at most 200 characters");
    }
    return prefix;
  }

  /** The daily index of a row's minute: {@code PREFIX-YYYY.MM.DD}, the UTC day. */
  public static String index(String prefix, long minute) {
    return Documents.dailyIndex(prefix, minute);
  }

  /** The pattern matching every daily index of {@code prefix} (and nothing of the alias). */
  public static String indexPattern(String prefix) {
    return prefix + "-*";
  }

  /**
   * The document id of a row: account, dimension set, video, secondary value (country or device
   * type, for those sets) and minute, joined by {@code :}. Every part that comes from the data is
   * percent-encoded beyond {@code [A-Za-z0-9._~-]}, so the separator never occurs inside a part,
   * the id is safe in a URL path, and distinct rows cannot share an id. The same row always gets
   * the same id: a re-fired pane or a replay overwrites the document instead of adding one.
   *
   * <p>An id that would exceed Elasticsearch's 512 bytes (only absurdly long video ids do that)
   * keeps its readable start and ends in the SHA-256 of the full id, still deterministic.
   *
   * @throws IllegalArgumentException if the row's minute is not the start of a minute, or a
   *     country or device type row lacks its value: either would make ids collide
   */
  public static String id(MinuteAggregate row) {
    return id(row.account, row.dimensionSet, row.video, row.secondaryValue(), row.minute);
  }

  /** {@link #id(MinuteAggregate)} of a document as {@link #toJson} wrote it. */
  public static String id(JsonNode document) {
    DimensionSet set = dimensionSet(document);
    String secondary = set.secondary()
        .map(d -> optionalText(document, secondaryField(d)))
        .orElse(null);
    return id(text(document, ACCOUNT), set, text(document, VIDEO), secondary,
        number(document, MINUTE));
  }

  /** {@link #index(String, long)} of a document as {@link #toJson} wrote it. */
  public static String index(String prefix, JsonNode document) {
    return index(prefix, number(document, MINUTE));
  }

  private static String id(String account, DimensionSet set, String video,
      @Nullable String secondary, long minute) {
    String idMinute = Documents.idMinute(minute, set.id() + " row of video " + video);
    StringBuilder id = new StringBuilder();
    id.append(Documents.escape(account)).append(':').append(set.name().toLowerCase(Locale.ROOT))
        .append(':').append(Documents.escape(video));
    if (set.secondary().isPresent()) {
      if (secondary == null) {
        throw new IllegalArgumentException(set.id() + " row of video " + video + " at " + minute
            + " has no " + set.secondary().get().apiName());
      }
      id.append(':').append(Documents.escape(secondary));
    }
    id.append(':').append(idMinute);
    return Documents.fitted(id.toString());
  }

  // ---------------------------------------------------------------------------------------------
  // Documents

  /**
   * The row as the document Elasticsearch stores: dimensions as keywords (country and device type
   * only on their rows), the minute as epoch ms, metrics as numbers, the sketches as base64.
   */
  public static String toJson(MinuteAggregate row) {
    return Documents.json(256 + 2 * (row.sessionSketch.length + row.fingerprintSketch.length),
        row, g -> Documents.storedFields(g, AudienceFamily.DESCRIPTION, row));
  }

  /**
   * The row a document ({@code _source}) holds. Sketches left out of the source (see {@link
   * #SKETCH_FIELDS}) come back as empty bytes, as the Parquet store returns them.
   *
   * @throws IllegalArgumentException naming the field that is missing or malformed
   */
  public static MinuteAggregate fromDocument(JsonNode source) {
    return Documents.read(AudienceFamily.DESCRIPTION, source, KIND, MinuteAggregate.class);
  }

  /** The document field of a secondary dimension: {@code country} or {@code device_type}. */
  public static String secondaryField(Dimension dimension) {
    switch (dimension) {
      case COUNTRY:
        return COUNTRY;
      case DEVICE_TYPE:
        return DEVICE_TYPE;
      default:
        throw new IllegalArgumentException(dimension + " is not a secondary dimension");
    }
  }

  private static DimensionSet dimensionSet(JsonNode doc) {
    String id = text(doc, DIMENSION_SET);
    return DimensionSet.fromId(id).orElseThrow(
        () -> new IllegalArgumentException("unknown " + DIMENSION_SET + " '" + id + "'"));
  }

  private static String text(JsonNode doc, String field) {
    return Documents.text(doc, field, KIND);
  }

  private static @Nullable String optionalText(JsonNode doc, String field) {
    return Documents.optionalText(doc, field, KIND);
  }

  private static long number(JsonNode doc, String field) {
    return Documents.number(doc, field, KIND);
  }

  // ---------------------------------------------------------------------------------------------
  // Template

  /** The composable index template of the default prefix. */
  public static String indexTemplate() {
    return indexTemplate(DEFAULT_PREFIX);
  }

  /**
   * The composable index template ({@code PUT _index_template/PREFIX}) for the daily indices of
   * {@code prefix}: their mappings, settings and the alias they join.
   */
  public static String indexTemplate(String prefix) {
    return Documents.indexTemplate(AudienceFamily.DESCRIPTION, prefix);
  }

  private static final class Format implements DocumentFormat<MinuteAggregate> {
    private static final long serialVersionUID = 1L;

    @Override
    public String table() {
      return TABLE;
    }

    @Override
    public String toJson(MinuteAggregate row) {
      return AggregateDocuments.toJson(row);
    }

    @Override
    public MinuteAggregate fromDocument(JsonNode document) {
      return AggregateDocuments.fromDocument(document);
    }

    @Override
    public String id(JsonNode document) {
      return AggregateDocuments.id(document);
    }

    @Override
    public String index(String prefix, JsonNode document) {
      return AggregateDocuments.index(prefix, document);
    }

    @Override
    public String indexTemplate(String prefix) {
      return AggregateDocuments.indexTemplate(prefix);
    }

    private Object readResolve() {
      return FORMAT;
    }
  }
}
