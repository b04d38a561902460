package org.livemetrics.schemas;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A compact, deterministic coder for {@link PlayerEvent}: a null bitmap, then the present fields.
 * Hand-written because events cross operator boundaries at full input rate.
 */
public final class PlayerEventCoder extends AtomicCoder<PlayerEvent> {
  private static final PlayerEventCoder INSTANCE = new PlayerEventCoder();

  public static PlayerEventCoder of() {
    return INSTANCE;
  }

  /**
   * What {@code @DefaultCoder} looks for; without it Beam silently falls back to Java serialization
   * for this type.
   */
  public static org.apache.beam.sdk.coders.CoderProvider getCoderProvider() {
    return org.apache.beam.sdk.coders.CoderProviders.forCoder(
        org.apache.beam.sdk.values.TypeDescriptor.of(PlayerEvent.class), INSTANCE);
  }

  @Override
  public void encode(PlayerEvent e, OutputStream os) throws IOException {
    DataOutputStream out = new DataOutputStream(os);
    Object[] optional = optionalFields(e);
    int nulls = 0;
    for (int i = 0; i < optional.length; i++) {
      if (optional[i] == null) {
        nulls |= 1 << i;
      }
    }
    out.writeInt(nulls);
    out.writeByte(e.metricType.ordinal());
    out.writeLong(e.eventTime);
    out.writeUTF(e.account);
    out.writeUTF(e.video);
    out.writeUTF(e.sessionId);
    out.writeUTF(e.country);
    out.writeByte(e.deviceType.ordinal());
    out.writeLong(e.fingerprint);
    for (Object v : optional) {
      if (v instanceof String) {
        out.writeUTF((String) v);
      } else if (v instanceof Long) {
        out.writeLong((Long) v);
      } else if (v instanceof Double) {
        out.writeDouble((Double) v);
      } else if (v instanceof Boolean) {
        out.writeBoolean((Boolean) v);
      }
    }
  }

  private static @Nullable Object[] optionalFields(PlayerEvent e) {
    // The order here is the wire order; decode() reads the same order.
    return new Object[] {
      e.userId, e.clientPlatform, e.isLive, e.startupLatencyMs, e.startPlaybackPositionSec,
      e.playingTimeMs, e.bufferingTimeMs, e.bufferingCount, e.errorCount, e.renditionName,
      e.renditionHeight, e.liveLatencyMs, e.fromRenditionName, e.toRenditionName, e.fromBitrate,
      e.toBitrate, e.stepDirection, e.endPlaybackPositionSec
    };
  }

  @Override
  public PlayerEvent decode(InputStream is) throws IOException {
    DataInputStream in = new DataInputStream(is);
    int nulls = in.readInt();
    PlayerEvent.Builder b = PlayerEvent.builder();
    b.metricType = MetricType.ofOrdinal(in.readByte());
    b.eventTime = in.readLong();
    b.account = in.readUTF();
    b.video = in.readUTF();
    b.sessionId = in.readUTF();
    b.country = in.readUTF();
    b.deviceType = DeviceType.values()[in.readByte()];
    b.fingerprint = in.readLong();
    Reader r = new Reader(in, nulls);
    b.userId = r.string();
    b.clientPlatform = r.string();
    b.isLive = r.bool();
    b.startupLatencyMs = r.int64();
    b.startPlaybackPositionSec = r.float64();
    b.playingTimeMs = r.int64();
    b.bufferingTimeMs = r.int64();
    b.bufferingCount = r.int64();
    b.errorCount = r.int64();
    b.renditionName = r.string();
    b.renditionHeight = r.int64();
    b.liveLatencyMs = r.int64();
    b.fromRenditionName = r.string();
    b.toRenditionName = r.string();
    b.fromBitrate = r.int64();
    b.toBitrate = r.int64();
    b.stepDirection = r.string();
    b.endPlaybackPositionSec = r.float64();
    return b.build();
  }

  @Override
  public void verifyDeterministic() {}

  /** Reads the optional fields in wire order, skipping those the bitmap marks null. */
  private static final class Reader {
    private final DataInputStream in;
    private final int nulls;
    private int index;

    Reader(DataInputStream in, int nulls) {
      this.in = in;
      this.nulls = nulls;
    }

    private boolean present() {
      return (nulls & (1 << index++)) == 0;
    }

    @Nullable String string() throws IOException {
      return present() ? in.readUTF() : null;
    }

    @Nullable Long int64() throws IOException {
      return present() ? in.readLong() : null;
    }

    @Nullable Double float64() throws IOException {
      return present() ? in.readDouble() : null;
    }

    @Nullable Boolean bool() throws IOException {
      return present() ? in.readBoolean() : null;
    }
  }
}
