package org.livemetrics.schemas;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.livemetrics.schemas.family.ViewerQosFamily;

/**
 * Deterministic coder for {@link QosMinute} (renditions in name order; a dimension the row's set
 * does not have is written as ""). The counts are written in the order the description declares
 * them ({@link ViewerQosFamily#COUNTS}), the first {@link #COUNTS_BEFORE_LATENCIES} before the
 * latencies and the rest after the renditions: the layout rows were written with before the counts
 * were declared (rows wait in the streaming Parquet writer's state). A new count is appended.
 */
public final class QosMinuteCoder extends AtomicCoder<QosMinute> {
  private static final QosMinuteCoder INSTANCE = new QosMinuteCoder();
  private static final int COUNTS = ViewerQosFamily.COUNTS.size();

  static final int COUNTS_BEFORE_LATENCIES = 4;

  public static QosMinuteCoder of() {
    return INSTANCE;
  }

  /**
   * What {@code @DefaultCoder} looks for; without it Beam silently falls back to Java serialization
   * for this type.
   */
  public static org.apache.beam.sdk.coders.CoderProvider getCoderProvider() {
    return org.apache.beam.sdk.coders.CoderProviders.forCoder(
        org.apache.beam.sdk.values.TypeDescriptor.of(QosMinute.class), INSTANCE);
  }

  @Override
  public void encode(QosMinute r, OutputStream os) throws IOException {
    DataOutputStream out = new DataOutputStream(os);
    out.writeUTF(r.account);
    out.writeByte(r.dimensionSet.ordinal());
    for (Dimension d : QosMinute.DIMENSIONS) {
      String v = r.value(d);
      out.writeUTF(v == null ? "" : v);
    }
    out.writeLong(r.minute);
    out.writeLong(r.concurrentSessions);
    for (int i = 0; i < COUNTS_BEFORE_LATENCIES; i++) {
      out.writeLong(r.countAt(i));
    }
    out.writeLong(r.startupCount);
    out.writeLong(r.startupSumMs);
    writeBytes(out, r.startupSketch);
    out.writeLong(r.liveLatencyCount);
    out.writeLong(r.liveLatencySumMs);
    writeBytes(out, r.liveLatencySketch);
    out.writeInt(r.renditionPlayingMs.size());
    for (Map.Entry<String, Long> e : r.renditionPlayingMs.entrySet()) {
      out.writeUTF(e.getKey());
      out.writeLong(e.getValue());
    }
    for (int i = COUNTS_BEFORE_LATENCIES; i < COUNTS; i++) {
      out.writeLong(r.countAt(i));
    }
  }

  @Override
  public QosMinute decode(InputStream is) throws IOException {
    DataInputStream in = new DataInputStream(is);
    QosMinute.Builder b = QosMinute.builder().account(in.readUTF());
    QosDimensionSet set = QosDimensionSet.values()[in.readByte()];
    b.dimensionSet(set);
    for (Dimension d : QosMinute.DIMENSIONS) {
      String v = in.readUTF();
      b.dimension(d, set.contains(d) ? v : null);
    }
    b.minute(in.readLong())
        .concurrentSessions(in.readLong());
    for (int i = 0; i < COUNTS_BEFORE_LATENCIES; i++) {
      b.countAt(i, in.readLong());
    }
    long startupCount = in.readLong();
    long startupSum = in.readLong();
    b.startup(startupCount, startupSum, readBytes(in));
    long latencyCount = in.readLong();
    long latencySum = in.readLong();
    b.liveLatency(latencyCount, latencySum, readBytes(in));
    int renditions = in.readInt();
    Map<String, Long> ms = new TreeMap<>();
    for (int i = 0; i < renditions; i++) {
      ms.put(in.readUTF(), in.readLong());
    }
    b.renditionPlayingMs(ms);
    for (int i = COUNTS_BEFORE_LATENCIES; i < COUNTS; i++) {
      b.countAt(i, in.readLong());
    }
    return b.build();
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return b;
  }

  @Override
  public void verifyDeterministic() {}
}
