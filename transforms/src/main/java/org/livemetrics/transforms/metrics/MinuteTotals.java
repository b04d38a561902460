package org.livemetrics.transforms.metrics;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.MinuteAggregate;

/**
 * The finished metrics of one minute's row, before its key's dimensions are attached: the
 * declared counts (in the order of {@code AudienceFamily.COUNTS}), the declared distinct counts
 * and the sketch of each one's keys (in the order of {@code AudienceFamily.COUNTED}'s distinct
 * fields: {@code ccu}, {@code fingerprint_count}).
 */
@DefaultCoder(MinuteTotals.Coder.class)
public record MinuteTotals(long[] counts, long[] distinct, byte[][] sketches)
    implements Serializable {

  /** The row these totals make under {@code key}. */
  MinuteAggregate toRow(MinuteKey k) {
    return new MinuteAggregate(
        k.account(),
        k.video(),
        k.dimensionSet(),
        k.dimensionSet() == DimensionSet.VIDEO_COUNTRY ? k.secondary() : null,
        k.dimensionSet() == DimensionSet.VIDEO_DEVICE_TYPE ? k.secondary() : null,
        k.minuteStartMillis(),
        counts,
        distinct,
        sketches);
  }

  /** Coder for {@link MinuteTotals}. */
  public static final class Coder extends AtomicCoder<MinuteTotals> {
    private static final Coder INSTANCE = new Coder();

    /** Found by {@code @DefaultCoder}. */
    public static Coder of() {
      return INSTANCE;
    }

    /**
     * What {@code @DefaultCoder} looks for; without it Beam silently falls back to Java
     * serialization for this type.
     */
    public static org.apache.beam.sdk.coders.CoderProvider getCoderProvider() {
      return org.apache.beam.sdk.coders.CoderProviders.forCoder(
          org.apache.beam.sdk.values.TypeDescriptor.of(MinuteTotals.class), INSTANCE);
    }

    @Override
    public void encode(MinuteTotals t, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      for (long count : t.counts) {
        out.writeLong(count);
      }
      for (long n : t.distinct) {
        out.writeLong(n);
      }
      for (byte[] sketch : t.sketches) {
        out.writeInt(sketch.length);
        out.write(sketch);
      }
    }

    @Override
    public MinuteTotals decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      long[] counts = new long[DeclaredCounts.AUDIENCE.size()];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = in.readLong();
      }
      long[] distinct = new long[DeclaredCounts.AUDIENCE.distinct()];
      for (int i = 0; i < distinct.length; i++) {
        distinct[i] = in.readLong();
      }
      byte[][] sketches = new byte[distinct.length][];
      for (int i = 0; i < sketches.length; i++) {
        sketches[i] = new byte[in.readInt()];
        in.readFully(sketches[i]);
      }
      return new MinuteTotals(counts, distinct, sketches);
    }
  }
}
