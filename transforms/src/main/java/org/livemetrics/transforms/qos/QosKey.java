package org.livemetrics.transforms.qos;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.transforms.metrics.MinuteKeyed;

/**
 * The grouping key of one QoS row: dimension set, account, the values of the set's dimensions
 * right-aligned in ({@code first}, {@code second}) ({@code first} is {@code ""} for a set of one
 * dimension: a {client_platform} row is ("", platform), a {country} row ("", country), a {video,
 * client_platform} row (video, platform), as these keys were before the sets were described, so a
 * savepoint's keys keep their meaning), and the epoch minute. Sets have at most two dimensions
 * ({@link ComputeQosMetrics} checks).
 */
@DefaultCoder(QosKey.Coder.class)
public record QosKey(
    QosDimensionSet dimensionSet, String account, String first, String second, long epochMinute)
    implements Serializable, MinuteKeyed {

  @Override
  public long minuteStartMillis() {
    return epochMinute * 60_000L;
  }

  /** Deterministic coder, so the key can be grouped on. */
  public static final class Coder extends AtomicCoder<QosKey> {
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
          org.apache.beam.sdk.values.TypeDescriptor.of(QosKey.class), INSTANCE);
    }

    @Override
    public void encode(QosKey k, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      out.writeByte(k.dimensionSet.ordinal());
      out.writeUTF(k.account);
      out.writeUTF(k.first);
      out.writeUTF(k.second);
      out.writeLong(k.epochMinute);
    }

    @Override
    public QosKey decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      return new QosKey(QosDimensionSet.values()[in.readByte()], in.readUTF(), in.readUTF(),
          in.readUTF(), in.readLong());
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}
