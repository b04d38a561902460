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

/**
 * The grouping key of one aggregate row: dimension set, account, video, the secondary dimension's
 * value ({@code ""} for video rows) and the epoch minute.
 */
@DefaultCoder(MinuteKey.Coder.class)
public record MinuteKey(
    DimensionSet dimensionSet, String account, String video, String secondary, long epochMinute)
    implements Serializable, MinuteKeyed {

  @Override
  public long minuteStartMillis() {
    return epochMinute * 60_000L;
  }

  /** Deterministic coder, so the key can be grouped on. */
  public static final class Coder extends AtomicCoder<MinuteKey> {
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
          org.apache.beam.sdk.values.TypeDescriptor.of(MinuteKey.class), INSTANCE);
    }

    @Override
    public void encode(MinuteKey k, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      out.writeByte(k.dimensionSet.ordinal());
      out.writeUTF(k.account);
      out.writeUTF(k.video);
      out.writeUTF(k.secondary);
      out.writeLong(k.epochMinute);
    }

    @Override
    public MinuteKey decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      return new MinuteKey(
          DimensionSet.values()[in.readByte()], in.readUTF(), in.readUTF(), in.readUTF(),
          in.readLong());
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}
