package org.livemetrics.transforms.broadcast;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.transforms.metrics.MinuteKeyed;

/**
 * The grouping key of one broadcast row: scope, region ({@code ""} on the all-channels rows),
 * channel ARN ({@code ""} unless a channel row) and the minute start.
 */
@DefaultCoder(BroadcastKey.Coder.class)
public record BroadcastKey(BroadcastMinute.Scope scope, String region, String channelArn, long minute)
    implements Serializable, MinuteKeyed {

  @Override
  public long minuteStartMillis() {
    return minute;
  }

  /** Deterministic coder, so the key can be grouped on. */
  public static final class Coder extends AtomicCoder<BroadcastKey> {
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
          org.apache.beam.sdk.values.TypeDescriptor.of(BroadcastKey.class), INSTANCE);
    }

    @Override
    public void encode(BroadcastKey k, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      out.writeByte(k.scope.ordinal());
      out.writeUTF(k.region);
      out.writeUTF(k.channelArn);
      out.writeLong(k.minute);
    }

    @Override
    public BroadcastKey decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      return new BroadcastKey(BroadcastMinute.Scope.values()[in.readByte()], in.readUTF(),
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
