package org.livemetrics.schemas;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One IVS stream of a channel, from its Stream Start to its Stream End or Stream Failure (paired by
 * {@code stream_id}, whatever order they arrived in), or still open. Streaming re-emits a stream
 * while it is open, with its running duration, and again whenever what is known of it changes;
 * each emission of a stream has a higher {@code version}, so the row with the highest version per
 * (channel, stream_id) is current. A batch run emits each stream once, with version 0.
 *
 * @param startTime Stream Start; null when it was never received (an end with no start)
 * @param endTime Stream End or Failure; null while open
 * @param durationMs end (or, while open, {@code asOf}, at most the longest stream duration) minus
 *     start; null without a start
 * @param asOf the event time the row's figures are measured to: the end for an ended stream; for an
 *     open one the channel's processed event time (the watermark in streaming, the end of the input
 *     in batch), at most start plus the longest stream duration
 * @param version the emission's rank among the rows of this stream (0 first; batch: always 0)
 * @param sessionCreatedTime the first Session Created of the stream, if any
 * @param sessionEndedTime the first Session Ended of the stream, if any
 * @param starvationCount starvation episodes of the stream
 * @param starvationMs their total length, up to {@code asOf} while open
 */
@DefaultCoder(StreamSession.Coder.class)
public record StreamSession(
    String account,
    String region,
    String channelArn,
    @Nullable String channelName,
    String streamId,
    @Nullable Long startTime,
    @Nullable Long endTime,
    Outcome outcome,
    @Nullable Long durationMs,
    long asOf,
    long version,
    @Nullable Long sessionCreatedTime,
    @Nullable Long sessionEndedTime,
    long starvationCount,
    long starvationMs)
    implements Serializable {

  /** How a stream ended, or that it has not (yet). */
  public enum Outcome {
    /** Stream End. */
    ENDED("ended"),
    /** Stream Failure. */
    FAILED("failed"),
    /** No end received (yet): the duration runs to {@code asOf}. */
    OPEN("open");

    private final String apiName;

    Outcome(String apiName) {
      this.apiName = apiName;
    }

    public String apiName() {
      return apiName;
    }

    public static Outcome fromApiName(String name) {
      for (Outcome o : values()) {
        if (o.apiName.equals(name)) {
          return o;
        }
      }
      throw new IllegalArgumentException("unknown stream outcome " + name);
    }
  }

  /** The same row with another version. */
  public StreamSession withVersion(long v) {
    return new StreamSession(account, region, channelArn, channelName, streamId, startTime, endTime,
        outcome, durationMs, asOf, v, sessionCreatedTime, sessionEndedTime, starvationCount,
        starvationMs);
  }

  public StreamSession {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(channelArn, "channelArn");
    Objects.requireNonNull(streamId, "streamId");
    Objects.requireNonNull(outcome, "outcome");
  }

  /** Deterministic coder. */
  public static final class Coder extends AtomicCoder<StreamSession> {
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
          org.apache.beam.sdk.values.TypeDescriptor.of(StreamSession.class), INSTANCE);
    }

    @Override
    public void encode(StreamSession s, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      out.writeUTF(s.account);
      out.writeUTF(s.region);
      out.writeUTF(s.channelArn);
      writeString(out, s.channelName);
      out.writeUTF(s.streamId);
      writeLong(out, s.startTime);
      writeLong(out, s.endTime);
      out.writeByte(s.outcome.ordinal());
      writeLong(out, s.durationMs);
      out.writeLong(s.asOf);
      out.writeLong(s.version);
      writeLong(out, s.sessionCreatedTime);
      writeLong(out, s.sessionEndedTime);
      out.writeLong(s.starvationCount);
      out.writeLong(s.starvationMs);
    }

    @Override
    public StreamSession decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      return new StreamSession(in.readUTF(), in.readUTF(), in.readUTF(), readString(in),
          in.readUTF(), readLong(in), readLong(in), Outcome.values()[in.readByte()], readLong(in),
          in.readLong(), in.readLong(), readLong(in), readLong(in), in.readLong(), in.readLong());
    }

    private static void writeString(DataOutputStream out, @Nullable String s) throws IOException {
      out.writeBoolean(s != null);
      if (s != null) {
        out.writeUTF(s);
      }
    }

    private static @Nullable String readString(DataInputStream in) throws IOException {
      return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeLong(DataOutputStream out, @Nullable Long v) throws IOException {
      out.writeBoolean(v != null);
      if (v != null) {
        out.writeLong(v);
      }
    }

    private static @Nullable Long readLong(DataInputStream in) throws IOException {
      return in.readBoolean() ? in.readLong() : null;
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}
