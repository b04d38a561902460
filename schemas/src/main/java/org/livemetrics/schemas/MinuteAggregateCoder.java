package org.livemetrics.schemas;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.livemetrics.schemas.family.AudienceFamily;

/**
 * Deterministic coder for {@link MinuteAggregate}: the declared counts, then the distinct counts,
 * then their sketches, each in the order the description gives them ({@link
 * AudienceFamily#COUNTED}), where the fields they replaced were, so rows written before the
 * counts were declared read the same.
 */
public final class MinuteAggregateCoder extends AtomicCoder<MinuteAggregate> {
  private static final MinuteAggregateCoder INSTANCE = new MinuteAggregateCoder();
  private static final int COUNTS = AudienceFamily.COUNTS.size();
  private static final int DISTINCT = AudienceFamily.COUNTED.distinctFields().size();

  public static MinuteAggregateCoder of() {
    return INSTANCE;
  }

  /**
   * What {@code @DefaultCoder} looks for; without it Beam silently falls back to Java serialization
   * for this type.
   */
  public static org.apache.beam.sdk.coders.CoderProvider getCoderProvider() {
    return org.apache.beam.sdk.coders.CoderProviders.forCoder(
        org.apache.beam.sdk.values.TypeDescriptor.of(MinuteAggregate.class), INSTANCE);
  }

  @Override
  public void encode(MinuteAggregate a, OutputStream os) throws IOException {
    DataOutputStream out = new DataOutputStream(os);
    out.writeUTF(a.account);
    out.writeUTF(a.video);
    out.writeByte(a.dimensionSet.ordinal());
    out.writeUTF(a.country == null ? "" : a.country);
    out.writeUTF(a.deviceType == null ? "" : a.deviceType);
    out.writeLong(a.minute);
    for (int i = 0; i < COUNTS; i++) {
      out.writeLong(a.countAt(i));
    }
    for (int i = 0; i < DISTINCT; i++) {
      out.writeLong(a.distinctAt(i));
    }
    for (int i = 0; i < DISTINCT; i++) {
      byte[] sketch = a.distinctSketchAt(i);
      out.writeInt(sketch.length);
      out.write(sketch);
    }
  }

  @Override
  public MinuteAggregate decode(InputStream is) throws IOException {
    DataInputStream in = new DataInputStream(is);
    String account = in.readUTF();
    String video = in.readUTF();
    DimensionSet set = DimensionSet.values()[in.readByte()];
    String country = in.readUTF();
    String device = in.readUTF();
    long minute = in.readLong();
    long[] counts = new long[COUNTS];
    for (int i = 0; i < COUNTS; i++) {
      counts[i] = in.readLong();
    }
    long[] distinct = new long[DISTINCT];
    for (int i = 0; i < DISTINCT; i++) {
      distinct[i] = in.readLong();
    }
    byte[][] sketches = new byte[DISTINCT][];
    for (int i = 0; i < DISTINCT; i++) {
      sketches[i] = new byte[in.readInt()];
      in.readFully(sketches[i]);
    }
    return new MinuteAggregate(account, video, set, country.isEmpty() ? null : country,
        device.isEmpty() ? null : device, minute, counts, distinct, sketches);
  }

  @Override
  public void verifyDeterministic() {}
}
