package org.livemetrics.schemas.elasticsearch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.Test;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.DistinctSketch;
import org.livemetrics.schemas.MinuteAggregate;

public class AggregateDocumentsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static long t(String isoMinute) {
    return Instant.parse(isoMinute + ":00Z").toEpochMilli();
  }

  private static MinuteAggregate row(String account, DimensionSet set, String video,
      String secondary, long minute) {
    return new MinuteAggregate(account, video, set,
        set == DimensionSet.VIDEO_COUNTRY ? secondary : null,
        set == DimensionSet.VIDEO_DEVICE_TYPE ? secondary : null,
        minute, new long[] {3, 2, 1, 61_500}, new long[] {2, 1}, new byte[][] {
            DistinctSketch.of(new long[] {11, 12}, 2), DistinctSketch.of(new long[] {11}, 1)});
  }

  private static MinuteAggregate video(String account, String video, long minute) {
    return row(account, DimensionSet.VIDEO, video, null, minute);
  }

  private static JsonNode parsed(String json) throws Exception {
    return MAPPER.readTree(json);
  }

  @Test
  public void theIdJoinsTheRowsKeyReadably() {
    long minute = t("2026-11-22T05:13");
    assertEquals("1234:video:5555:20261122T0513Z",
        AggregateDocuments.id(video("1234", "5555", minute)));
    assertEquals("1234:video_country:5555:US:20261122T0513Z",
        AggregateDocuments.id(row("1234", DimensionSet.VIDEO_COUNTRY, "5555", "US", minute)));
    assertEquals("1234:video_device_type:5555:smart_tv:20261122T0513Z",
        AggregateDocuments.id(
            row("1234", DimensionSet.VIDEO_DEVICE_TYPE, "5555", "smart_tv", minute)));
  }

  @Test
  public void theSameRowAlwaysGetsTheSameIdWhateverItsValues() throws Exception {
    long minute = t("2026-11-22T05:13");
    MinuteAggregate early = row("1234", DimensionSet.VIDEO_COUNTRY, "5555", "US", minute);
    // A later accumulating pane of the same row: other values, the same key.
    MinuteAggregate later = new MinuteAggregate("1234", "5555", DimensionSet.VIDEO_COUNTRY, "US",
        null, minute, new long[] {30, 20, 10, 615_000}, new long[] {20, 10}, new byte[][] {
            DistinctSketch.of(new long[] {1, 2, 3}, 3), DistinctSketch.of(new long[] {1}, 1)});
    assertEquals(AggregateDocuments.id(early), AggregateDocuments.id(later));
    // The sink computes the id from the document it writes: it must agree with the row's.
    assertEquals(AggregateDocuments.id(early),
        AggregateDocuments.id(parsed(AggregateDocuments.toJson(later))));
    assertEquals(AggregateDocuments.index("p", minute),
        AggregateDocuments.index("p", parsed(AggregateDocuments.toJson(later))));
  }

  @Test
  public void distinctRowsGetDistinctUrlSafeIds() throws Exception {
    long m1 = t("2026-11-22T05:13");
    long m2 = t("2026-11-22T05:14");
    List<MinuteAggregate> rows = new ArrayList<>(List.of(
        video("1234", "5555", m1),
        video("1234", "5555", m2),
        video("1234", "5556", m1),
        video("1235", "5555", m1),
        // The same values under each dimension set: the set keeps them apart.
        row("1234", DimensionSet.VIDEO_COUNTRY, "5555", "unknown", m1),
        row("1234", DimensionSet.VIDEO_DEVICE_TYPE, "5555", "unknown", m1),
        row("1234", DimensionSet.VIDEO_COUNTRY, "5555", "US", m1),
        row("1234", DimensionSet.VIDEO_COUNTRY, "5555", "FR", m1),
        // Separators and escapes inside values cannot make two keys meet.
        video("1:2", "3", m1),
        video("1", "2:3", m1),
        video("1234", "a%3Ab", m1),
        video("1234", "a:b", m1),
        row("1234", DimensionSet.VIDEO_COUNTRY, "5555:US", "FR", m1),
        row("1234", DimensionSet.VIDEO_COUNTRY, "5555", "US:FR", m1),
        video("1234", "ref/üñí code?x=1#y", m1),
        video("1234", "", m1)));
    Set<String> ids = new HashSet<>();
    for (MinuteAggregate r : rows) {
      String id = AggregateDocuments.id(r);
      assertTrue("URL-safe: " + id, id.matches("[A-Za-z0-9._~%:-]+"));
      assertTrue("duplicate id " + id + " for " + r, ids.add(id));
      assertEquals(id, AggregateDocuments.id(parsed(AggregateDocuments.toJson(r))));
    }
    assertEquals("1234:video:ref%2F%C3%BC%C3%B1%C3%AD%20code%3Fx%3D1%23y:20261122T0513Z",
        AggregateDocuments.id(video("1234", "ref/üñí code?x=1#y", m1)));
  }

  @Test
  public void overlongIdsStayDeterministicDistinctAndWithinElasticsearchsLimit() {
    long m = t("2026-11-22T05:13");
    String a = "v".repeat(600) + "a";
    String b = "v".repeat(600) + "b";
    String idA = AggregateDocuments.id(video("1234", a, m));
    assertThat(idA.length(), lessThanOrEqualTo(AggregateDocuments.MAX_ID_BYTES));
    assertThat(idA, startsWith("1234:video:vvv"));
    assertEquals(idA, AggregateDocuments.id(video("1234", a, m)));
    assertNotEquals(idA, AggregateDocuments.id(video("1234", b, m)));
  }

  @Test
  public void rowsThatWouldCollideAreRefused() {
    IllegalArgumentException notAMinute = assertThrows(IllegalArgumentException.class,
        () -> AggregateDocuments.id(video("1234", "5555", t("2026-11-22T05:13") + 1)));
    assertThat(notAMinute.getMessage(), containsString("not the start of a minute"));
    IllegalArgumentException noCountry = assertThrows(IllegalArgumentException.class,
        () -> AggregateDocuments.id(row("1234", DimensionSet.VIDEO_COUNTRY, "5555", null,
            t("2026-11-22T05:13"))));
    assertThat(noCountry.getMessage(), containsString("has no country"));
  }

  @Test
  public void dailyIndicesFollowTheUtcDayOfTheMinute() {
    String p = AggregateDocuments.DEFAULT_PREFIX;
    assertEquals("livemetrics-aggregates-2026.11.22", AggregateDocuments.index(p,
        t("2026-11-22T00:00")));
    assertEquals("livemetrics-aggregates-2026.11.22", AggregateDocuments.index(p,
        t("2026-11-22T23:59")));
    assertEquals("livemetrics-aggregates-2026.11.23", AggregateDocuments.index(p,
        t("2026-11-23T00:00")));
    assertEquals("livemetrics-aggregates-2026.01.05", AggregateDocuments.index(p,
        t("2026-01-05T12:00")));
  }

  @Test
  public void theDocumentHoldsEveryFieldUnderItsStoredName() throws Exception {
    byte[] sessions = DistinctSketch.of(new long[] {11, 12}, 2);
    byte[] fingerprints = DistinctSketch.of(new long[] {11}, 1);
    MinuteAggregate r = new MinuteAggregate("1234", "5555", DimensionSet.VIDEO_COUNTRY, "US", null,
        t("2026-11-22T05:13"), new long[] {3, 2, 1, 61_500}, new long[] {2, 1},
        new byte[][] {sessions, fingerprints});

    assertEquals("{\"account\":\"1234\",\"video\":\"5555\",\"dimension_set\":\"video,country\","
        + "\"country\":\"US\",\"minute\":" + t("2026-11-22T05:13") + ",\"video_impression\":3,"
        + "\"video_view\":2,\"alive_ss_ad_start\":1,\"video_seconds_viewed_ms\":61500,\"ccu\":2,"
        + "\"fingerprint_count\":1,"
        + "\"session_sketch\":\"" + Base64.getEncoder().encodeToString(sessions) + "\","
        + "\"fingerprint_sketch\":\"" + Base64.getEncoder().encodeToString(fingerprints) + "\"}",
        AggregateDocuments.toJson(r));
  }

  @Test
  public void documentsRoundTripForEveryDimensionSet() throws Exception {
    long m = t("2026-11-22T05:13");
    for (MinuteAggregate r : List.of(
        video("1234", "5555", m),
        row("1234", DimensionSet.VIDEO_COUNTRY, "5555", "US", m),
        row("1234", DimensionSet.VIDEO_DEVICE_TYPE, "5555", "mobile", m),
        new MinuteAggregate("1", "ref/ü", DimensionSet.VIDEO, null, null, m,
            new long[] {Long.MAX_VALUE, 0, 0, 0}, new long[2],
            new byte[][] {new byte[0], new byte[0]}))) {
      MinuteAggregate back = AggregateDocuments.fromDocument(parsed(AggregateDocuments.toJson(r)));
      assertEquals(r, back); // equals compares every field, the sketch bytes included
      assertEquals(r.country, back.country);
      assertEquals(r.deviceType, back.deviceType);
    }
  }

  @Test
  public void sketchesLeftOutOfTheSourceComeBackEmpty() throws Exception {
    MinuteAggregate r =
        row("1234", DimensionSet.VIDEO_COUNTRY, "5555", "US", t("2026-11-22T05:13"));
    ObjectNode source = (ObjectNode) parsed(AggregateDocuments.toJson(r));
    source.remove(AggregateDocuments.SKETCH_FIELDS);

    MinuteAggregate light = AggregateDocuments.fromDocument(source);
    assertEquals(r.toString(), light.toString()); // every dimension and metric
    assertArrayEquals(new byte[0], light.sessionSketch);
    assertArrayEquals(new byte[0], light.fingerprintSketch);
  }

  @Test
  public void malformedDocumentsNameTheField() throws Exception {
    ObjectNode doc = (ObjectNode) parsed(AggregateDocuments.toJson(
        video("1234", "5555", t("2026-11-22T05:13"))));
    doc.remove("ccu");
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> AggregateDocuments.fromDocument(doc)).getMessage(), containsString("field ccu"));
    doc.put("ccu", 1).put("dimension_set", "video,city");
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> AggregateDocuments.fromDocument(doc)).getMessage(),
        containsString("unknown dimension_set 'video,city'"));
  }

  @Test
  public void theTemplateMapsExactlyTheFieldsDocumentsHave() throws Exception {
    JsonNode template = parsed(AggregateDocuments.indexTemplate());
    assertEquals("[\"livemetrics-aggregates-*\"]", template.get("index_patterns").toString());
    JsonNode body = template.get("template");
    assertEquals("{\"livemetrics-aggregates\":{}}", body.get("aliases").toString());
    JsonNode mappings = body.get("mappings");
    assertEquals("strict", mappings.get("dynamic").asText());

    Set<String> written = new TreeSet<>();
    for (MinuteAggregate r : List.of(
        row("1234", DimensionSet.VIDEO_COUNTRY, "5555", "US", 0),
        row("1234", DimensionSet.VIDEO_DEVICE_TYPE, "5555", "mobile", 0))) {
      parsed(AggregateDocuments.toJson(r)).fieldNames().forEachRemaining(written::add);
    }
    Set<String> mapped = new TreeSet<>();
    mappings.get("properties").fieldNames().forEachRemaining(mapped::add);
    assertEquals(written, mapped);

    JsonNode props = mappings.get("properties");
    for (String keyword : List.of("account", "video", "dimension_set", "country", "device_type")) {
      assertEquals(keyword, "keyword", props.get(keyword).get("type").asText());
    }
    assertEquals("date", props.get("minute").get("type").asText());
    assertEquals("epoch_millis", props.get("minute").get("format").asText());
    for (String metric : List.of("video_impression", "video_view", "alive_ss_ad_start",
        "video_seconds_viewed_ms", "ccu", "fingerprint_count")) {
      assertEquals(metric, "long", props.get(metric).get("type").asText());
    }
    for (String sketch : AggregateDocuments.SKETCH_FIELDS) {
      assertEquals("binary", props.get(sketch).get("type").asText());
      assertEquals(false, props.get(sketch).get("doc_values").asBoolean());
    }
  }

  @Test
  public void anotherPrefixGetsItsOwnPatternAndAlias() throws Exception {
    JsonNode template = parsed(AggregateDocuments.indexTemplate("staging-aggregates"));
    assertEquals("[\"staging-aggregates-*\"]", template.get("index_patterns").toString());
    Iterator<String> aliases = template.get("template").get("aliases").fieldNames();
    assertEquals("staging-aggregates", aliases.next());
    assertTrue(!aliases.hasNext());
    assertEquals(parsed(AggregateDocuments.indexTemplate()).get("template").get("mappings"),
        template.get("template").get("mappings"));
  }

  @Test
  public void unusablePrefixesAreRefused() {
    for (String bad : List.of("", "Upper", "-dash", "_under", "a b", "a*", "a/b", "a,b", "a:b",
        "x".repeat(201))) {
      IllegalArgumentException e = assertThrows(bad, IllegalArgumentException.class,
          () -> AggregateDocuments.checkPrefix(bad));
      assertThat(e.getMessage(), endsWith("at most 200 characters"));
    }
    assertEquals("livemetrics-aggregates.v2_x",
        AggregateDocuments.checkPrefix("livemetrics-aggregates.v2_x"));
  }
}
