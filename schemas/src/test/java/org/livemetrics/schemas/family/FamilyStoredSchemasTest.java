package org.livemetrics.schemas.family;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import org.apache.avro.Schema;
import org.junit.Test;
import org.livemetrics.schemas.family.MetricFamilyDescription.Accumulation;
import org.livemetrics.schemas.family.MetricFamilyDescription.FieldType;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;

/**
 * The Avro schemas and index templates generated from the descriptions are the hand-written ones
 * they replaced ({@code golden/}, copied before those were deleted): files and indices written by
 * earlier versions keep reading and taking rows. A change to a stored row shows up here first;
 * update the golden file only for a change that old files and indices survive (a new column with
 * a default, a new property), and say so in the commit.
 */
public class FamilyStoredSchemasTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  public void onlyALongColumnIsADeclaredCount() {
    Accumulation perSession = new Accumulation.PerSession(s -> s.played());
    assertEquals(perSession,
        StoredField.of("sessions_played", FieldType.LONG).counts(perSession).accumulation());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StoredField.of("played_by", FieldType.MAP_OF_LONG).counts(perSession));
    assertEquals("played_by: only a LONG column is a declared count", e.getMessage());
  }

  @Test
  public void audienceAvroSchemaIsTheHandWrittenOne() throws IOException {
    assertAvro("minute_aggregate.avsc", AudienceFamily.DESCRIPTION);
  }

  @Test
  public void viewerQosAvroSchemaIsTheHandWrittenOne() throws IOException {
    assertAvro("qos_minute.avsc", ViewerQosFamily.DESCRIPTION);
  }

  @Test
  public void broadcastAvroSchemaIsTheHandWrittenOne() throws IOException {
    assertAvro("broadcast_minute.avsc", BroadcastFamily.DESCRIPTION);
  }

  @Test
  public void audienceIndexTemplateIsTheHandWrittenOne() throws IOException {
    assertTemplate("minute_aggregates.template.json", AudienceFamily.DESCRIPTION);
  }

  @Test
  public void viewerQosIndexTemplateIsTheHandWrittenOne() throws IOException {
    assertTemplate("qos_minutes.template.json", ViewerQosFamily.DESCRIPTION);
  }

  @Test
  public void broadcastIndexTemplateIsTheHandWrittenOne() throws IOException {
    assertTemplate("broadcast_minutes.template.json", BroadcastFamily.DESCRIPTION);
  }

  /** Only a long can default to 0; an optional string defaults to null by its type. */
  @Test
  public void onlyALongDefaultsToZero() {
    assertThrows(IllegalArgumentException.class,
        () -> StoredField.of("sketch", FieldType.BYTES).defaultsToZero());
  }

  /** The template follows the prefix it is made for (the --elasticsearchIndexPrefix option). */
  @Test
  public void templateForAnotherPrefix() {
    ObjectNode t = FamilyIndexTemplate.of(BroadcastFamily.DESCRIPTION, "staging-broadcast");
    assertEquals("[\"staging-broadcast-*\"]", t.get("index_patterns").toString());
    assertEquals("{\"staging-broadcast\":{}}", t.get("template").get("aliases").toString());
  }

  private static void assertAvro(String golden, MetricFamilyDescription family)
      throws IOException {
    Schema expected = new Schema.Parser().parse(MAPPER.writeValueAsString(read(golden)));
    Schema generated = FamilyAvroSchema.of(family);
    // Names, namespace, types, logical types, defaults, order: what reading old files needs.
    assertEquals(golden, expected, generated);
    // Schema.equals ignores docs: the whole JSON also matches.
    assertEquals(golden, read(golden), MAPPER.readTree(generated.toString()));
  }

  private static void assertTemplate(String golden, MetricFamilyDescription family)
      throws IOException {
    ObjectNode expected = (ObjectNode) read(golden);
    ObjectNode generated = FamilyIndexTemplate.of(family);
    // The one intended difference: the source is the description, not the deleted file.
    assertEquals("schemas/src/main/resources/org/livemetrics/schemas/elasticsearch/" + golden,
        expected.get("_meta").get("source").asText());
    assertEquals("generated from the " + family.name() + " family's description "
        + "(schemas/src/main/java/org/livemetrics/schemas/family/) by FamilyIndexTemplate",
        generated.get("_meta").get("source").asText());
    ((ObjectNode) expected.get("_meta")).remove("source");
    ((ObjectNode) generated.get("_meta")).remove("source");
    assertEquals(golden, expected, generated);
  }

  private static JsonNode read(String golden) throws IOException {
    try (InputStream in = FamilyStoredSchemasTest.class.getResourceAsStream("golden/" + golden)) {
      assertNotNull(golden, in);
      return MAPPER.readTree(in);
    }
  }
}
