package org.livemetrics.schemas.elasticsearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.family.FamilyIndexTemplate;
import org.livemetrics.schemas.family.MetricFamilyDescription;
import org.livemetrics.schemas.family.MetricFamilyDescription.FieldType;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;
import org.livemetrics.schemas.family.StoredValues;

/**
 * What every {@link DocumentFormat} shares: id parts, the daily index, reading typed fields with
 * messages that name the field, and an index template for a prefix. One place,
 * so the kinds of rows cannot drift apart in how their ids are escaped or their templates aliased.
 */
final class Documents {
  /** Elasticsearch refuses ids longer than this many bytes. */
  static final int MAX_ID_BYTES = 512;

  static final ObjectMapper MAPPER = new ObjectMapper();
  static final JsonFactory JSON = MAPPER.getFactory();

  private static final long MINUTE_MS = 60_000L;
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ID_MINUTE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);

  private Documents() {}

  /** The daily index of a minute: {@code PREFIX-YYYY.MM.DD}, the UTC day. */
  static String dailyIndex(String prefix, long minute) {
    return prefix + "-" + DAY.format(Instant.ofEpochMilli(minute));
  }

  /**
   * The minute as an id part, {@code 20261122T0513Z}.
   *
   * @throws IllegalArgumentException naming {@code what} when it is not the start of a minute
   */
  static String idMinute(long minute, String what) {
    if (minute % MINUTE_MS != 0) {
      throw new IllegalArgumentException("minute " + minute + " of " + what
          + " is not the start of a minute");
    }
    return ID_MINUTE.format(Instant.ofEpochMilli(minute));
  }

  /** An id part: percent-encoded beyond {@code [A-Za-z0-9._~-]}, so {@code :} never occurs. */
  static String escape(String part) {
    StringBuilder out = new StringBuilder(part.length());
    for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '~' || c == '-') {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /** The id itself, or its first 400 characters, {@code ~}, and its SHA-256 when too long. */
  static String fitted(String id) {
    if (id.length() <= MAX_ID_BYTES) { // ASCII only after escaping: chars are bytes
      return id;
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(id.getBytes(StandardCharsets.UTF_8));
      return id.substring(0, 400) + "~" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Writes one document with {@code body}; the generator's IO errors become unchecked. */
  static String json(int sizeHint, Object row, Body body) {
    StringWriter out = new StringWriter(sizeHint);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the document of " + row, e);
    }
    return out.toString();
  }

  /** The fields of a document. */
  interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  /**
   * The fields of a metric family's row stored in Elasticsearch, each under its Elasticsearch name
   * as its type holds it: strings, numbers, sketches in base64, maps as objects; an optional
   * string that is null is left out.
   */
  static void storedFields(JsonGenerator g, MetricFamilyDescription family, Object row)
      throws IOException {
    for (StoredField f : family.storedFields()) {
      String name = f.elasticsearchName();
      if (name == null || f.value() == null) {
        continue;
      }
      Object v = f.value().apply(row);
      switch (f.type()) {
        case STRING -> g.writeStringField(name, (String) v);
        case OPTIONAL_STRING -> optionalString(g, name, (String) v);
        case LONG, TIMESTAMP_MILLIS -> g.writeNumberField(name, (Long) v);
        case BYTES -> g.writeBinaryField(name, (byte[]) v);
        case MAP_OF_LONG -> {
          g.writeObjectFieldStart(name);
          for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
            g.writeNumberField((String) e.getKey(), (Long) e.getValue());
          }
          g.writeEndObject();
        }
      }
    }
  }

  static void optionalString(JsonGenerator g, String field, @Nullable String value)
      throws IOException {
    if (value != null) {
      g.writeStringField(field, value);
    }
  }

  static void optionalNumber(JsonGenerator g, String field, @Nullable Long value)
      throws IOException {
    if (value != null) {
      g.writeNumberField(field, value);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reading fields; {@code kind} names the document kind in messages ("aggregate", "qos", ...).

  /**
   * The row a document ({@code _source}) holds, read as its family's description says ({@link
   * MetricFamilyDescription.StoredRow#read}). Sketches left out of the source come back as empty
   * bytes, as the Parquet store returns them; a {@code defaultsToZero} field a document was
   * written without, as 0.
   *
   * @throws IllegalArgumentException naming the field that is missing or malformed
   */
  static <R> R read(MetricFamilyDescription family, JsonNode doc, String kind, Class<R> type) {
    return family.readRow(new DocumentValues(family, doc, kind), type);
  }

  private static final class DocumentValues extends StoredValues {
    private final JsonNode doc;
    private final String kind;

    DocumentValues(MetricFamilyDescription family, JsonNode doc, String kind) {
      super(family);
      this.doc = doc;
      this.kind = kind;
    }

    private String name(String field, FieldType... types) {
      return storedName(field(field, types));
    }

    @Override
    public String text(String field) {
      return Documents.text(doc, name(field, FieldType.STRING), kind);
    }

    @Override
    public @Nullable String optionalText(String field) {
      return Documents.optionalText(doc, name(field, FieldType.OPTIONAL_STRING), kind);
    }

    @Override
    public long number(String field) {
      StoredField f = field(field, FieldType.LONG, FieldType.TIMESTAMP_MILLIS);
      if (f.zeroByDefault()) {
        Long v = Documents.optionalNumber(doc, storedName(f), kind);
        return v == null ? 0 : v;
      }
      return Documents.number(doc, storedName(f), kind);
    }

    @Override
    public byte[] bytes(String field) {
      return Documents.binary(doc, name(field, FieldType.BYTES), kind);
    }

    @Override
    public Map<String, Long> longs(String field) {
      String name = name(field, FieldType.MAP_OF_LONG);
      Map<String, Long> out = new TreeMap<>();
      JsonNode v = doc.get(name);
      if (v != null && !v.isNull()) {
        if (!v.isObject()) {
          throw new IllegalArgumentException(kind + " document whose " + name
              + " is not an object: " + abbreviated(doc));
        }
        v.fieldNames().forEachRemaining(
            key -> out.put(key, Documents.number(v, key, kind + " " + name)));
      }
      return out;
    }

    /** Its Elasticsearch name; a field not stored there cannot be read from a document. */
    @Override
    protected String storedName(StoredField field) {
      if (field.elasticsearchName() == null) {
        throw new IllegalStateException(field.name() + " of " + family.name()
            + " is not stored in Elasticsearch");
      }
      return field.elasticsearchName();
    }
  }

  static String text(JsonNode doc, String field, String kind) {
    JsonNode v = doc.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException(kind + " document without text field " + field + ": "
          + abbreviated(doc));
    }
    return v.textValue();
  }

  static @Nullable String optionalText(JsonNode doc, String field, String kind) {
    JsonNode v = doc.get(field);
    return v == null || v.isNull() ? null : text(doc, field, kind);
  }

  static long number(JsonNode doc, String field, String kind) {
    JsonNode v = doc.get(field);
    if (v == null || !v.canConvertToExactIntegral() || !v.canConvertToLong()) {
      throw new IllegalArgumentException(kind + " document without whole-number field " + field
          + ": " + abbreviated(doc));
    }
    return v.longValue();
  }

  static @Nullable Long optionalNumber(JsonNode doc, String field, String kind) {
    JsonNode v = doc.get(field);
    return v == null || v.isNull() ? null : number(doc, field, kind);
  }

  /** Base64 bytes; a field left out of {@code _source} comes back as empty bytes. */
  static byte[] binary(JsonNode doc, String field, String kind) {
    JsonNode v = doc.get(field);
    if (v == null) {
      return new byte[0];
    }
    try {
      return v.binaryValue();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(kind + " document with a malformed " + field
          + " (not base64): " + abbreviated(doc), e);
    }
  }

  static String abbreviated(JsonNode doc) {
    String s = doc.toString();
    return s.length() <= 300 ? s : s.substring(0, 300) + "…";
  }

  // ---------------------------------------------------------------------------------------------
  // Templates

  /** A metric family's index template ({@link FamilyIndexTemplate}) for {@code prefix}. */
  static String indexTemplate(MetricFamilyDescription family, String prefix) {
    AggregateDocuments.checkPrefix(prefix);
    return FamilyIndexTemplate.of(family, prefix).toString();
  }

  /**
   * The composable index template in {@code resource} (beside this class) for {@code prefix}:
   * its {@code index_patterns} become {@code PREFIX-*} and it declares the alias PREFIX.
   */
  static String indexTemplate(String resource, String prefix) {
    AggregateDocuments.checkPrefix(prefix);
    ObjectNode template;
    try (InputStream in = Documents.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing index template resource " + resource);
      }
      template = (ObjectNode) MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the index template " + resource, e);
    }
    template.putArray("index_patterns").add(AggregateDocuments.indexPattern(prefix));
    ObjectNode aliases = ((ObjectNode) template.get("template")).putObject("aliases");
    aliases.putObject(prefix);
    return template.toString();
  }
}
