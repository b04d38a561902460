package org.livemetrics.schemas;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.livemetrics.schemas.PlayerEventContract.Field;
import org.livemetrics.schemas.PlayerEventContract.Kind;

/** The published JSON schema states exactly the contract the parser enforces. */
public class PlayerEventContractTest {

  private static JsonNode schema() throws Exception {
    try (InputStream in = PlayerEventContract.class.getResourceAsStream("player_event.schema.json")) {
      return new ObjectMapper().readTree(in);
    }
  }

  @Test
  public void theJsonSchemaStatesTheContractsBounds() throws Exception {
    JsonNode properties = schema().get("properties");
    List<String> checked = new ArrayList<>();
    for (Field f : PlayerEventContract.fields()) {
      JsonNode p = properties.get(f.name());
      assertNotNull("the schema describes " + f.name(), p);
      if (f.kind() == Kind.TEXT) {
        assertEquals(f.name(), f.maxLength(), p.get("maxLength").asInt());
        checked.add(f.name());
      } else if (f.kind() == Kind.WHOLE || f.kind() == Kind.DECIMAL) {
        assertEquals(f.name(), f.min(), p.get("minimum").asDouble(), 0);
        assertEquals(f.name(), f.max(), p.get("maximum").asDouble(), 0);
        checked.add(f.name());
      }
    }
    assertEquals(27, checked.size());
    assertEquals(List.of("metric_type", "event_time", "channel_watched", "session_id"),
        new ObjectMapper().convertValue(schema().get("required"), List.class));
  }

  @Test
  public void charactersAndNumbersAtTheEdges() {
    assertNull(PlayerEventContract.checkCharacters("caf\u00e9 \uD83D\uDE00 \u4e2d"));
    assertEquals("contains a lone UTF-16 surrogate U+DC00 at index 0",
        PlayerEventContract.checkCharacters("\uDC00x"));
    assertEquals("contains the control character U+007F at index 1",
        PlayerEventContract.checkCharacters("a\u007f"));
    assertEquals("contains the noncharacter U+FFFF at index 0", PlayerEventContract.checkCharacters("\uFFFF"));
    assertNull(PlayerEventContract.PLAYING_TIME_MS.checkNumber(86_400_000));
    assertEquals("must be between 0 and 86,400,000 ms, got Infinity",
        PlayerEventContract.PLAYING_TIME_MS.checkNumber(Double.POSITIVE_INFINITY));
    assertEquals("must be between 0 and 86,400,000 ms, got NaN",
        PlayerEventContract.PLAYING_TIME_MS.checkNumber(Double.NaN));
    assertNull(PlayerEventContract.EVENT_TIME.checkNumber(946_684_800_000L));
    assertEquals("must be epoch milliseconds between 2000 and 2100 (2000-01-01T00:00:00Z inclusive to "
        + "2100-01-01T00:00:00Z exclusive), got 4102444800000",
        PlayerEventContract.EVENT_TIME.checkNumber(4_102_444_800_000L));
    assertEquals("x\\u0000y\\uD800…", PlayerEventContract.printable("x\u0000y\uD800zzz", 13));
  }

  /**
   * Sums cannot overflow: the largest number of maximal durations that still fits a long is far
   * beyond what any minute can hold (10^11 summaries for one video in one minute).
   */
  @Test
  public void maximalDurationsCannotOverflowASum() {
    long max = (long) PlayerEventContract.PLAYING_TIME_MS.max();
    assertEquals(106_751_991_167L, Long.MAX_VALUE / max);
    long sum = 0;
    for (int i = 0; i < 1_000_000; i++) {
      sum = Math.addExact(sum, max);
    }
    assertEquals(86_400_000_000_000L, sum);
  }
}
