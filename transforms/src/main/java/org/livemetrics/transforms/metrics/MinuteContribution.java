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
 * What one event adds to one minute's row: counts, playing time, and (if it marks its session as
 * viewing in that minute) the session and fingerprint keys for the distinct counts.
 */
@DefaultCoder(MinuteContribution.Coder.class)
public record MinuteContribution(
    int impressions,
    int views,
    int adStarts,
    long playingMs,
    boolean viewing,
    long sessionKey,
    long fingerprint)
    implements Serializable {

  /** Coder for {@link MinuteContribution}. */
  public static final class Coder extends AtomicCoder<MinuteContribution> {
    private static final Coder INSTANCE = new Coder();

    /** Found by {@code @DefaultCoder}. */
    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(MinuteContribution c, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      out.writeInt(c.impressions);
      out.writeInt(c.views);
      out.writeInt(c.adStarts);
      out.writeLong(c.playingMs);
      out.writeBoolean(c.viewing);
      out.writeLong(c.sessionKey);
      out.writeLong(c.fingerprint);
    }

    @Override
    public MinuteContribution decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      return new MinuteContribution(
          in.readInt(), in.readInt(), in.readInt(), in.readLong(), in.readBoolean(), in.readLong(),
          in.readLong());
    }

    @Override
    public void verifyDeterministic() {}
  }
}
