package org.livemetrics.schemas.family;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.Test;
import org.livemetrics.schemas.AggregateStoreLayout;
import org.livemetrics.schemas.elasticsearch.AggregateDocuments;
import org.livemetrics.schemas.elasticsearch.BroadcastDocuments;
import org.livemetrics.schemas.elasticsearch.QosDocuments;

/**
 * What the stored rows made from the descriptions promise beyond being the schemas they replaced
 * ({@link FamilyStoredSchemasTest}): they read the files of the earlier schemas, the tables are
 * those the writers use, and every metric reads only stored fields.
 */
public class FamilyStorageTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Avro schema resolution with the generated schema as reader and an earlier one as writer: the
   * hand-written schemas, and the viewer QoS schema from before its country and device_type sets
   * and its session counts (those columns default to null and 0).
   */
  @Test
  public void generatedSchemasReadTheFilesOfEarlierSchemas() throws IOException {
    assertReads(AudienceFamily.DESCRIPTION, golden("minute_aggregate.avsc"));
    assertReads(BroadcastFamily.DESCRIPTION, golden("broadcast_minute.avsc"));
    Schema qos = golden("qos_minute.avsc");
    assertReads(ViewerQosFamily.DESCRIPTION, qos);
    Set<String> added = Set.of("country", "device_type", "sessions_loaded",
        "exits_before_video_start", "playback_attempts", "playback_failures", "sessions_played",
        "sessions_rebuffered");
    List<Schema.Field> before = new ArrayList<>();
    for (Schema.Field f : qos.getFields()) {
      if (!added.contains(f.name())) {
        before.add(new Schema.Field(f, f.schema()));
      }
    }
    assertEquals(28 - 8, before.size());
    assertReads(ViewerQosFamily.DESCRIPTION,
        Schema.createRecord("QosMinute", null, "org.livemetrics", false, before));
  }

  /**
   * The writers write every column from the row's value the description gives, except {@code
   * version}, which is the write's (the pane index), not the row's.
   */
  @Test
  public void everyColumnButVersionReadsTheRow() {
    for (MetricFamilyDescription f : MetricFamilies.all()) {
      List<String> withoutValue = f.storedFields().stream()
          .filter(c -> c.value() == null).map(MetricFamilyDescription.StoredField::name).toList();
      assertEquals(f.name(), List.of("version"), withoutValue);
    }
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

  private static void assertReads(MetricFamilyDescription family, Schema writer) {
    SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility
        .checkReaderWriterCompatibility(FamilyAvroSchema.of(family), writer);
    assertEquals(family.name() + ": " + result.getDescription(),
        SchemaCompatibilityType.COMPATIBLE, result.getType());
  }

  private static Schema golden(String name) throws IOException {
    try (InputStream in = FamilyStorageTest.class.getResourceAsStream("golden/" + name)) {
      assertNotNull(name, in);
      return new Schema.Parser().parse(MAPPER.readTree(in).toString());
    }
  }
}
