package org.livemetrics.testdata;

import static org.livemetrics.testdata.PlayerEventEncoder.AD_START;
import static org.livemetrics.testdata.PlayerEventEncoder.IMPRESSION;
import static org.livemetrics.testdata.PlayerEventEncoder.PLAY;
import static org.livemetrics.testdata.PlayerEventEncoder.PLAYBACK_SUMMARY;
import static org.livemetrics.testdata.PlayerEventEncoder.QUALITY_CHANGED;
import static org.livemetrics.testdata.PlayerEventEncoder.REBUFFER_START;
import static org.livemetrics.testdata.PlayerEventEncoder.STOP;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.livemetrics.testdata.ArchiveGenerator.Config;
import org.livemetrics.testdata.KnownCountries.KnownCountry;
import org.livemetrics.testdata.KnownUserAgents.KnownUserAgent;

/**
 * One shard of viewers, simulated in event-time order: a heap of viewer slots keyed by the time of
 * each slot's next event. Each slot is a device running sessions one after another; events are
 * encoded as they happen and routed to the Firehose object of their arrival time.
 */
final class ViewerSimulation implements Callable<ArchiveGenerator.Summary> {

  /** Viewers join over the first minutes of the window. */
  static final int RAMP_MINUTES = 10;

  private static final long SECOND = 1_000;
  private static final long MINUTE = 60_000;
  private static final long HOUR = 3_600_000;
  /** The IVS player sends a summary a little over every minute. */
  private static final long SUMMARY_INTERVAL_MS = 61_000;
  private static final long MEAN_QUALITY_CHANGE_MS = 8 * MINUTE;
  private static final long MEAN_AD_BREAK_MS = 12 * MINUTE;
  private static final double PLAY_RATE = 0.88;
  private static final double STOP_RATE = 0.9;
  private static final double SAME_DEVICE_REJOIN_RATE = 0.6;
  private static final double SAME_VIDEO_REJOIN_RATE = 0.7;
  private static final double ANONYMOUS_DEVICE_RATE = 0.02;
  private static final double NO_GEO_DEVICE_RATE = 0.015;
  private static final double NO_USER_ID_RATE = 0.3;

  // Session states.
  private static final int AWAIT_IMPRESSION = 0;
  private static final int AWAIT_PLAY = 1;
  private static final int PLAYING = 2;

  // Variation counters, in Summary.variations.
  private static final String[] VARIATIONS = {
    "string_values", "live_latency_sec", "country_name_only", "no_device_flags", "no_account_id",
    "empty_account_id", "extra_fields", "unknown_metric_type", "array_batches", "late_arrival",
    "no_ip_or_user_agent", "no_country"
  };
  private static final int V_STRING = 0;
  private static final int V_LATENCY_SEC = 1;
  private static final int V_NAME_ONLY = 2;
  private static final int V_NO_FLAGS = 3;
  private static final int V_NO_ACCOUNT = 4;
  private static final int V_EMPTY_ACCOUNT = 5;
  private static final int V_EXTRA = 6;
  private static final int V_UNKNOWN_TYPE = 7;
  private static final int V_ARRAY = 8;
  private static final int V_LATE = 9;
  private static final int V_ANONYMOUS = 10;
  private static final int V_NO_COUNTRY = 11;

  /** A viewer device: what the fingerprint is made of, and where it is. */
  static final class Device {
    KnownUserAgent userAgent;
    /** Has sent an event (devices are counted then). */
    boolean seen;
    byte[] ipQuoted;
    byte[] userAgentQuoted;
    byte[] playerQuoted;
    byte[] platformQuoted;
    byte[] userIdQuoted;
    KnownCountry country;
    byte[] countryCodeQuoted;
    byte[] countryCodeLowerQuoted;
    byte[] countryNameQuoted;
    byte[] cityQuoted;
    /** ip through the CloudFront flags, as records without variations carry them. */
    byte[] usualTail;
  }

  /** One concurrent viewer: a device and its current session. */
  private static final class Slot {
    long next;
    Device device;
    int state;
    byte[] sessionQuoted;
    int video;
    boolean willPlay;
    boolean stopAtEnd;
    long startupLatencyMs;
    long plannedDurationMs;
    long endTime;
    long lastSummary;
    long nextSummary;
    long nextQualityChange;
    long nextAd;
    long startPositionTenths;
    long playStart;
    int rendition;
  }

  private final Config cfg;
  private final Path root;
  private final SplittableRandom rnd;
  private final long windowStart;
  private final long windowEnd;
  private final int viewers;
  private final byte[][] videoQuoted;
  private final byte[][] videoBare;
  private final double[] videoCumulativeWeight;
  private final byte[] accountQuoted;
  private final PlayerEventEncoder enc = new PlayerEventEncoder();
  private final long objectIntervalMs;

  private Slot[] heap;
  private long[] heapKeys;
  private int heapSize;
  private final List<FirehoseObject> open = new ArrayList<>();
  private long nextCloseAt = Long.MAX_VALUE;
  private final Set<Path> createdDirs = new HashSet<>();
  private final byte[] notAnObject = PlayerEventEncoder.ascii("42");
  private final byte[] notAnObjectString = PlayerEventEncoder.ascii("\"heartbeat\"");

  // Counters.
  private long records;
  private long valid;
  private long objects;
  private long gzipObjects;
  private long gzipWithoutSuffix;
  private long concatenatedObjects;
  private long bytes;
  private long first = Long.MAX_VALUE;
  private long last = Long.MIN_VALUE;
  private long sessions;
  private long devices;
  private long laterHour;
  private final long[] byType = new long[PlayerEventEncoder.METRIC_TYPES.length];
  private final long[] byReason = new long[BadRecordReason.values().length];
  private final long[] variations = new long[VARIATIONS.length];
  private final SortedSet<String> hours = new TreeSet<>();

  ViewerSimulation(Config cfg, int shard, int viewers, Path root) {
    this.cfg = cfg;
    this.root = root;
    this.viewers = viewers;
    // Each shard's stream depends only on the seed and the shard number.
    this.rnd = new SplittableRandom(cfg.seed() * 0x9E3779B97F4A7C15L + shard * 0xBF58476D1CE4E5B9L + 1);
    this.windowStart = cfg.start().toEpochMilli();
    this.windowEnd = cfg.end().toEpochMilli();
    this.objectIntervalMs = cfg.objectInterval().toMillis();
    List<String> ids = videoIds(cfg);
    videoQuoted = new byte[ids.size()][];
    videoBare = new byte[ids.size()][];
    videoCumulativeWeight = new double[ids.size()];
    double total = 0;
    for (int i = 0; i < ids.size(); i++) {
      videoQuoted[i] = PlayerEventEncoder.quoted(ids.get(i));
      videoBare[i] = PlayerEventEncoder.ascii(ids.get(i));
      // A few popular channels and a long tail.
      total += 1.0 / (i + 1);
      videoCumulativeWeight[i] = total;
    }
    for (int i = 0; i < ids.size(); i++) {
      videoCumulativeWeight[i] /= total;
    }
    accountQuoted = PlayerEventEncoder.quoted(cfg.accountId());
  }

  /** Brightcove-style numeric video ids, derived from the seed only (shared by all shards). */
  static List<String> videoIds(Config cfg) {
    SplittableRandom r = new SplittableRandom(cfg.seed() ^ 0x5DEECE66DL);
    Set<String> ids = new LinkedHashSet<>();
    while (ids.size() < cfg.videos()) {
      ids.add(String.format(Locale.ROOT, "63%08d112", r.nextInt(100_000_000)));
    }
    return List.copyOf(ids);
  }

  @Override
  public ArchiveGenerator.Summary call() throws IOException {
    heap = new Slot[Math.max(1, viewers)];
    heapKeys = new long[heap.length];
    long ramp = Math.min(windowEnd - windowStart, RAMP_MINUTES * MINUTE);
    for (int i = 0; i < viewers; i++) {
      Slot s = new Slot();
      s.device = newDevice();
      newSession(s, windowStart + rnd.nextLong(ramp), rnd.nextInt(videoQuoted.length));
      heapKeys[heapSize] = s.next;
      heap[heapSize++] = s;
    }
    for (int i = heapSize / 2 - 1; i >= 0; i--) {
      siftDown(i);
    }
    try {
      while (heapSize > 0) {
        Slot s = heap[0];
        long t = s.next;
        if (t >= windowEnd) {
          heap[0] = heap[--heapSize];
          heapKeys[0] = heapKeys[heapSize];
          heap[heapSize] = null;
          if (heapSize > 0) {
            siftDown(0);
          }
          continue;
        }
        if (t >= nextCloseAt) {
          closeObjectsEndingBy(t);
        }
        step(s, t);
        siftDown(0);
      }
    } finally {
      closeObjectsEndingBy(Long.MAX_VALUE);
    }
    return summary();
  }

  // ---------------------------------------------------------------------------------------------
  // Viewers and sessions
  // ---------------------------------------------------------------------------------------------

  private void step(Slot s, long t) throws IOException {
    switch (s.state) {
      case AWAIT_IMPRESSION -> {
        sessions++;
        if (!s.device.seen) {
          s.device.seen = true;
          devices++;
        }
        emit(s, IMPRESSION, t);
        if (s.willPlay) {
          s.state = AWAIT_PLAY;
          s.next = t + s.startupLatencyMs;
        } else {
          endSession(s, t);
        }
      }
      case AWAIT_PLAY -> {
        emit(s, PLAY, t);
        s.state = PLAYING;
        s.playStart = t;
        s.endTime = t + s.plannedDurationMs;
        s.lastSummary = t;
        s.nextSummary = t + summaryInterval();
        s.nextQualityChange = t + exponential(MEAN_QUALITY_CHANGE_MS);
        s.nextAd = t + exponential(MEAN_AD_BREAK_MS);
        s.next = nextPlayingEvent(s);
      }
      default -> {
        if (s.endTime <= Math.min(s.nextSummary, Math.min(s.nextQualityChange, s.nextAd))) {
          if (s.stopAtEnd) {
            if (t - s.lastSummary >= SECOND) {
              emitSummary(s, t, endsInFatalError(s));
            }
            emit(s, STOP, t);
          }
          // Otherwise the tab was closed: the session just goes quiet.
          endSession(s, t);
          return;
        }
        if (t == s.nextSummary) {
          emitSummary(s, t, false);
          s.nextSummary = t + summaryInterval();
        } else if (t == s.nextQualityChange) {
          int from = s.rendition;
          int to = from == 0 ? 1
              : from == PlayerEventEncoder.RENDITION_NAMES.length - 1 ? from - 1
              : rnd.nextBoolean() ? from + 1 : from - 1;
          s.rendition = to;
          enc.fromRendition = from;
          emit(s, QUALITY_CHANGED, t);
          s.nextQualityChange = t + exponential(MEAN_QUALITY_CHANGE_MS);
        } else {
          emit(s, AD_START, t);
          s.nextAd = t + exponential(MEAN_AD_BREAK_MS);
        }
        if (rnd.nextDouble() < cfg.unknownMetricTypeRate()) {
          variations[V_UNKNOWN_TYPE]++;
          emit(s, REBUFFER_START, t);
        }
        s.next = nextPlayingEvent(s);
      }
    }
  }

  private static long nextPlayingEvent(Slot s) {
    return Math.min(Math.min(s.endTime, s.nextSummary), Math.min(s.nextQualityChange, s.nextAd));
  }

  /**
   * Whether a fatal error ends the session: its last summary, just before the STOP, reports
   * errors (playback_failure_percentage). Taken from a value already drawn, not a new draw, so
   * that every other event of a seed stays as it was: about 4 % of the sessions.
   */
  private static boolean endsInFatalError(Slot s) {
    return s.startupLatencyMs % 25 == 0;
  }

  private void emitSummary(Slot s, long t, boolean fatal) throws IOException {
    long elapsed = t - s.lastSummary;
    // Playing plus buffering is the time since the last summary, give or take a few ms.
    long total = Math.max(0, elapsed - rnd.nextLong(40));
    long buffering = 0;
    long bufferingCount = 0;
    if (rnd.nextDouble() < 0.15) {
      bufferingCount = 1 + rnd.nextInt(3);
      buffering = Math.min(total / 2, 200 + rnd.nextLong(6_000));
    }
    enc.playingMs = total - buffering;
    enc.bufferingMs = buffering;
    enc.bufferingCount = bufferingCount;
    enc.errorCount = rnd.nextDouble() < 0.01 ? 1 : 0;
    if (fatal) {
      enc.errorCount = 2;
    }
    enc.liveLatencyMs = 2_000 + rnd.nextLong(6_000);
    s.lastSummary = t;
    emit(s, PLAYBACK_SUMMARY, t);
  }

  private void endSession(Slot s, long t) {
    int video = s.video;
    if (rnd.nextDouble() >= SAME_DEVICE_REJOIN_RATE) {
      s.device = newDevice();
      video = pickVideo();
    } else if (rnd.nextDouble() >= SAME_VIDEO_REJOIN_RATE) {
      video = pickVideo();
    }
    newSession(s, t + 2 * SECOND + rnd.nextLong(88 * SECOND), video);
  }

  private void newSession(Slot s, long start, int video) {
    s.state = AWAIT_IMPRESSION;
    s.next = start;
    s.video = video;
    s.sessionQuoted = PlayerEventEncoder.quoted(uuid());
    s.willPlay = rnd.nextDouble() < PLAY_RATE;
    s.stopAtEnd = rnd.nextDouble() < STOP_RATE;
    s.startupLatencyMs = 300 + rnd.nextLong(2_700);
    double r = rnd.nextDouble();
    s.plannedDurationMs =
        r < 0.3 ? MINUTE + rnd.nextLong(4 * MINUTE)
            : r < 0.8 ? 5 * MINUTE + rnd.nextLong(25 * MINUTE)
            : 30 * MINUTE + rnd.nextLong(120 * MINUTE);
    s.startPositionTenths = rnd.nextLong(600);
    String deviceType = s.device.userAgent.deviceType();
    s.rendition = deviceType.equals(KnownUserAgents.MOBILE) ? 2 : 3;
  }

  private Device newDevice() {
    Device d = new Device();
    double c = rnd.nextDouble();
    String deviceType =
        c < 0.40 ? KnownUserAgents.DESKTOP
            : c < 0.75 ? KnownUserAgents.MOBILE
            : c < 0.85 ? KnownUserAgents.TABLET
            : KnownUserAgents.SMART_TV;
    List<KnownUserAgent> ofType =
        KnownUserAgents.ALL.stream().filter(u -> u.deviceType().equals(deviceType)).toList();
    d.userAgent = ofType.get(rnd.nextInt(ofType.size()));
    d.playerQuoted = PlayerEventEncoder.quoted(d.userAgent.playerId());
    d.platformQuoted = PlayerEventEncoder.quoted(d.userAgent.clientPlatform());
    if (rnd.nextDouble() >= ANONYMOUS_DEVICE_RATE) {
      d.ipQuoted = PlayerEventEncoder.quoted(ip());
      d.userAgentQuoted = PlayerEventEncoder.quoted(d.userAgent.userAgent());
    }
    if (rnd.nextDouble() >= NO_USER_ID_RATE) {
      d.userIdQuoted =
          PlayerEventEncoder.quoted(String.format(Locale.ROOT, "u%012x", rnd.nextLong(1L << 48)));
    }
    if (rnd.nextDouble() >= NO_GEO_DEVICE_RATE) {
      KnownCountry k = pickCountry();
      d.country = k;
      d.countryCodeQuoted = PlayerEventEncoder.quoted(k.code());
      d.countryCodeLowerQuoted = PlayerEventEncoder.quoted(k.code().toLowerCase(Locale.ROOT));
      d.countryNameQuoted = PlayerEventEncoder.quoted(k.name());
      d.cityQuoted = PlayerEventEncoder.quoted(k.cities().get(rnd.nextInt(k.cities().size())));
    }
    d.usualTail = PlayerEventEncoder.usualTail(d);
    return d;
  }

  private KnownCountry pickCountry() {
    int total = 0;
    for (KnownCountry k : KnownCountries.ALL) {
      total += k.weight();
    }
    int x = rnd.nextInt(total);
    for (KnownCountry k : KnownCountries.ALL) {
      x -= k.weight();
      if (x < 0) {
        return k;
      }
    }
    throw new AssertionError();
  }

  private int pickVideo() {
    double x = rnd.nextDouble();
    for (int i = 0; i < videoCumulativeWeight.length; i++) {
      if (x < videoCumulativeWeight[i]) {
        return i;
      }
    }
    return videoCumulativeWeight.length - 1;
  }

  /** Documentation address ranges only (RFC 5737, RFC 3849). */
  private String ip() {
    if (rnd.nextDouble() < 0.6) {
      return String.format(Locale.ROOT, "2001:db8:%x:%x:%x:%x:%x:%x", rnd.nextInt(65536),
          rnd.nextInt(65536), rnd.nextInt(65536), rnd.nextInt(65536), rnd.nextInt(65536),
          rnd.nextInt(65536));
    }
    String[] nets = {"192.0.2.", "198.51.100.", "203.0.113."};
    return nets[rnd.nextInt(3)] + (1 + rnd.nextInt(254));
  }

  private String uuid() {
    long hi = (rnd.nextLong() & ~0xF000L) | 0x4000L;
    long lo = (rnd.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new java.util.UUID(hi, lo).toString();
  }

  private long summaryInterval() {
    return SUMMARY_INTERVAL_MS - 300 + rnd.nextLong(1_000);
  }

  private long exponential(long mean) {
    return 1 + (long) (-mean * Math.log(1 - rnd.nextDouble()));
  }

  // ---------------------------------------------------------------------------------------------
  // Records
  // ---------------------------------------------------------------------------------------------

  private void emit(Slot s, int type, long t) throws IOException {
    PlayerEventEncoder e = enc;
    e.type = type;
    e.eventTime = t;
    e.channelQuoted = videoQuoted[s.video];
    e.channelBare = videoBare[s.video];
    e.sessionQuoted = s.sessionQuoted;
    e.device = s.device;
    e.accountQuoted = accountQuoted;
    e.rendition = s.rendition;
    if (type == PLAY) {
      e.startupLatencyMs = s.startupLatencyMs;
      e.positionTenths = s.startPositionTenths;
    } else if (type == STOP) {
      e.positionTenths = s.startPositionTenths + (t - s.playStart) / 100;
    }
    e.stringValues = draw(cfg.stringValueRate(), V_STRING);
    e.latencyInSeconds = type == PLAYBACK_SUMMARY && draw(cfg.liveLatencySecRate(), V_LATENCY_SEC);
    e.countryNameOnly = s.device.country != null && draw(cfg.countryNameOnlyRate(), V_NAME_ONLY);
    e.noDeviceFlags = draw(cfg.missingDeviceFlagsRate(), V_NO_FLAGS);
    e.noAccount = draw(cfg.missingAccountRate(), V_NO_ACCOUNT);
    e.emptyAccount = false;
    if (e.noAccount && rnd.nextInt(4) == 0) {
      e.noAccount = false;
      e.emptyAccount = true;
      variations[V_NO_ACCOUNT]--;
      variations[V_EMPTY_ACCOUNT]++;
    }
    e.extraFields = draw(cfg.extraFieldsRate(), V_EXTRA);
    if (s.device.ipQuoted == null) {
      variations[V_ANONYMOUS]++;
    }
    if (s.device.country == null) {
      variations[V_NO_COUNTRY]++;
    }
    int len = e.encode(PlayerEventEncoder.INTACT);

    long arrival = t + arrivalDelay();
    if (Math.floorDiv(arrival, HOUR) > Math.floorDiv(t, HOUR)) {
      laterHour++;
    }
    FirehoseObject o = objectFor(arrival);
    int batch = 1;
    if (rnd.nextDouble() < cfg.arrayBatchRate()) {
      batch = 2 + rnd.nextInt(2);
      variations[V_ARRAY]++;
    }
    o.appendEvent(e.buf, len, batch);
    records++;
    valid++;
    byType[type]++;
    first = Math.min(first, t);
    last = Math.max(last, t);

    if (rnd.nextDouble() < cfg.brokenRecordRate()) {
      appendBroken(o, len);
    }
    if (o.uncompressedBytes() >= cfg.maxObjectBytes()) {
      close(o);
      open.remove(o);
    }
  }

  /** Adds a broken copy of the event just encoded, spread evenly over the four reasons. */
  private void appendBroken(FirehoseObject o, int intactLength) throws IOException {
    BadRecordReason reason = BadRecordReason.values()[rnd.nextInt(4)];
    byReason[reason.ordinal()]++;
    records++;
    switch (reason) {
      case MALFORMED_JSON -> {
        // A line cut short: any proper prefix of an object is not JSON.
        int cut = 1 + rnd.nextInt(intactLength - 2);
        o.appendBroken(enc.buf, cut, true);
      }
      case NOT_AN_OBJECT -> {
        byte[] b = rnd.nextBoolean() ? notAnObject : notAnObjectString;
        o.appendBroken(b, b.length, true);
      }
      case MISSING_FIELD -> {
        int damage =
            switch (rnd.nextInt(5)) {
              case 0 -> PlayerEventEncoder.NO_METRIC_TYPE;
              case 1 -> PlayerEventEncoder.NO_EVENT_TIME;
              case 2 -> PlayerEventEncoder.NO_CHANNEL;
              case 3 -> PlayerEventEncoder.NO_SESSION;
              default -> PlayerEventEncoder.EMPTY_SESSION;
            };
        o.appendBroken(enc.buf, enc.encode(damage), false);
      }
      case INVALID_FIELD -> {
        int damage =
            switch (rnd.nextInt(3)) {
              case 0 -> PlayerEventEncoder.EVENT_TIME_WORD;
              case 1 -> PlayerEventEncoder.EVENT_TIME_SECONDS;
              default -> PlayerEventEncoder.NUMBER_WORD;
            };
        o.appendBroken(enc.buf, enc.encode(damage), false);
      }
    }
  }

  private boolean draw(double rate, int variation) {
    if (rate > 0 && rnd.nextDouble() < rate) {
      variations[variation]++;
      return true;
    }
    return false;
  }

  /** Edge to S3: usually a second or so; late events several minutes. */
  private long arrivalDelay() {
    if (rnd.nextDouble() < cfg.lateEventRate()) {
      variations[V_LATE]++;
      return 3 * MINUTE + rnd.nextLong(9 * MINUTE);
    }
    return 150 + Math.min(30 * SECOND, exponential(800));
  }

  // ---------------------------------------------------------------------------------------------
  // Objects
  // ---------------------------------------------------------------------------------------------

  /** The open object for an arrival time: one per buffer interval, never across an hour. */
  private FirehoseObject objectFor(long arrival) throws IOException {
    long hourStart = Math.floorDiv(arrival, HOUR) * HOUR;
    long slotStart = hourStart + (arrival - hourStart) / objectIntervalMs * objectIntervalMs;
    for (int i = 0; i < open.size(); i++) {
      FirehoseObject o = open.get(i);
      if (o.slotStart == slotStart) {
        return o;
      }
    }
    long slotEnd = Math.min(slotStart + objectIntervalMs, hourStart + HOUR);
    ZonedDateTime at = Instant.ofEpochMilli(arrival).atZone(ZoneOffset.UTC);
    String hour =
        String.format(Locale.ROOT, "%04d/%02d/%02d/%02d", at.getYear(), at.getMonthValue(),
            at.getDayOfMonth(), at.getHour());
    Path dir = root.resolve(hour);
    if (createdDirs.add(dir)) {
      Files.createDirectories(dir);
    }
    hours.add(hour);
    boolean gzip = rnd.nextDouble() < cfg.gzipFraction();
    boolean suffix = !(gzip && rnd.nextDouble() < cfg.gzipWithoutSuffixFraction());
    boolean concatenated = rnd.nextDouble() < cfg.concatenatedFraction();
    String name =
        String.format(Locale.ROOT, "%s-1-%04d-%02d-%02d-%02d-%02d-%02d-%s%s", cfg.streamName(),
            at.getYear(), at.getMonthValue(), at.getDayOfMonth(), at.getHour(), at.getMinute(),
            at.getSecond(), uuid(), gzip && suffix ? ".gz" : "");
    FirehoseObject o =
        new FirehoseObject(slotStart, slotEnd, dir.resolve(name), gzip, concatenated,
            cfg.gzipLevel());
    open.add(o);
    nextCloseAt = Math.min(nextCloseAt, slotEnd);
    objects++;
    if (gzip) {
      gzipObjects++;
      if (!suffix) {
        gzipWithoutSuffix++;
      }
    }
    if (concatenated) {
      concatenatedObjects++;
    }
    return o;
  }

  /** Events come in event-time order and arrive no earlier: objects ending by t are complete. */
  private void closeObjectsEndingBy(long t) throws IOException {
    nextCloseAt = Long.MAX_VALUE;
    for (int i = open.size() - 1; i >= 0; i--) {
      FirehoseObject o = open.get(i);
      if (o.slotEnd <= t) {
        open.remove(i);
        close(o);
      } else {
        nextCloseAt = Math.min(nextCloseAt, o.slotEnd);
      }
    }
  }

  private void close(FirehoseObject o) throws IOException {
    bytes += o.close();
  }

  // ---------------------------------------------------------------------------------------------
  // Heap of slots by next event time
  // ---------------------------------------------------------------------------------------------

  // The keys live in their own array: comparing them then touches one small block of memory
  // instead of a slot object per level.
  private void siftDown(int i) {
    Slot x = heap[i];
    long key = x.next;
    int half = heapSize >>> 1;
    while (i < half) {
      int c = 2 * i + 1;
      int r = c + 1;
      if (r < heapSize && heapKeys[r] < heapKeys[c]) {
        c = r;
      }
      if (key <= heapKeys[c]) {
        break;
      }
      heap[i] = heap[c];
      heapKeys[i] = heapKeys[c];
      i = c;
    }
    heap[i] = x;
    heapKeys[i] = key;
  }

  private ArchiveGenerator.Summary summary() {
    SortedMap<String, Long> types = new TreeMap<>();
    for (int i = 0; i < byType.length; i++) {
      types.put(PlayerEventEncoder.METRIC_TYPES[i], byType[i]);
    }
    SortedMap<String, Long> reasons = new TreeMap<>();
    long broken = 0;
    for (BadRecordReason r : BadRecordReason.values()) {
      reasons.put(r.apiName(), byReason[r.ordinal()]);
      broken += byReason[r.ordinal()];
    }
    SortedMap<String, Long> vars = new TreeMap<>();
    for (int i = 0; i < VARIATIONS.length; i++) {
      vars.put(VARIATIONS[i], variations[i]);
    }
    return new ArchiveGenerator.Summary(records, valid, broken, objects, gzipObjects,
        gzipWithoutSuffix, concatenatedObjects, bytes, first, last, sessions, devices, laterHour,
        types, reasons, vars, hours);
  }
}
