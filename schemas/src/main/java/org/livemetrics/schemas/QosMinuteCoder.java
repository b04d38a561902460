package org.livemetrics.schemas;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;
import org.livemetrics.schemas.family.ViewerQosFamily;

/**
 * Deterministic coder for {@link QosMinute} (renditions in name order; a dimension the row's set
 * does not have is written as ""). After the key and {@code concurrent_sessions}, the declared
 * counts, the sketches and the renditions are written in the order the description declares their
 * stored fields ({@link #LAYOUT}): the layout rows were written with before they were declared
 * (rows wait in the streaming Parquet writer's state; {@code QosMinuteSessionCountsTest} spells it
 * out), and where a new stored field goes.
 */
public final class QosMinuteCoder extends AtomicCoder<QosMinute> {
  private static final QosMinuteCoder INSTANCE = new QosMinuteCoder();

  private static final int RENDITIONS = Integer.MAX_VALUE;
  /**
   * What follows concurrent_sessions, in order: a count's position, a sketch's ({@code
   * ~position}), or {@link #RENDITIONS}.
   */
  private static final int[] LAYOUT = layout();

  private static int[] layout() {
    List<Integer> layout = new ArrayList<>();
    boolean metrics = false;
    for (StoredField f : ViewerQosFamily.DESCRIPTION.storedFields()) {
      if (f.name().equals(ViewerQosFamily.CONCURRENT_SESSIONS_FIELD)) {
        metrics = true;
      } else if (metrics && f.value() != null) {
        int position = switch (f.type()) {
          case LONG -> ViewerQosFamily.COUNTS.indexOf(f.name()); // -1: not a count
          case BYTES -> ViewerQosFamily.SKETCHES.indexOf(f.name());
          case MAP_OF_LONG -> 0;
          default -> -1;
        };
        if (position < 0) {
          throw new IllegalStateException(f.name() + " is neither a declared count, a declared "
              + "sketch nor the renditions: QosMinuteCoder has no place for it");
        }
        layout.add(switch (f.type()) {
          case BYTES -> ~position;
          case MAP_OF_LONG -> RENDITIONS;
          default -> position;
        });
      }
    }
    return layout.stream().mapToInt(Integer::intValue).toArray();
  }

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
    for (int at : LAYOUT) {
      if (at == RENDITIONS) {
        out.writeInt(r.renditionPlayingMs.size());
        for (Map.Entry<String, Long> e : r.renditionPlayingMs.entrySet()) {
          out.writeUTF(e.getKey());
          out.writeLong(e.getValue());
        }
      } else if (at >= 0) {
        out.writeLong(r.countAt(at));
      } else {
        byte[] b = r.sketchAt(~at);
        out.writeInt(b.length);
        out.write(b);
      }
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
    b.minute(in.readLong()).concurrentSessions(in.readLong());
    for (int at : LAYOUT) {
      if (at == RENDITIONS) {
        int renditions = in.readInt();
        Map<String, Long> ms = new TreeMap<>();
        for (int i = 0; i < renditions; i++) {
          ms.put(in.readUTF(), in.readLong());
        }
        b.renditionPlayingMs(ms);
      } else if (at >= 0) {
        b.countAt(at, in.readLong());
      } else {
        byte[] sketch = new byte[in.readInt()];
        in.readFully(sketch);
        b.sketchAt(~at, sketch);
      }
    }
    return b.build();
  }

  @Override
  public void verifyDeterministic() {}
}
