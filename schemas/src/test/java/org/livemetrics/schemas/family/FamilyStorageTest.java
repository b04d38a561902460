package org.livemetrics.schemas.family;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.Test;
import org.livemetrics.schemas.AggregateStoreLayout;
import org.livemetrics.schemas.BroadcastAvro;
import org.livemetrics.schemas.MinuteAggregateAvro;
import org.livemetrics.schemas.QosMinuteAvro;
import org.livemetrics.schemas.elasticsearch.AggregateDocuments;
import org.livemetrics.schemas.elasticsearch.BroadcastDocuments;
import org.livemetrics.schemas.elasticsearch.QosDocuments;
import org.livemetrics.schemas.family.MetricFamilyDescription.FieldType;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;

/**
 * The stored fields each family's description names are exactly those of its Avro schema (Parquet)
 * and its Elasticsearch index template, with the right types, and every metric reads only stored
 * fields: a metric added to the description without its column, or a column without its
 * description, fails here.
 */
public class FamilyStorageTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  public void viewerQosMatchesItsAvroSchemaAndIndexTemplate() throws IOException {
    check(ViewerQosFamily.DESCRIPTION, QosMinuteAvro.SCHEMA, "qos_minutes.template.json");
  }

  @Test
  public void audienceMatchesItsAvroSchemaAndIndexTemplate() throws IOException {
    check(AudienceFamily.DESCRIPTION, MinuteAggregateAvro.SCHEMA,
        "minute_aggregates.template.json");
  }

  @Test
  public void broadcastMatchesItsAvroSchemaAndIndexTemplate() throws IOException {
    check(BroadcastFamily.DESCRIPTION, BroadcastAvro.MINUTE_SCHEMA,
        "broadcast_minutes.template.json");
  }

  @Test
  public void tablesAreTheStoresAndIndicesTheWritersUse() {
    assertEquals(AggregateStoreLayout.AGGREGATES_DIR, AudienceFamily.DESCRIPTION.storeDirectory());
    assertEquals(AggregateStoreLayout.QOS_DIR, ViewerQosFamily.DESCRIPTION.storeDirectory());
    assertEquals(AggregateStoreLayout.BROADCAST_DIR, BroadcastFamily.DESCRIPTION.storeDirectory());
    assertEquals(AggregateDocuments.DEFAULT_PREFIX, AudienceFamily.DESCRIPTION.index());
    assertEquals(QosDocuments.DEFAULT_PREFIX, ViewerQosFamily.DESCRIPTION.index());
    assertEquals(BroadcastDocuments.DEFAULT_PREFIX, BroadcastFamily.DESCRIPTION.index());
  }

  /** Spot checks, worked out from the metric definitions by hand. */
  @Test
  public void metricsReadTheFieldsTheirDefinitionsName() {
    assertEquals(List.of("buffering_time_ms", "playing_time_ms"),
        ViewerQosFamily.DESCRIPTION.metric("buffer_ratio").orElseThrow().rollup().fields());
    assertEquals(List.of("startup_sum_ms", "startup_count"),
        ViewerQosFamily.DESCRIPTION.metric("startup_time_ms_mean").orElseThrow().rollup()
            .fields());
    assertEquals(0.95,
        ViewerQosFamily.DESCRIPTION.metric("live_latency_ms_p95").orElseThrow().rank(), 0);
    assertEquals(List.of("ccu", "session_sketch"),
        AudienceFamily.DESCRIPTION.metric("ccu").orElseThrow().rollup().fields());
    assertEquals(List.of("starvation_ms"),
        BroadcastFamily.DESCRIPTION.metric("starvation_seconds").orElseThrow().rollup().fields());
  }

  @Test
  public void noMetricNameIsInTwoFamilies() {
    Set<String> seen = new TreeSet<>();
    for (MetricFamilyDescription f : MetricFamilies.all()) {
      for (String name : f.metricNames()) {
        assertTrue(name + " is in two families", seen.add(name));
      }
    }
    assertEquals(6 + 17 + 3, seen.size()); // audience, viewer QoS (4 of them per session), broadcast
  }

  private static void check(MetricFamilyDescription family, Schema avro, String template)
      throws IOException {
    // Avro: the same fields in the same order, of the declared types.
    List<String> avroNames = new ArrayList<>();
    avro.getFields().forEach(f -> avroNames.add(f.name()));
    assertEquals(family.name() + ": Avro fields",
        family.storedFields().stream().map(StoredField::name).toList(), avroNames);
    for (StoredField f : family.storedFields()) {
      assertEquals(family.name() + "." + f.name() + " in Avro", f.type(),
          avroType(avro.getField(f.name()).schema()));
    }
    // Elasticsearch: the mapped properties are the fields stored there, of matching types.
    JsonNode properties = properties(template);
    Set<String> mapped = new TreeSet<>();
    properties.fieldNames().forEachRemaining(mapped::add);
    Set<String> described = new TreeSet<>();
    for (StoredField f : family.storedFields()) {
      if (f.elasticsearchName() != null) {
        described.add(f.elasticsearchName());
        assertEquals(family.name() + "." + f.name() + " in " + template, esType(f.type()),
            properties.get(f.elasticsearchName()).get("type").asText());
      }
    }
    assertEquals(family.name() + ": " + template + " properties", described, mapped);
    // Every metric reads stored fields only (the description's constructor checks it too).
    family.metrics().forEach(m -> m.rollup().fields().forEach(name -> assertTrue(
        m.apiName() + " reads " + name, family.storedField(name).isPresent())));
  }

  private static FieldType avroType(Schema s) {
    switch (s.getType()) {
      case STRING:
        return FieldType.STRING;
      case UNION:
        assertEquals("[\"null\",\"string\"]", s.toString());
        return FieldType.OPTIONAL_STRING;
      case LONG:
        return s.getLogicalType() instanceof LogicalTypes.TimestampMillis
            ? FieldType.TIMESTAMP_MILLIS : FieldType.LONG;
      case BYTES:
        return FieldType.BYTES;
      case MAP:
        assertEquals(Schema.Type.LONG, s.getValueType().getType());
        return FieldType.MAP_OF_LONG;
      default:
        throw new AssertionError("no described type for " + s);
    }
  }

  private static String esType(FieldType t) {
    return switch (t) {
      case STRING, OPTIONAL_STRING -> "keyword";
      case LONG -> "long";
      case TIMESTAMP_MILLIS -> "date";
      case BYTES -> "binary";
      case MAP_OF_LONG -> "object";
    };
  }

  private static JsonNode properties(String template) throws IOException {
    try (InputStream in = FamilyStorageTest.class.getResourceAsStream(
        "/org/livemetrics/schemas/elasticsearch/" + template)) {
      assertNotNull(template, in);
      return MAPPER.readTree(in).get("template").get("mappings").get("properties");
    }
  }
}
