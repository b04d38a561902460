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
import org.livemetrics.schemas.family.CountedFields;
import org.livemetrics.schemas.family.MetricFamilyDescription.Accumulation;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;
import org.livemetrics.schemas.family.ViewerQosFamily;

/**
 * Deterministic coder for {@link QosMinute} (renditions in name order; a dimension the row's set
 * does not have is written as ""). After the key, the declared counts, distinct counts, sketches
 * and sums by key are written in the order the description declares their stored fields, from
 * {@code concurrent_sessions} on ({@link #LAYOUT}): the layout rows were written with before they were declared
 * (rows wait in the streaming Parquet writer's state; {@code QosMinuteSessionCountsTest} spells it
 * out), and where a new stored field goes.
 */
public final class QosMinuteCoder extends AtomicCoder<QosMinute> {
  private static final QosMinuteCoder INSTANCE = new QosMinuteCoder();

  /** What a metric column of the row is, for the coder. */
  private enum Kind { COUNT, DISTINCT, SKETCH, KEYED }

  /** A metric column: its kind and its position among the family's fields of that kind. */
  private record Slot(Kind kind, int position) {}

  /** The metric columns from concurrent_sessions on, in the order of the stored fields. */
  private static final Slot[] LAYOUT = layout();

  private static Slot[] layout() {
    CountedFields counted = ViewerQosFamily.COUNTED;
    List<Slot> layout = new ArrayList<>();
    boolean metrics = false;
    for (StoredField f : ViewerQosFamily.DESCRIPTION.storedFields()) {
      metrics |= f.name().equals(ViewerQosFamily.CONCURRENT_SESSIONS_FIELD);
      if (!metrics || f.value() == null) {
        continue;
      }
      try {
        layout.add(switch (f.type()) {
          case LONG -> f.accumulation() instanceof Accumulation.DistinctViewing
              ? new Slot(Kind.DISTINCT, counted.distinctPosition(f.name()))
              : new Slot(Kind.COUNT, counted.position(f.name()));
          case BYTES -> new Slot(Kind.SKETCH, counted.sketchPosition(f.name()));
          case MAP_OF_LONG -> new Slot(Kind.KEYED, counted.keyedPosition(f.name()));
          default -> throw new IllegalArgumentException(f.name() + " is a " + f.type());
        });
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("QosMinuteCoder has no place for " + f.name()
            + ", neither a declared count, distinct count, sketch nor sum by key: "
            + e.getMessage(), e);
      }
    }
    return layout.toArray(new Slot[0]);
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
    for (Slot at : LAYOUT) {
      switch (at.kind()) {
        case COUNT -> out.writeLong(r.countAt(at.position()));
        case DISTINCT -> out.writeLong(r.distinctAt(at.position()));
        case SKETCH -> {
          byte[] b = r.sketchAt(at.position());
          out.writeInt(b.length);
          out.write(b);
        }
        case KEYED -> {
          Map<String, Long> sums = r.keyedAt(at.position());
          out.writeInt(sums.size());
          for (Map.Entry<String, Long> e : sums.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
          }
        }
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
    b.minute(in.readLong());
    for (Slot at : LAYOUT) {
      switch (at.kind()) {
        case COUNT -> b.countAt(at.position(), in.readLong());
        case DISTINCT -> b.distinctAt(at.position(), in.readLong());
        case SKETCH -> {
          byte[] sketch = new byte[in.readInt()];
          in.readFully(sketch);
          b.sketchAt(at.position(), sketch);
        }
        case KEYED -> {
          int keys = in.readInt();
          Map<String, Long> sums = new TreeMap<>();
          for (int i = 0; i < keys; i++) {
            sums.put(in.readUTF(), in.readLong());
          }
          b.keyedAt(at.position(), sums);
        }
      }
    }
    return b.build();
  }

  @Override
  public void verifyDeterministic() {}
}
