package org.livemetrics.transforms.observability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * One row's value for a per-region gauge: {@code row} identifies the row within its minute (a
 * later pane of the same row replaces its value), {@code region} is the gauge's label.
 */
public record RegionSample(long minute, String row, String region, long value)
    implements Serializable {

  /** A compact coder: one sample per row firing crosses a shuffle to the single key. */
  public static final class Coder extends AtomicCoder<RegionSample> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(RegionSample s, OutputStream out) throws IOException {
      VarLongCoder.of().encode(s.minute(), out);
      StringUtf8Coder.of().encode(s.row(), out);
      StringUtf8Coder.of().encode(s.region(), out);
      VarLongCoder.of().encode(s.value(), out);
    }

    @Override
    public RegionSample decode(InputStream in) throws IOException {
      return new RegionSample(VarLongCoder.of().decode(in), StringUtf8Coder.of().decode(in),
          StringUtf8Coder.of().decode(in), VarLongCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
