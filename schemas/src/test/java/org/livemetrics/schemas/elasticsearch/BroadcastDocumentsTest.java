package org.livemetrics.schemas.elasticsearch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.livemetrics.schemas.elasticsearch.TemplateFields.parsed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.Test;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.BroadcastMinute.Scope;

public class BroadcastDocumentsTest {
  private static final BroadcastDocuments F = BroadcastDocuments.FORMAT;
  private static final String ARN = "arn:aws:ivs:us-west-2:123456789012:channel/AbCd";

  private static long t(String isoMinute) {
    return Instant.parse(isoMinute + ":00Z").toEpochMilli();
  }

  private static BroadcastMinute all(long m) {
    return new BroadcastMinute(Scope.ALL, null, null, null, m, 12, 2, 4_500);
  }

  private static BroadcastMinute region(String region, long m) {
    return new BroadcastMinute(Scope.REGION, region, null, null, m, 5, 1, 1_000);
  }

  private static BroadcastMinute channel(String region, String arn, String name, long m) {
    return new BroadcastMinute(Scope.CHANNEL, region, arn, name, m, 1, 1, 1_000);
  }

  @Test
  public void theIdJoinsScopeRegionChannelAndMinute() {
    long m = t("2026-11-22T05:13");
    assertEquals("all:20261122T0513Z", BroadcastDocuments.id(all(m)));
    assertEquals("region:us-west-2:20261122T0513Z", BroadcastDocuments.id(region("us-west-2", m)));
    assertEquals("channel:us-west-2:arn%3Aaws%3Aivs%3Aus-west-2%3A123456789012%3Achannel%2FAbCd"
        + ":20261122T0513Z", BroadcastDocuments.id(channel("us-west-2", ARN, "news", m)));
  }

  @Test
  public void documentsRoundTripAndTheirIdsAgreeWithTheRows() {
    long m = t("2026-11-22T05:13");
    for (BroadcastMinute r : List.of(all(m), region("eu-west-1", m),
        channel("us-west-2", ARN, "news", m), channel("us-west-2", ARN, null, m))) {
      String json = F.toJson(r);
      assertEquals(r, F.fromDocument(parsed(json)));
      assertEquals(BroadcastDocuments.id(r), F.id(parsed(json)));
      assertEquals("p-2026.11.22", F.index("p", parsed(json)));
    }
  }

  @Test
  public void distinctRowsGetDistinctStableIdsAndTheNameIsNoPartOfThem() {
    long m1 = t("2026-11-22T05:13");
    long m2 = t("2026-11-22T05:14");
    List<BroadcastMinute> rows = List.of(all(m1), all(m2), region("us-west-2", m1),
        region("eu-west-1", m1), channel("us-west-2", ARN, "n", m1),
        channel("eu-west-1", ARN, "n", m1), channel("us-west-2", ARN + "x", "n", m1),
        channel("us-west-2:a", "b", "n", m1), channel("us-west-2", "a:b", "n", m1));
    Set<String> ids = new HashSet<>();
    for (BroadcastMinute r : rows) {
      String id = BroadcastDocuments.id(r);
      assertTrue("URL-safe: " + id, id.matches("[A-Za-z0-9._~%:-]+"));
      assertTrue("duplicate id " + id + " for " + r, ids.add(id));
    }
    assertEquals(BroadcastDocuments.id(channel("us-west-2", ARN, "news", m1)),
        BroadcastDocuments.id(channel("us-west-2", ARN, null, m1)));
  }

  @Test
  public void malformedDocumentsNameTheField() {
    ObjectNode doc = (ObjectNode) parsed(F.toJson(region("us-west-2", t("2026-11-22T05:13"))));
    doc.remove("live_channels");
    assertThat(assertThrows(IllegalArgumentException.class, () -> F.fromDocument(doc))
        .getMessage(), containsString("broadcast document without whole-number field live_channels"));
  }

  @Test
  public void theTemplateMapsExactlyTheFieldsDocumentsHave() {
    long m = t("2026-11-22T05:13");
    JsonNode props = TemplateFields.checkTemplate(F, "livemetrics-broadcast",
        List.of(F.toJson(channel("us-west-2", ARN, "news", m)), F.toJson(all(m))));
    for (String keyword : List.of("dimension_set", "region", "channel", "channel_name")) {
      assertEquals(keyword, "keyword", props.get(keyword).get("type").asText());
    }
    assertEquals("date", props.get("minute").get("type").asText());
    assertEquals("livemetrics-broadcast", BroadcastDocuments.DEFAULT_PREFIX);
  }
}
