package org.livemetrics.schemas;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A validated Amazon IVS stream event as EventBridge delivered it: what the broadcast metrics
 * compute from.
 *
 * @param id the EventBridge event id: the same event delivered twice has the same id
 * @param type the detail-type and event name
 * @param time the event's {@code time}, epoch milliseconds
 * @param account the AWS account
 * @param region the AWS region
 * @param channelArn the channel, {@code resources[0]}
 * @param channelName {@code detail.channel_name}, when sent
 * @param streamId {@code detail.stream_id}: pairs a stream's start with its end
 */
@DefaultCoder(BroadcastEvent.Coder.class)
public record BroadcastEvent(
    String id,
    BroadcastEventType type,
    long time,
    String account,
    String region,
    String channelArn,
    @Nullable String channelName,
    String streamId)
    implements Serializable {

  public BroadcastEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(channelArn, "channelArn");
    Objects.requireNonNull(streamId, "streamId");
  }

  /** Deterministic coder. */
  public static final class Coder extends AtomicCoder<BroadcastEvent> {
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
          org.apache.beam.sdk.values.TypeDescriptor.of(BroadcastEvent.class), INSTANCE);
    }

    @Override
    public void encode(BroadcastEvent e, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      out.writeUTF(e.id);
      out.writeByte(e.type.ordinal());
      out.writeLong(e.time);
      out.writeUTF(e.account);
      out.writeUTF(e.region);
      out.writeUTF(e.channelArn);
      out.writeBoolean(e.channelName != null);
      if (e.channelName != null) {
        out.writeUTF(e.channelName);
      }
      out.writeUTF(e.streamId);
    }

    @Override
    public BroadcastEvent decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      String id = in.readUTF();
      BroadcastEventType type = BroadcastEventType.values()[in.readByte()];
      long time = in.readLong();
      String account = in.readUTF();
      String region = in.readUTF();
      String channel = in.readUTF();
      String name = in.readBoolean() ? in.readUTF() : null;
      return new BroadcastEvent(id, type, time, account, region, channel, name, in.readUTF());
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}
