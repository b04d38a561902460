package org.livemetrics.schemas.elasticsearch;

import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_SKETCH_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.LIVE_LATENCY_SUM_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_SKETCH_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_SUM_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.BUFFERING_TIME_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.ERROR_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.EXITS_BEFORE_VIDEO_START_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYBACK_ATTEMPTS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYBACK_FAILURES_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYING_TIME_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.QUALITY_CHANGES_DOWN_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.QUALITY_CHANGES_UP_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.REBUFFER_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.SESSIONS_LOADED_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.SESSIONS_PLAYED_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.SESSIONS_REBUFFERED_FIELD;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.livemetrics.schemas.elasticsearch.TemplateFields.parsed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.junit.Test;
import org.livemetrics.schemas.LatencySketch;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMinute;

public class QosDocumentsTest {
  private static final QosDocuments F = QosDocuments.FORMAT;

  private static long t(String isoMinute) {
    return Instant.parse(isoMinute + ":00Z").toEpochMilli();
  }

  private static byte[] sketch(double... values) {
    KllDoublesSketch s = LatencySketch.newSketch();
    for (double v : values) {
      s.update(v);
    }
    return s.toByteArray();
  }

  private static QosMinute row(String account, String video, String platform, long minute) {
    return QosMinute.builder().account(account)
        .dimensionSet(video == null ? QosDimensionSet.CLIENT_PLATFORM
            : QosDimensionSet.VIDEO_CLIENT_PLATFORM)
        .video(video).clientPlatform(platform).minute(minute)
        .concurrentSessions(7).count(ERROR_COUNT_FIELD, 1).count(PLAYING_TIME_MS_FIELD, 58_000)
        .count(BUFFERING_TIME_MS_FIELD, 2_000)
        .count(REBUFFER_COUNT_FIELD, 3).count(STARTUP_COUNT_FIELD, 2)
        .count(STARTUP_SUM_MS_FIELD, 1_900)
        .sketch(STARTUP_SKETCH_FIELD, sketch(700, 1_200))
        .count(LIVE_LATENCY_COUNT_FIELD, 3).count(LIVE_LATENCY_SUM_MS_FIELD, 9_000)
        .sketch(LIVE_LATENCY_SKETCH_FIELD, sketch(2_500, 3_000, 3_500))
        .renditionPlayingMs(Map.of("720p", 40_000L, "1080p:hi/ü", 18_000L))
        .count(QUALITY_CHANGES_UP_FIELD, 2).count(QUALITY_CHANGES_DOWN_FIELD, 1)
        .count(SESSIONS_LOADED_FIELD, 5).count(EXITS_BEFORE_VIDEO_START_FIELD, 1)
        .count(PLAYBACK_ATTEMPTS_FIELD, 6).count(PLAYBACK_FAILURES_FIELD, 2)
        .count(SESSIONS_PLAYED_FIELD, 4).count(SESSIONS_REBUFFERED_FIELD, 3).build();
  }

  @Test
  public void aDocumentWrittenBeforeTheSessionCountsReadsThemAsZero() {
    QosMinute r = row("1234", null, "web", t("2026-11-22T05:13"));
    ObjectNode source = (ObjectNode) parsed(F.toJson(r));
    for (String field : List.of(QosDocuments.SESSIONS_LOADED, QosDocuments.EXITS_BEFORE_VIDEO_START,
        QosDocuments.PLAYBACK_ATTEMPTS, QosDocuments.PLAYBACK_FAILURES,
        QosDocuments.SESSIONS_PLAYED, QosDocuments.SESSIONS_REBUFFERED)) {
      source.remove(field);
    }
    QosMinute back = F.fromDocument(source);
    assertEquals(0, back.count(SESSIONS_LOADED_FIELD) + back.count(EXITS_BEFORE_VIDEO_START_FIELD)
        + back.count(PLAYBACK_ATTEMPTS_FIELD)
        + back.count(PLAYBACK_FAILURES_FIELD) + back.count(SESSIONS_PLAYED_FIELD) +
        back.count(SESSIONS_REBUFFERED_FIELD));
    assertEquals(r.concurrentSessions, back.concurrentSessions);
  }

  @Test
  public void theIdJoinsTheRowsKeyReadably() {
    long m = t("2026-11-22T05:13");
    assertEquals("1234:client_platform:web:20261122T0513Z", QosDocuments.id(row("1234", null,
        "web", m)));
    assertEquals("1234:video_client_platform:5555:ios:20261122T0513Z",
        QosDocuments.id(row("1234", "5555", "ios", m)));
  }

  private static QosMinute byCountry(String country, long minute) {
    return QosMinute.builder().account("1234").dimensionSet(QosDimensionSet.COUNTRY)
        .country(country).minute(minute).concurrentSessions(4).count(ERROR_COUNT_FIELD, 2).build();
  }

  private static QosMinute byDevice(String device, long minute) {
    return QosMinute.builder().account("1234").dimensionSet(QosDimensionSet.DEVICE_TYPE)
        .deviceType(device).minute(minute).concurrentSessions(3)
        .count(PLAYING_TIME_MS_FIELD, 61_000).build();
  }

  @Test
  public void countryAndDeviceTypeRowsHaveTheirOwnIdsAndOnlyTheirField() {
    long m = t("2026-11-22T05:13");
    assertEquals("1234:country:BR:20261122T0513Z", QosDocuments.id(byCountry("BR", m)));
    assertEquals("1234:device_type:smart_tv:20261122T0513Z",
        QosDocuments.id(byDevice("smart_tv", m)));
    JsonNode doc = parsed(F.toJson(byCountry("BR", m)));
    assertEquals("BR", doc.get("country").asText());
    assertEquals("country", doc.get("dimension_set").asText());
    assertTrue(doc.toString(), !doc.has("client_platform") && !doc.has("device_type")
        && !doc.has("video"));
    for (QosMinute r : List.of(byCountry("BR", m), byDevice("smart_tv", m))) {
      assertEquals(r, F.fromDocument(parsed(F.toJson(r))));
      assertEquals(QosDocuments.id(r), F.id(parsed(F.toJson(r))));
    }
  }

  @Test
  public void documentsRoundTripAndTheirIdsAgreeWithTheRows() {
    long m = t("2026-11-22T05:13");
    QosMinute empty = QosMinute.builder().account("1").dimensionSet(QosDimensionSet.CLIENT_PLATFORM)
        .clientPlatform("unknown").minute(m).build();
    for (QosMinute r : List.of(row("1234", null, "web", m), row("1234", "ref/ü", "android", m),
        empty)) {
      String json = F.toJson(r);
      QosMinute back = F.fromDocument(parsed(json));
      assertEquals(r, back); // every field, the sketch bytes and renditions included
      assertEquals(r.video, back.video);
      assertEquals(QosDocuments.id(r), F.id(parsed(json)));
      assertEquals("p-2026.11.22", F.index("p", parsed(json)));
    }
  }

  @Test
  public void distinctRowsGetDistinctStableUrlSafeIds() {
    long m1 = t("2026-11-22T05:13");
    long m2 = t("2026-11-22T05:14");
    List<QosMinute> rows = List.of(
        row("1234", null, "web", m1), row("1234", null, "web", m2), row("1234", null, "ios", m1),
        row("1235", null, "web", m1), row("1234", "5555", "web", m1),
        row("1234", "5556", "web", m1), row("1234", "web", "5555", m1),
        row("1:2", "3", "web", m1), row("1", "2:3", "web", m1),
        row("1234", "a:b", "web", m1), row("1234", "a%3Ab", "web", m1),
        row("1234", "", "web", m1));
    Set<String> ids = new HashSet<>();
    for (QosMinute r : rows) {
      String id = QosDocuments.id(r);
      assertTrue("URL-safe: " + id, id.matches("[A-Za-z0-9._~%:-]+"));
      assertTrue("duplicate id " + id + " for " + r, ids.add(id));
      assertEquals(id, QosDocuments.id(r)); // stable
    }
    // A later value of the same row keeps its id.
    QosMinute later = QosMinute.builder().account("1234")
        .dimensionSet(QosDimensionSet.CLIENT_PLATFORM).clientPlatform("web").minute(m1)
        .concurrentSessions(99).build();
    assertEquals(QosDocuments.id(row("1234", null, "web", m1)), QosDocuments.id(later));
  }

  @Test
  public void sketchesLeftOutOfTheSourceComeBackEmpty() {
    QosMinute r = row("1234", null, "web", t("2026-11-22T05:13"));
    ObjectNode source = (ObjectNode) parsed(F.toJson(r));
    source.remove(QosDocuments.SKETCH_FIELDS);
    QosMinute light = F.fromDocument(source);
    assertEquals(r.toString(), light.toString());
    assertArrayEquals(new byte[0], light.sketch(STARTUP_SKETCH_FIELD));
    assertArrayEquals(new byte[0], light.sketch(LIVE_LATENCY_SKETCH_FIELD));
  }

  @Test
  public void malformedDocumentsNameTheField() {
    ObjectNode doc = (ObjectNode) parsed(F.toJson(row("1234", null, "web", t("2026-11-22T05:13"))));
    doc.remove("error_count");
    assertThat(assertThrows(IllegalArgumentException.class, () -> F.fromDocument(doc))
        .getMessage(), containsString("qos document without whole-number field error_count"));
    doc.put("error_count", 1).put("dimension_set", "region");
    assertThat(assertThrows(IllegalArgumentException.class, () -> F.fromDocument(doc))
        .getMessage(), containsString("unknown dimension_set 'region'"));
    // A country row without its country, or with a platform, is refused by name.
    doc.put("dimension_set", "country");
    assertThat(assertThrows(IllegalArgumentException.class, () -> F.fromDocument(doc))
        .getMessage(), containsString("client_platform must be set exactly on the rows of the QoS "
            + "dimension sets that have it; this is a country row"));
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> QosDocuments.id(row("1234", null, "web", t("2026-11-22T05:13") + 1))).getMessage(),
        containsString("not the start of a minute"));
  }

  @Test
  public void theTemplateMapsExactlyTheFieldsDocumentsHave() {
    long m = t("2026-11-22T05:13");
    JsonNode props = TemplateFields.checkTemplate(F, "livemetrics-qos",
        List.of(F.toJson(row("1234", "5555", "web", m)), F.toJson(byCountry("BR", m)),
            F.toJson(byDevice("smart_tv", m))));
    for (String keyword : List.of("account", "dimension_set", "video", "client_platform",
        "country", "device_type")) {
      assertEquals(keyword, "keyword", props.get(keyword).get("type").asText());
    }
    assertEquals("date", props.get("minute").get("type").asText());
    for (String s : QosDocuments.SKETCH_FIELDS) {
      assertEquals("binary", props.get(s).get("type").asText());
      assertEquals(false, props.get(s).get("doc_values").asBoolean());
    }
    assertEquals(false, props.get("rendition_playing_ms").get("enabled").asBoolean());
    assertEquals("livemetrics-qos", QosDocuments.DEFAULT_PREFIX);
    assertEquals("qos", F.table());
  }
}
