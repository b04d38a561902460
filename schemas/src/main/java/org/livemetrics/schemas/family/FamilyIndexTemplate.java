package org.livemetrics.schemas.family;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;

/**
 * The composable Elasticsearch index template of a family's stored rows, made from its
 * description: a strict mapping with one property per {@link StoredField} stored there (under its
 * {@link StoredField#elasticsearchName()}), of the type its {@link
 * MetricFamilyDescription.FieldType} names, one shard, the indices {@code PREFIX-*} and the read
 * alias PREFIX.
 *
 * <p>Putting a template applies from the next index on; the streaming job's setup also adds the
 * mapping's new properties to the indices that exist (a changed type needs a reindex).
 */
public final class FamilyIndexTemplate {
  /** Every template's priority, as the hand-written templates had it. */
  static final int PRIORITY = 200;

  private FamilyIndexTemplate() {}

  /** The template for the family's own index prefix ({@link MetricFamilyDescription#index()}). */
  public static ObjectNode of(MetricFamilyDescription family) {
    return of(family, family.index());
  }

  /** The template for the indices {@code prefix-*} and the alias {@code prefix}. */
  public static ObjectNode of(MetricFamilyDescription family, String prefix) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode template = json.objectNode();
    template.putArray("index_patterns").add(prefix + "-*");
    template.put("priority", PRIORITY);
    template.put("version", family.storedRow().templateVersion());
    ObjectNode meta = template.putObject("_meta");
    meta.put("description", family.storedRow().indexDescription());
    meta.put("source", "generated from the " + family.name() + " family's description "
        + "(schemas/src/main/java/org/livemetrics/schemas/family/) by FamilyIndexTemplate");
    ObjectNode body = template.putObject("template");
    body.putObject("settings").putObject("index").put("number_of_shards", 1);
    body.putObject("aliases").putObject(prefix);
    ObjectNode mappings = body.putObject("mappings");
    mappings.put("dynamic", "strict");
    ObjectNode properties = mappings.putObject("properties");
    for (StoredField f : family.storedFields()) {
      if (f.elasticsearchName() != null) {
        properties.set(f.elasticsearchName(), mapping(f, json));
      }
    }
    return template;
  }

  private static ObjectNode mapping(StoredField f, JsonNodeFactory json) {
    ObjectNode m = json.objectNode();
    switch (f.type()) {
      case STRING, OPTIONAL_STRING -> m.put("type", "keyword");
      case LONG -> m.put("type", "long");
      case TIMESTAMP_MILLIS -> m.put("type", "date").put("format", "epoch_millis");
      // Sketches are read whole, never searched or aggregated: no doc values.
      case BYTES -> m.put("type", "binary").put("doc_values", false);
      // Rendition names are data, which a strict mapping cannot list: kept in _source only.
      case MAP_OF_LONG -> m.put("type", "object").put("enabled", false);
    }
    return m;
  }
}
