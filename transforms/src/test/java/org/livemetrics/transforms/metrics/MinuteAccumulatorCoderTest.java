package org.livemetrics.transforms.metrics;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.List;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;
import org.livemetrics.schemas.MetricType;
import org.livemetrics.schemas.family.AudienceFamily;

/**
 * The audience partial row's coder writes the declared counts where the four count fields were,
 * so accumulators in streaming savepoints read the same; a row round-trips whole.
 */
public class MinuteAccumulatorCoderTest {

  private static final long[] NOT_VIEWING = {0, 0};
  private static final long[] SESSION_7_FINGERPRINT_8 = {7, 8};

  @Test
  public void theBytesAreThoseOfTheLayoutBeforeCountsWereDeclared() throws Exception {
    MinuteAccumulator a = new MinuteAccumulator();
    assertEquals(List.of(AudienceFamily.CCU_FIELD, AudienceFamily.FINGERPRINT_COUNT_FIELD),
        AudienceFamily.COUNTED.distinctFields().stream().map(f -> f.name()).toList());
    DeclaredCounts counts = DeclaredCounts.AUDIENCE;
    long[] amounts = counts.newAmounts();
    amounts[0] = 1;
    a.add(counts.indexes(MetricType.IMPRESSION), amounts, false, NOT_VIEWING);
    a.add(counts.indexes(MetricType.PLAY), amounts, true, SESSION_7_FINGERPRINT_8);
    a.add(counts.indexes(MetricType.PLAY), amounts, true, SESSION_7_FINGERPRINT_8);
    a.add(counts.indexes(MetricType.AD_START), amounts, false, NOT_VIEWING);
    amounts[0] = 61_000;
    a.add(counts.indexes(MetricType.PLAYBACK_SUMMARY), amounts, true, SESSION_7_FINGERPRINT_8);

    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(expected);
    for (long v : new long[] {1, 2, 1, 61_000}) { // impressions, views, ad starts, playing ms
      out.writeLong(v);
    }
    out.writeInt(1); // sessions
    out.writeLong(7);
    out.writeInt(1); // fingerprints
    out.writeLong(8);
    assertEquals(4, AudienceFamily.COUNTS.size()); // a count added since: extend the layout
    byte[] encoded = CoderUtils.encodeToByteArray(MinuteAccumulator.Coder.of(), a);
    assertArrayEquals(expected.toByteArray(), encoded);
    MinuteAccumulator back = CoderUtils.decodeFromByteArray(MinuteAccumulator.Coder.of(), encoded);
    assertArrayEquals(a.counts, back.counts);
    assertEquals(List.of(a.distinct), List.of(back.distinct));
  }
}
