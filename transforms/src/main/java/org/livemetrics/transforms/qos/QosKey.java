package org.livemetrics.transforms.qos;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.livemetrics.schemas.Dimension;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.transforms.metrics.MinuteKeyed;

/**
 * The grouping key of one QoS row: dimension set, account, the values of the set's dimensions
 * right-aligned in ({@code first}, {@code second}) ({@code first} is {@code ""} for a set of one
 * dimension: a {client_platform} row is ("", platform), a {country} row ("", country), a {video,
 * client_platform} row (video, platform), as these keys were before the sets were described, so a
 * savepoint's keys keep their meaning), and the epoch minute. Sets have at most two dimensions
 * (checked when this class loads).
 */
@DefaultCoder(QosKey.Coder.class)
public record QosKey(
    QosDimensionSet dimensionSet, String account, String first, String second, long epochMinute)
    implements Serializable, MinuteKeyed {

  /** Each set's dimensions, by ordinal, read once from the description. */
  private static final Dimension[][] SET_DIMENSIONS = setDimensions();

  /**
   * The key of {@code set}'s row that has these dimension values (those the set lacks are
   * ignored), right-aligned as above: the one place an event's or a session's values become a key.
   */
  public static QosKey of(QosDimensionSet set, String account, long epochMinute, String video,
      String clientPlatform, String country, String deviceType) {
    Dimension[] dims = SET_DIMENSIONS[set.ordinal()];
    String second = value(dims[dims.length - 1], video, clientPlatform, country, deviceType);
    String first =
        dims.length > 1 ? value(dims[0], video, clientPlatform, country, deviceType) : "";
    return new QosKey(set, account, first, second, epochMinute);
  }

  /** The same row's key in another minute. */
  public QosKey atMinute(long minute) {
    return new QosKey(dimensionSet, account, first, second, minute);
  }

  /** The key's value of one of its set's dimensions (the inverse of {@link #of}). */
  public String value(Dimension d) {
    Dimension[] dims = SET_DIMENSIONS[dimensionSet.ordinal()];
    if (d == dims[dims.length - 1]) {
      return second;
    }
    if (dims.length > 1 && d == dims[0]) {
      return first;
    }
    throw new IllegalArgumentException(dimensionSet.id() + " rows have no " + d.apiName());
  }

  /** A QoS dimension's value, normalized as the audience metrics normalize it. */
  private static String value(Dimension d, String video, String clientPlatform, String country,
      String deviceType) {
    return switch (d) {
      case VIDEO -> video;
      case CLIENT_PLATFORM -> clientPlatform;
      case COUNTRY -> country;
      case DEVICE_TYPE -> deviceType;
      default -> throw new IllegalStateException("QoS rows have no " + d.apiName());
    };
  }

  private static Dimension[][] setDimensions() {
    QosDimensionSet[] sets = QosDimensionSet.values();
    Dimension[][] dims = new Dimension[sets.length][];
    for (QosDimensionSet set : sets) {
      if (set.dimensions().isEmpty() || set.dimensions().size() > 2) {
        throw new IllegalStateException("QosKey holds one or two dimensions; " + set.id());
      }
      dims[set.ordinal()] = set.dimensions().toArray(new Dimension[0]);
    }
    return dims;
  }

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
