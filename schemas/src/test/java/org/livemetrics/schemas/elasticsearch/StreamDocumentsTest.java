package org.livemetrics.schemas.elasticsearch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.livemetrics.schemas.elasticsearch.TemplateFields.parsed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.Test;
import org.livemetrics.schemas.StreamSession;
import org.livemetrics.schemas.StreamSession.Outcome;

public class StreamDocumentsTest {
  private static final StreamDocuments F = StreamDocuments.FORMAT;
  private static final String ARN = "arn:aws:ivs:us-west-2:123456789012:channel/AbCd";

  private static StreamSession ended() {
    return new StreamSession("123456789012", "us-west-2", ARN, "news", "st-1", 1_000_000L,
        4_600_000L, Outcome.ENDED, 3_600_000L, 4_600_000L, 3, 1_000_500L, 4_599_000L, 2, 9_000);
  }

  private static StreamSession open() {
    return new StreamSession("123456789012", "us-west-2", ARN, null, "st-2", 1_000_000L, null,
        Outcome.OPEN, 60_000L, 1_060_000L, 0, null, null, 0, 0);
  }

  private static StreamSession endWithoutStart() {
    return new StreamSession("123456789012", "us-west-2", ARN, null, "st-3", null, 2_000_000L,
        Outcome.FAILED, null, 2_000_000L, 1, null, null, 0, 0);
  }

  @Test
  public void documentsRoundTripWithOrWithoutTheirOptionalTimes() {
    for (StreamSession s : List.of(ended(), open(), endWithoutStart())) {
      String json = F.toJson(s);
      assertEquals(s, F.fromDocument(parsed(json)));
      assertEquals(StreamDocuments.id(s), F.id(parsed(json)));
      assertEquals("livemetrics-streams-all", F.index("livemetrics-streams", parsed(json)));
    }
  }

  @Test
  public void theIdIsChannelAndStreamWhateverTheRowsState() {
    assertEquals("arn%3Aaws%3Aivs%3Aus-west-2%3A123456789012%3Achannel%2FAbCd:st-1",
        StreamDocuments.id(ended()));
    // The same stream while open, and after its end arrived: one document.
    StreamSession openSt1 = new StreamSession("123456789012", "us-west-2", ARN, "news", "st-1",
        1_000_000L, null, Outcome.OPEN, 60_000L, 1_060_000L, 0, null, null, 0, 0);
    assertEquals(StreamDocuments.id(ended()), StreamDocuments.id(openSt1));
    assertNotEquals(StreamDocuments.id(ended()), StreamDocuments.id(open()));
    StreamSession a = new StreamSession("1", "r", "a:b", null, "c", null, null, Outcome.OPEN, null,
        0, 0, null, null, 0, 0);
    StreamSession b = new StreamSession("1", "r", "a", null, "b:c", null, null, Outcome.OPEN, null,
        0, 0, null, null, 0, 0);
    assertNotEquals(StreamDocuments.id(a), StreamDocuments.id(b));
  }

  @Test
  public void malformedDocumentsNameTheField() {
    ObjectNode doc = (ObjectNode) parsed(F.toJson(ended()));
    doc.put("outcome", "paused");
    assertThat(assertThrows(IllegalArgumentException.class, () -> F.fromDocument(doc))
        .getMessage(), containsString("unknown outcome 'paused'"));
    doc.put("outcome", "ended").remove("as_of");
    assertThat(assertThrows(IllegalArgumentException.class, () -> F.fromDocument(doc))
        .getMessage(), containsString("stream document without whole-number field as_of"));
  }

  @Test
  public void theTemplateMapsExactlyTheFieldsDocumentsHave() {
    JsonNode props = TemplateFields.checkTemplate(F, "livemetrics-streams",
        List.of(F.toJson(ended())));
    for (String date : List.of("start", "end", "as_of", "session_created", "session_ended")) {
      assertEquals(date, "date", props.get(date).get("type").asText());
    }
    for (String keyword : List.of("account", "region", "channel", "stream_id", "outcome")) {
      assertEquals(keyword, "keyword", props.get(keyword).get("type").asText());
    }
    assertEquals("livemetrics-streams", StreamDocuments.DEFAULT_PREFIX);
  }
}
