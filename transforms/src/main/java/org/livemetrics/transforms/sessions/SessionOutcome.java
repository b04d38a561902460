package org.livemetrics.transforms.sessions;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.livemetrics.schemas.ClientPlatform;
import org.livemetrics.schemas.MetricType;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.schemas.SessionFacts;

/**
 * The running state of one viewing session, or of part of one: a fixed set of flags and times,
 * never its events, so a session of a million events takes the same few bytes as one of three.
 * Built from one event ({@link #of}) and merged ({@link #merge}, associative and commutative);
 * {@link #window} is the span {@link StopClosingSessions} gives it.
 *
 * <p>What the outcome counts (defined in {@code schemas/README.md}, "Session metrics"):
 *
 * <ul>
 *   <li>{@link #exitedBeforeVideoStart()}: an IMPRESSION and no PLAY.
 *   <li>{@link #attemptedPlayback()}: an IMPRESSION or a PLAY.
 *   <li>{@link #failedPlayback()}: attempted, and its latest PLAYBACK_SUMMARY with {@code
 *       error_count > 0} is no earlier than its latest sign of clean playing (a PLAY, or a summary
 *       with {@code playing_time_ms > 0} and no error): the errors ended its playback.
 *   <li>{@link #played()}: a PLAY or a summary with {@code playing_time_ms > 0}; {@link
 *       #rebuffered()}: played, and a summary with {@code buffering_count > 0}.
 * </ul>
 *
 * The session's dimensions are those of its earliest event (ties broken by value, so merging is
 * order-independent); it counts in the minute of its latest event ({@link #endMinute()}).
 */
public final class SessionOutcome implements SessionFacts {
  private static final long NONE = Long.MIN_VALUE;

  long firstMs;
  long lastMs;
  /** The latest STOP, or NONE. */
  long stopMs = NONE;
  String platform;
  String video;
  String country;
  String deviceType;
  boolean impression;
  boolean play;
  boolean played;
  boolean rebuffering;
  long lastErrorMs = NONE;
  long lastCleanPlayMs = NONE;

  private SessionOutcome(long firstMs, long lastMs, String platform, String video,
      String country, String deviceType) {
    this.firstMs = firstMs;
    this.lastMs = lastMs;
    this.platform = platform;
    this.video = video;
    this.country = country;
    this.deviceType = deviceType;
  }

  /** The partial session of one event. */
  public static SessionOutcome of(PlayerEvent e) {
    SessionOutcome s = new SessionOutcome(e.eventTime, e.eventTime,
        ClientPlatform.normalize(e.clientPlatform).apiName(), e.video, e.country,
        e.deviceType.apiName());
    switch (e.metricType) {
      case IMPRESSION:
        s.impression = true;
        break;
      case PLAY:
        s.play = true;
        s.played = true;
        s.lastCleanPlayMs = e.eventTime;
        break;
      case PLAYBACK_SUMMARY:
        boolean errors = e.errorCount != null && e.errorCount > 0;
        boolean playing = e.playingTimeMs != null && e.playingTimeMs > 0;
        s.played = playing;
        s.rebuffering = e.bufferingCount != null && e.bufferingCount > 0;
        if (errors) {
          s.lastErrorMs = e.eventTime;
        } else if (playing) {
          s.lastCleanPlayMs = e.eventTime;
        }
        break;
      case STOP:
        s.stopMs = e.eventTime;
        break;
      default:
        break; // any other event only keeps the session alive
    }
    return s;
  }

  /** No event yet: what a combine starts from (merging it changes nothing). */
  public static SessionOutcome empty() {
    return new SessionOutcome(Long.MAX_VALUE, Long.MIN_VALUE, "", "", "", "");
  }

  /** Folds {@code o} into this one ({@code o} is not changed). */
  public SessionOutcome merge(SessionOutcome o) {
    if (o.firstMs < firstMs || (o.firstMs == firstMs && earlierDimensions(o))) {
      platform = o.platform;
      video = o.video;
      country = o.country;
      deviceType = o.deviceType;
    }
    firstMs = Math.min(firstMs, o.firstMs);
    lastMs = Math.max(lastMs, o.lastMs);
    stopMs = Math.max(stopMs, o.stopMs);
    impression |= o.impression;
    play |= o.play;
    played |= o.played;
    rebuffering |= o.rebuffering;
    lastErrorMs = Math.max(lastErrorMs, o.lastErrorMs);
    lastCleanPlayMs = Math.max(lastCleanPlayMs, o.lastCleanPlayMs);
    return this;
  }

  private boolean earlierDimensions(SessionOutcome o) {
    int c = o.platform.compareTo(platform);
    if (c == 0) {
      c = o.video.compareTo(video);
    }
    if (c == 0) {
      c = o.country.compareTo(country);
    }
    if (c == 0) {
      c = o.deviceType.compareTo(deviceType);
    }
    return c < 0;
  }

  /** This partial's window: closed at its STOP if it holds one, else open for {@code gapMs}. */
  SessionWindow window(long gapMs) {
    return stopMs != NONE
        ? new SessionWindow(firstMs, stopMs + 1, true)
        : new SessionWindow(firstMs, lastMs + gapMs, false);
  }

  public long firstMs() {
    return firstMs;
  }

  public long lastMs() {
    return lastMs;
  }

  /** The epoch minute of the session's latest event: the minute it ended in. */
  public long endMinute() {
    return Math.floorDiv(lastMs, 60_000L);
  }

  /** The normalized client platform of the earliest event. */
  public String platform() {
    return platform;
  }

  public String video() {
    return video;
  }

  /** The country of the session's first event, as the QoS rows normalize it. */
  public String country() {
    return country;
  }

  /** The device type of the session's first event. */
  public String deviceType() {
    return deviceType;
  }

  @Override
  public boolean loaded() {
    return impression;
  }

  @Override
  public boolean exitedBeforeVideoStart() {
    return impression && !play;
  }

  @Override
  public boolean attemptedPlayback() {
    return impression || play;
  }

  @Override
  public boolean failedPlayback() {
    return attemptedPlayback() && lastErrorMs != NONE && lastErrorMs >= lastCleanPlayMs;
  }

  @Override
  public boolean played() {
    return played;
  }

  @Override
  public boolean rebuffered() {
    return played && rebuffering;
  }

  @Override
  public String toString() {
    return "session[" + firstMs + ".." + lastMs + (stopMs == NONE ? "" : " stop=" + stopMs)
        + " " + platform + "/" + video + (impression ? " impression" : "") + (play ? " play" : "")
        + (played ? " played" : "") + (rebuffering ? " rebuffering" : "")
        + (lastErrorMs == NONE ? "" : " error@" + lastErrorMs)
        + (lastCleanPlayMs == NONE ? "" : " clean@" + lastCleanPlayMs) + "]";
  }

  /** Coder of the partial sessions crossing the shuffle and of the combine's accumulators. */
  public static final class Coder extends AtomicCoder<SessionOutcome> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(SessionOutcome s, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      out.writeLong(s.firstMs);
      out.writeLong(s.lastMs);
      out.writeLong(s.stopMs);
      out.writeUTF(s.platform);
      out.writeUTF(s.video);
      out.writeUTF(s.country);
      out.writeUTF(s.deviceType);
      out.writeByte((s.impression ? 1 : 0) | (s.play ? 2 : 0) | (s.played ? 4 : 0)
          | (s.rebuffering ? 8 : 0));
      out.writeLong(s.lastErrorMs);
      out.writeLong(s.lastCleanPlayMs);
    }

    @Override
    public SessionOutcome decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      long first = in.readLong();
      long last = in.readLong();
      long stop = in.readLong();
      SessionOutcome s = new SessionOutcome(first, last, in.readUTF(), in.readUTF(),
          in.readUTF(), in.readUTF());
      s.stopMs = stop;
      int flags = in.readByte();
      s.impression = (flags & 1) != 0;
      s.play = (flags & 2) != 0;
      s.played = (flags & 4) != 0;
      s.rebuffering = (flags & 8) != 0;
      s.lastErrorMs = in.readLong();
      s.lastCleanPlayMs = in.readLong();
      return s;
    }
  }
}
