package org.livemetrics.schemas;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class UtcTimeTest {
  // 2026-11-22T05:00:00Z, worked out by hand: 20,779 days after 1970-01-01, plus 5 hours.
  private static final long FIVE = 20_779L * 86_400_000L + 5 * 3_600_000L;

  @Test
  public void everyForm() {
    assertEquals(FIVE, UtcTime.parse("2026-11-22T05:00:00Z"));
    assertEquals(FIVE, UtcTime.parse("2026-11-22T06:00:00+01:00"));
    assertEquals(FIVE, UtcTime.parse("2026-11-22T05"));
    assertEquals(FIVE, UtcTime.parse("2026-11-22T05:00"));
    assertEquals(FIVE - 5 * 3_600_000L, UtcTime.parse("2026-11-22"));
    assertEquals(FIVE, UtcTime.parse(" " + FIVE + " "));
  }

  @Test
  public void badInputSaysWhatIsAccepted() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> UtcTime.parse("yesterday"));
    assertTrue(e.getMessage(), e.getMessage().startsWith("cannot read 'yesterday' as a time; use epoch ms"));
  }
}
