package org.livemetrics.schemas;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.family.BroadcastFamily;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredSet;

/**
 * One stored broadcast row: the IVS channels of one scope (all, a region, one channel) in one UTC
 * minute.
 *
 * <ul>
 *   <li>{@code liveChannels} ({@code channel_concurrency}): channels with a stream live at any
 *       time within the minute (Stream Start up to its End or Failure; an open stream up to the
 *       watermark). 0 or 1 on a channel row.
 *   <li>{@code starvationCount}: starvation episodes that began in the minute, so sums over minutes
 *       count each episode once.
 *   <li>{@code starvationMs}: the part of every episode that lies within the minute (an episode
 *       across a minute boundary is split); stored in ms, reported as {@code starvation_seconds}.
 * </ul>
 *
 * @param region null on {@link Scope#ALL} rows
 * @param channelArn only on {@link Scope#CHANNEL} rows
 * @param channelName only on channel rows, when IVS sent it
 * @param minute start of the UTC minute, epoch ms
 */
@DefaultCoder(BroadcastMinute.Coder.class)
public record BroadcastMinute(
    Scope scope,
    @Nullable String region,
    @Nullable String channelArn,
    @Nullable String channelName,
    long minute,
    long liveChannels,
    long starvationCount,
    long starvationMs)
    implements Serializable {

  /** Which channels a row covers; each also a dimension set of the API ({@link #id()}). */
  public enum Scope {
    /** Every channel: the overall concurrency. */
    ALL,
    /** The channels of one AWS region. */
    REGION,
    /** One channel. */
    CHANNEL;

    public List<Dimension> dimensions() {
      return Described.SETS.get(this).dimensions();
    }

    /** {@code ""}, {@code region} or {@code region,channel}. */
    public String id() {
      return Described.SETS.get(this).id();
    }

    public static Scope fromId(String id) {
      for (Scope s : values()) {
        if (s.id().equals(id)) {
          return s;
        }
      }
      throw new IllegalArgumentException("unknown broadcast scope '" + id + "'");
    }

    /** Read lazily, so the description ({@link BroadcastFamily}) may name these constants. */
    private static final class Described {
      static final Map<Scope, StoredSet> SETS = new java.util.EnumMap<>(Scope.class);

      static {
        for (Scope s : values()) {
          SETS.put(s, BroadcastFamily.DESCRIPTION.storedSet(s));
        }
      }
    }
  }

  public BroadcastMinute {
    Objects.requireNonNull(scope, "scope");
    if ((scope == Scope.ALL) != (region == null)
        || (scope == Scope.CHANNEL) != (channelArn != null)) {
      throw new IllegalArgumentException(
          "a " + scope + " row has " + (scope == Scope.ALL ? "no region" : "a region")
              + (scope == Scope.CHANNEL ? " and a channel" : " and no channel"));
    }
  }

  /** Deterministic coder. */
  public static final class Coder extends AtomicCoder<BroadcastMinute> {
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
          org.apache.beam.sdk.values.TypeDescriptor.of(BroadcastMinute.class), INSTANCE);
    }

    @Override
    public void encode(BroadcastMinute m, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      out.writeByte(m.scope.ordinal());
      out.writeUTF(m.region == null ? "" : m.region);
      out.writeUTF(m.channelArn == null ? "" : m.channelArn);
      out.writeBoolean(m.channelName != null);
      if (m.channelName != null) {
        out.writeUTF(m.channelName);
      }
      out.writeLong(m.minute);
      out.writeLong(m.liveChannels);
      out.writeLong(m.starvationCount);
      out.writeLong(m.starvationMs);
    }

    @Override
    public BroadcastMinute decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      Scope scope = Scope.values()[in.readByte()];
      String region = in.readUTF();
      String channel = in.readUTF();
      String name = in.readBoolean() ? in.readUTF() : null;
      return new BroadcastMinute(scope, scope == Scope.ALL ? null : region,
          scope == Scope.CHANNEL ? channel : null, name, in.readLong(), in.readLong(),
          in.readLong(), in.readLong());
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}
