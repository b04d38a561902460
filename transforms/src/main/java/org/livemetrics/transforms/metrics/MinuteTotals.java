package org.livemetrics.transforms.metrics;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * The finished metrics of one minute's row, before its key's dimensions are attached: the
 * declared counts (in the order of {@code AudienceFamily.COUNTS}), the distinct counts and their
 * sketches.
 */
@DefaultCoder(MinuteTotals.Coder.class)
public record MinuteTotals(
    long[] counts,
    long ccu,
    long fingerprintCount,
    byte[] sessionSketch,
    byte[] fingerprintSketch)
    implements Serializable {

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
      out.writeLong(t.ccu);
      out.writeLong(t.fingerprintCount);
      out.writeInt(t.sessionSketch.length);
      out.write(t.sessionSketch);
      out.writeInt(t.fingerprintSketch.length);
      out.write(t.fingerprintSketch);
    }

    @Override
    public MinuteTotals decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      long[] counts = new long[DeclaredCounts.AUDIENCE.size()];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = in.readLong();
      }
      long ccu = in.readLong();
      long fps = in.readLong();
      byte[] s = new byte[in.readInt()];
      in.readFully(s);
      byte[] f = new byte[in.readInt()];
      in.readFully(f);
      return new MinuteTotals(counts, ccu, fps, s, f);
    }
  }
}
