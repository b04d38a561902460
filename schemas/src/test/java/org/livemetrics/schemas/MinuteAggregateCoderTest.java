package org.livemetrics.schemas;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.livemetrics.schemas.family.AudienceFamily.ALIVE_SS_AD_START_FIELD;
import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_SECONDS_VIEWED_MS_FIELD;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;
import org.livemetrics.schemas.family.AudienceFamily;

/**
 * An audience row holds the declared counts by name, and its coder writes them where the four
 * count fields were: rows in the streaming Parquet writer's state read the same.
 */
public class MinuteAggregateCoderTest {
  private static final MinuteAggregate ROW = new MinuteAggregate("1234", "5555",
      DimensionSet.VIDEO_COUNTRY, "BR", null, 60_000, new long[] {10, 20, 30, 40_000},
      new long[] {5, 4}, new byte[][] {{1, 2}, {3}});

  @Test
  public void countsAreReadByTheirStoredNames() {
    assertEquals(30, ROW.count(ALIVE_SS_AD_START_FIELD));
    assertEquals(40_000, ROW.count(VIDEO_SECONDS_VIEWED_MS_FIELD));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ROW.count("ccu"));
    assertEquals("ccu is not a count of audience rows; they are " + AudienceFamily.COUNTS,
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new MinuteAggregate("1234", "5555",
        DimensionSet.VIDEO, null, null, 0, new long[3], new long[2], new byte[2][]));
  }

  @Test
  public void theCoderWritesTheLayoutOfRowsBeforeCountsWereDeclared() throws Exception {
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(expected);
    out.writeUTF("1234");
    out.writeUTF("5555");
    out.writeByte(DimensionSet.VIDEO_COUNTRY.ordinal());
    out.writeUTF("BR");
    out.writeUTF("");
    out.writeLong(60_000);
    for (long v : new long[] {10, 20, 30, 40_000, 5, 4}) { // impressions, views, ads, ms, ccu, fps
      out.writeLong(v);
    }
    out.writeInt(2);
    out.write(new byte[] {1, 2});
    out.writeInt(1);
    out.write(3);
    byte[] encoded = CoderUtils.encodeToByteArray(MinuteAggregateCoder.of(), ROW);
    assertArrayEquals(expected.toByteArray(), encoded);
    assertEquals(ROW, CoderUtils.decodeFromByteArray(MinuteAggregateCoder.of(), encoded));
  }
}
