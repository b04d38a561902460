package org.livemetrics.transforms.broadcast;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A change to one broadcast row's values: what a channel's tracker emits for a minute. Usually the
 * minute's whole value (a first emission), and a correction (possibly negative) when an event
 * arrives for a minute the tracker has already emitted; summed per key, they give the row.
 *
 * @param channelName the channel's name, on channel rows, when known
 */
@DefaultCoder(BroadcastDelta.Coder.class)
public record BroadcastDelta(
    long liveChannels, long starvationCount, long starvationMs, @Nullable String channelName)
    implements Serializable {

  boolean isZero() {
    return liveChannels == 0 && starvationCount == 0 && starvationMs == 0;
  }

  /** Sums deltas; of two names the greater, so the result does not depend on the order. */
  static final class Sum extends Combine.BinaryCombineFn<BroadcastDelta> {
    @Override
    public BroadcastDelta apply(BroadcastDelta a, BroadcastDelta b) {
      String name = a.channelName == null ? b.channelName
          : b.channelName == null || a.channelName.compareTo(b.channelName) >= 0 ? a.channelName
          : b.channelName;
      return new BroadcastDelta(a.liveChannels + b.liveChannels,
          a.starvationCount + b.starvationCount, a.starvationMs + b.starvationMs, name);
    }
  }

  /** Deterministic coder. */
  public static final class Coder extends AtomicCoder<BroadcastDelta> {
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
          org.apache.beam.sdk.values.TypeDescriptor.of(BroadcastDelta.class), INSTANCE);
    }

    @Override
    public void encode(BroadcastDelta d, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      out.writeLong(d.liveChannels);
      out.writeLong(d.starvationCount);
      out.writeLong(d.starvationMs);
      out.writeBoolean(d.channelName != null);
      if (d.channelName != null) {
        out.writeUTF(d.channelName);
      }
    }

    @Override
    public BroadcastDelta decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      return new BroadcastDelta(in.readLong(), in.readLong(), in.readLong(),
          in.readBoolean() ? in.readUTF() : null);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
