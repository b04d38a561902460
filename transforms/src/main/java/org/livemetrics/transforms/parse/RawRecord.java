package org.livemetrics.transforms.parse;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * Undecoded input as a source delivered it: one Kinesis record, or a block of lines of an archive
 * object. The payload may hold one JSON object, newline-delimited objects, objects concatenated
 * with no separator (Firehose's default), or a JSON array of objects.
 *
 * @param source where the bytes came from, for dead letters (an object path or a stream/shard/seq)
 * @param firstLine the line number of the payload's first line within the source (1-based)
 * @param arrival when the source received the bytes (epoch ms): a Kinesis record's approximate
 *     arrival time, an archive object's arrival hour; {@link #UNKNOWN_ARRIVAL} when not known, and
 *     then {@link ArrivalRule} does not apply
 */
@DefaultCoder(RawRecord.Coder.class)
public record RawRecord(String source, long firstLine, byte[] payload, long arrival)
    implements Serializable {
  public static final long UNKNOWN_ARRIVAL = Long.MIN_VALUE;

  /** Bytes whose arrival is not known. */
  public RawRecord(String source, long firstLine, byte[] payload) {
    this(source, firstLine, payload, UNKNOWN_ARRIVAL);
  }

  public static RawRecord of(String source, String payload) {
    return new RawRecord(source, 1, payload.getBytes(StandardCharsets.UTF_8));
  }

  /** Coder for {@link RawRecord}. */
  public static final class Coder extends AtomicCoder<RawRecord> {
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
          org.apache.beam.sdk.values.TypeDescriptor.of(RawRecord.class), INSTANCE);
    }

    @Override
    public void encode(RawRecord r, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      out.writeUTF(r.source);
      out.writeLong(r.firstLine);
      out.writeLong(r.arrival);
      out.writeInt(r.payload.length);
      out.write(r.payload);
    }

    @Override
    public RawRecord decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      String source = in.readUTF();
      long line = in.readLong();
      long arrival = in.readLong();
      byte[] payload = new byte[in.readInt()];
      in.readFully(payload);
      return new RawRecord(source, line, payload, arrival);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
