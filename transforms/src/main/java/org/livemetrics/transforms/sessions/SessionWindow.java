package org.livemetrics.transforms.sessions;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The event-time span of one viewing session, {@code [start, end)} in epoch milliseconds, as
 * {@link StopClosingSessions} assigns and merges them. A {@link #closed} window holds a STOP and
 * ends one millisecond after it: no later event joins it, however close in time.
 */
public final class SessionWindow extends BoundedWindow {
  private final long start;
  private final long end;
  private final boolean closed;

  public SessionWindow(long start, long end, boolean closed) {
    if (end <= start) {
      throw new IllegalArgumentException("a session window must end after it starts: "
          + start + ".." + end);
    }
    this.start = start;
    this.end = end;
    this.closed = closed;
  }

  public long start() {
    return start;
  }

  public long end() {
    return end;
  }

  /** Whether a STOP ended the session (at {@code end - 1}). */
  public boolean closed() {
    return closed;
  }

  @Override
  public Instant maxTimestamp() {
    return new Instant(end - 1);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof SessionWindow w && w.start == start && w.end == end && w.closed == closed;
  }

  @Override
  public int hashCode() {
    return Objects.hash(start, end, closed);
  }

  @Override
  public String toString() {
    return "[" + new Instant(start) + ".." + new Instant(end) + (closed ? " STOP)" : ")");
  }

  /** Deterministic coder: start, length and the closed flag. */
  public static final class Coder extends AtomicCoder<SessionWindow> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(SessionWindow w, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      out.writeLong(w.start);
      out.writeLong(w.end);
      out.writeBoolean(w.closed);
    }

    @Override
    public SessionWindow decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      return new SessionWindow(in.readLong(), in.readLong(), in.readBoolean());
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}
