package org.livemetrics.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.Map;
import org.junit.Test;

/** The API's time parameters (export, video listing): epoch ms as Brightcove, and ISO-8601. */
public class QueryParametersTimeTest {
  @Test
  public void epochMillisAndIsoAlike() {
    // 2026-11-22T05:00:00Z is 1795323600000 ms since 1970.
    assertEquals(Long.valueOf(1795323600000L),
        QueryParameters.epochMillis(Map.of("from", "1795323600000"), "from"));
    assertEquals(Long.valueOf(1795323600000L),
        QueryParameters.epochMillis(Map.of("from", "2026-11-22T05:00:00Z"), "from"));
    assertEquals(Long.valueOf(1795323600000L),
        QueryParameters.epochMillis(Map.of("from", "2026-11-22T06:00:00+01:00"), "from"));
    assertEquals(Long.valueOf(1795323600000L),
        QueryParameters.epochMillis(Map.of("to", "2026-11-22T05"), "to"));
    assertNull(QueryParameters.epochMillis(Map.of(), "from"));
  }
}
