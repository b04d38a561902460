package org.livemetrics.schemas;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/** Deterministic coder for {@link MinuteAggregate}. */
public final class MinuteAggregateCoder extends AtomicCoder<MinuteAggregate> {
  private static final MinuteAggregateCoder INSTANCE = new MinuteAggregateCoder();

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
    out.writeLong(a.videoImpression);
    out.writeLong(a.videoView);
    out.writeLong(a.aliveSsAdStart);
    out.writeLong(a.videoSecondsViewedMs);
    out.writeLong(a.ccu);
    out.writeLong(a.fingerprintCount);
    out.writeInt(a.sessionSketch.length);
    out.write(a.sessionSketch);
    out.writeInt(a.fingerprintSketch.length);
    out.write(a.fingerprintSketch);
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
    long impressions = in.readLong();
    long views = in.readLong();
    long ads = in.readLong();
    long viewedMs = in.readLong();
    long ccu = in.readLong();
    long fingerprints = in.readLong();
    byte[] sessions = new byte[in.readInt()];
    in.readFully(sessions);
    byte[] fps = new byte[in.readInt()];
    in.readFully(fps);
    return new MinuteAggregate(account, video, set, country.isEmpty() ? null : country,
        device.isEmpty() ? null : device, minute, impressions, views, ads, viewedMs, ccu,
        fingerprints, sessions, fps);
  }

  @Override
  public void verifyDeterministic() {}
}
