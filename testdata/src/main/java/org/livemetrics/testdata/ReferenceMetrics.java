package org.livemetrics.testdata;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The expected per-minute live metrics of an archive, computed the slow and obvious way: the oracle
 * the pipelines are checked against.
 *
 * <p>It is deliberately independent of every other livemetrics module: it reads records with
 * Jackson's tree model, keeps everything in plain collections and implements the metric
 * definitions literally, so a mistake in the pipeline's parser or aggregation cannot hide in a
 * shared helper. It holds all distinct keys in memory, so use it on archives of up to a few million
 * events.
 *
 * <p>The definitions, as implemented here:
 *
 * <ul>
 *   <li>A record is valid when it is a JSON object with {@code metric_type} (non-empty string),
 *       {@code event_time} (a number, or a string holding an integer, between 2000-01-01 and
 *       2100-01-01 in epoch ms), {@code channel_watched} and {@code session_id} (non-empty
 *       strings, or numbers taken as their decimal string), and every optional numeric field that
 *       is present and not null is a number or a numeric string. Otherwise it is a bad record:
 *       {@code missing_field} when a required field is absent, null or empty, {@code invalid_field}
 *       when a field is there but of the wrong type or out of range, {@code not_an_object}, or
 *       {@code malformed_json} (the rest of a line after a value that does not parse; records never
 *       span lines; a top-level array yields its elements).
 *   <li>account = {@code account_id}, or the default account when absent or empty; video =
 *       {@code channel_watched}; country = {@code CloudFront-Viewer-Country} uppercased when it is
 *       an ISO 3166-1 alpha-2 code, else the code of {@code CloudFront-Viewer-Country-Name}, else
 *       {@code unknown}; device_type = the CloudFront device flags (smart_tv, tablet, mobile,
 *       desktop in that priority), else the {@link KnownUserAgents} table, else {@code unknown}.
 *   <li>Fingerprint = (ip, user_agent, player), missing as ""; when ip and user_agent are both
 *       missing, ("user", user_id), else ("session", session_id). Session = (fingerprint,
 *       session_id).
 *   <li>Per UTC minute of event_time: video_impression counts IMPRESSION, video_view PLAY,
 *       alive_ss_ad_start AD_START; video_seconds_viewed_ms sums PLAYBACK_SUMMARY playing_time_ms
 *       (fractions truncated). Every valid event but IMPRESSION marks its session viewing in its
 *       minute; a PLAYBACK_SUMMARY at t also marks the minutes of [t - span, t), span =
 *       min(playing_time_ms + buffering_time_ms, max span). ccu and fingerprint_count count the
 *       distinct sessions and fingerprints viewing.
 *   <li>Viewer QoS per account and country, and per account and device type, per UTC minute: the
 *       sessions viewing (as for ccu; IMPRESSION makes no row); of PLAYBACK_SUMMARY in the minute
 *       of its event_time the sums of error_count, playing_time_ms, buffering_time_ms and
 *       buffering_count (fractions truncated); of PLAY with a startup_latency_ms their number and
 *       the sum of those latencies.
 * </ul>
 *
 * <p>Metric type names are compared ignoring case; unknown ones are valid events that only mark
 * viewing.
 *
 * <p>Session outcomes ({@link Result#sessionOutcomes}): the valid events of each (account,
 * session) are sorted by event_time (a STOP after the other events of its millisecond) and cut
 * into sessions: a new one starts at an event {@value #DEFAULT_SESSION_GAP_MS} ms or more after
 * the previous one, or later than a STOP. Each session counts once, in the minute of its last
 * event: loaded (it has an IMPRESSION), exits before video start (loaded, no PLAY), attempts (an
 * IMPRESSION or a PLAY), failures (attempted, and its last PLAYBACK_SUMMARY with error_count > 0
 * is at or after its last PLAY or error-free summary with playing_time_ms > 0), played (a PLAY or
 * playing_time_ms > 0), rebuffered (played, and buffering_count > 0 in a summary).
 */
public final class ReferenceMetrics {

  public static final String DEFAULT_ACCOUNT = "default";
  public static final long DEFAULT_MAX_SUMMARY_SPAN_MS = 300_000L;
  /** The pipelines' default --sessionGap (PT3M). */
  public static final long DEFAULT_SESSION_GAP_MS = 180_000L;

  public static final String VIDEO = "video";
  public static final String VIDEO_COUNTRY = "video,country";
  public static final String VIDEO_DEVICE_TYPE = "video,device_type";
  public static final List<String> DIMENSION_SETS = List.of(VIDEO, VIDEO_COUNTRY, VIDEO_DEVICE_TYPE);

  public static final String UNKNOWN = "unknown";

  /** The account-wide viewer QoS dimension sets the reference computes ({@link #qosRows}). */
  public static final String QOS_COUNTRY = "country";
  public static final String QOS_DEVICE_TYPE = "device_type";

  /** The metric names {@link Row#value(String)} answers to. */
  public static final List<String> METRICS =
      List.of(
          "video_impression",
          "video_view",
          "alive_ss_ad_start",
          "video_seconds_viewed_ms",
          "ccu",
          "fingerprint_count");

  /** The optional fields that must hold a number when present. */
  public static final Set<String> OPTIONAL_NUMERIC_FIELDS =
      Set.of(
          "startup_latency_ms",
          "start_playback_position_sec",
          "playing_time_ms",
          "buffering_time_ms",
          "buffering_count",
          "error_count",
          "rendition_height",
          "live_latency_ms",
          "live_latency_sec",
          "from_bitrate",
          "to_bitrate",
          "end_playback_position_sec");

  private static final long MIN_EVENT_TIME = 946_684_800_000L; // 2000-01-01T00:00:00Z
  private static final long MAX_EVENT_TIME = 4_102_444_800_000L; // 2100-01-01T00:00:00Z
  private static final long MINUTE_MS = 60_000L;
  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Set<String> ISO_COUNTRIES = Set.of(Locale.getISOCountries());
  private static final Map<String, String> COUNTRY_CODE_BY_NAME = countryNames();

  private static final long KIND_IMPRESSION = 1;
  private static final long KIND_PLAY = 2;
  private static final long KIND_SUMMARY = 3;
  private static final long KIND_STOP = 4;

  private final String defaultAccount;
  private final long maxSummarySpanMs;
  private final long sessionGapMs = DEFAULT_SESSION_GAP_MS;

  private ReferenceMetrics(String defaultAccount, long maxSummarySpanMs) {
    if (defaultAccount == null || defaultAccount.isEmpty()) {
      throw new IllegalArgumentException("defaultAccount must be a non-empty account id");
    }
    if (maxSummarySpanMs < 0) {
      throw new IllegalArgumentException("maxSummarySpanMs must be >= 0, was " + maxSummarySpanMs);
    }
    this.defaultAccount = defaultAccount;
    this.maxSummarySpanMs = maxSummarySpanMs;
  }

  /** Default account {@value #DEFAULT_ACCOUNT}, summary span capped at 5 minutes. */
  public static ReferenceMetrics withDefaults() {
    return new ReferenceMetrics(DEFAULT_ACCOUNT, DEFAULT_MAX_SUMMARY_SPAN_MS);
  }

  /** The account of records without (or with an empty) {@code account_id}. */
  public ReferenceMetrics withDefaultAccount(String account) {
    return new ReferenceMetrics(account, maxSummarySpanMs);
  }

  /** The most a PLAYBACK_SUMMARY may reach back to mark its session viewing. */
  public ReferenceMetrics withMaxSummarySpanMs(long spanMs) {
    return new ReferenceMetrics(defaultAccount, spanMs);
  }

  /**
   * Reads every regular file under {@code archiveRoot} (at any depth, hidden files skipped),
   * gunzipping those that start with the gzip magic bytes whatever their name.
   */
  public Result compute(Path archiveRoot) throws IOException {
    if (!Files.isDirectory(archiveRoot)) {
      throw new IOException("Not an archive directory: " + archiveRoot);
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(archiveRoot)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .sorted()
              .toList();
    }
    Accumulator acc = new Accumulator();
    for (Path file : files) {
      try (BufferedReader reader = openText(file)) {
        String line;
        while ((line = reader.readLine()) != null) {
          acc.line(line);
        }
      }
      acc.files++;
    }
    return acc.result();
  }

  /** Computes from lines as they would appear in an archive object (for small tests). */
  public Result computeLines(List<String> lines) {
    Accumulator acc = new Accumulator();
    for (String line : lines) {
      acc.line(line);
    }
    return acc.result();
  }

  private static BufferedReader openText(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    if (b1 == 0x1f && b2 == 0x8b) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
  }

  // ---------------------------------------------------------------------------------------------
  // Keys and rows
  // ---------------------------------------------------------------------------------------------

  /** A viewer device: (ip, user_agent, player), or ("user", user_id), or ("session", id). */
  public record Fingerprint(List<String> identity) {
    public Fingerprint {
      identity = List.copyOf(identity);
    }

    public static Fingerprint of(String... parts) {
      return new Fingerprint(List.of(parts));
    }
  }

  /** One playback session of one device. */
  public record SessionKey(Fingerprint fingerprint, String sessionId) {}

  /** The key of one output row: a minute of one video (and country or device type) of an account. */
  public record RowKey(
      String account, String dimensionSet, String video, String secondary, long minuteStartMs)
      implements Comparable<RowKey> {

    private static final Comparator<RowKey> ORDER =
        Comparator.comparing(RowKey::account)
            .thenComparing(RowKey::dimensionSet)
            .thenComparing(RowKey::video)
            .thenComparing(RowKey::secondary)
            .thenComparingLong(RowKey::minuteStartMs);

    @Override
    public int compareTo(RowKey o) {
      return ORDER.compare(this, o);
    }
  }

  /** The key of one viewer QoS row: a minute of one country or device type of an account. */
  public record QosRowKey(String account, String dimensionSet, String value, long minuteStartMs)
      implements Comparable<QosRowKey> {
    private static final Comparator<QosRowKey> ORDER =
        Comparator.comparing(QosRowKey::account)
            .thenComparing(QosRowKey::dimensionSet)
            .thenComparing(QosRowKey::value)
            .thenComparingLong(QosRowKey::minuteStartMs);

    @Override
    public int compareTo(QosRowKey o) {
      return ORDER.compare(this, o);
    }
  }

  /** The expected values of one viewer QoS row. */
  public static final class QosRow {
    private final Set<SessionKey> sessions = new HashSet<>();
    private long errorCount;
    private long playingTimeMs;
    private long bufferingTimeMs;
    private long rebufferCount;
    private long startupCount;
    private long startupSumMs;

    public long concurrentSessions() {
      return sessions.size();
    }

    public long errorCount() {
      return errorCount;
    }

    public long playingTimeMs() {
      return playingTimeMs;
    }

    public long bufferingTimeMs() {
      return bufferingTimeMs;
    }

    public long rebufferCount() {
      return rebufferCount;
    }

    public long startupCount() {
      return startupCount;
    }

    public long startupSumMs() {
      return startupSumMs;
    }

    /** The values in a fixed order, for comparing with a stored row. */
    @Override
    public String toString() {
      return "sessions=" + sessions.size() + " errors=" + errorCount + " playing_ms="
          + playingTimeMs + " buffering_ms=" + bufferingTimeMs + " rebuffers=" + rebufferCount
          + " startup=" + startupCount + "/" + startupSumMs;
    }
  }

  /** The expected values of one row. */
  public static final class Row {
    private long videoImpression;
    private long videoView;
    private long aliveSsAdStart;
    private long videoSecondsViewedMs;
    private final Set<SessionKey> sessions = new HashSet<>();
    private final Set<Fingerprint> fingerprints = new HashSet<>();

    public long videoImpression() {
      return videoImpression;
    }

    public long videoView() {
      return videoView;
    }

    public long aliveSsAdStart() {
      return aliveSsAdStart;
    }

    public long videoSecondsViewedMs() {
      return videoSecondsViewedMs;
    }

    public long ccu() {
      return sessions.size();
    }

    public long fingerprintCount() {
      return fingerprints.size();
    }

    /** The sessions viewing in this minute. */
    public Set<SessionKey> sessions() {
      return Collections.unmodifiableSet(sessions);
    }

    /** The fingerprints viewing in this minute. */
    public Set<Fingerprint> fingerprints() {
      return Collections.unmodifiableSet(fingerprints);
    }

    /** A value by metric name, one of {@link #METRICS}. */
    public long value(String metric) {
      return switch (metric) {
        case "video_impression" -> videoImpression;
        case "video_view" -> videoView;
        case "alive_ss_ad_start" -> aliveSsAdStart;
        case "video_seconds_viewed_ms" -> videoSecondsViewedMs;
        case "ccu" -> ccu();
        case "fingerprint_count" -> fingerprintCount();
        default -> throw new IllegalArgumentException(
            "Unknown metric '" + metric + "'; expected one of " + METRICS);
      };
    }

    @Override
    public String toString() {
      return "Row{impression=" + videoImpression + " view=" + videoView + " ad=" + aliveSsAdStart
          + " seconds_ms=" + videoSecondsViewedMs + " ccu=" + ccu() + " fp=" + fingerprintCount()
          + "}";
    }
  }

  /** The expected rows and the dead-letter counts of an archive. */
  public static final class Result {
    private final SortedMap<RowKey, Row> rows;
    private final SortedMap<QosRowKey, QosRow> qosRows;
    private final Map<String, Long> badRecords;
    private final long validRecords;
    private final long files;

    private final SortedMap<String, SortedMap<Long, long[]>> sessionOutcomes;

    private Result(SortedMap<RowKey, Row> rows, SortedMap<QosRowKey, QosRow> qosRows,
        Map<String, Long> badRecords, long valid, long files,
        SortedMap<String, SortedMap<Long, long[]>> sessionOutcomes) {
      this.sessionOutcomes = sessionOutcomes;
      this.rows = Collections.unmodifiableSortedMap(rows);
      this.qosRows = Collections.unmodifiableSortedMap(qosRows);
      this.badRecords = Collections.unmodifiableMap(badRecords);
      this.validRecords = valid;
      this.files = files;
    }

    public SortedMap<RowKey, Row> rows() {
      return rows;
    }

    /** The viewer QoS rows by {@link #QOS_COUNTRY} and {@link #QOS_DEVICE_TYPE}. */
    public SortedMap<QosRowKey, QosRow> qosRows() {
      return qosRows;
    }

    /**
     * The session outcomes of an account by the start of the minute the sessions ended in, each
     * as [loaded, exits before video start, attempts, failures, played, rebuffered].
     */
    public SortedMap<Long, List<Long>> sessionOutcomes(String account) {
      SortedMap<Long, List<Long>> out = new TreeMap<>();
      sessionOutcomes.getOrDefault(account, new TreeMap<>()).forEach((minute, counts) ->
          out.put(minute, java.util.Arrays.stream(counts).boxed().toList()));
      return out;
    }

    public Optional<Row> row(
        String account, String dimensionSet, String video, String secondary, long minuteStartMs) {
      return Optional.ofNullable(
          rows.get(new RowKey(account, dimensionSet, video, secondary, minuteStartMs)));
    }

    /** The rows of one series (account, dimension set, video, secondary value), by minute. */
    public SortedMap<Long, Row> series(
        String account, String dimensionSet, String video, String secondary) {
      SortedMap<Long, Row> out = new TreeMap<>();
      rows.subMap(
              new RowKey(account, dimensionSet, video, secondary, Long.MIN_VALUE),
              new RowKey(account, dimensionSet, video, secondary, Long.MAX_VALUE))
          .forEach((k, v) -> out.put(k.minuteStartMs(), v));
      return out;
    }

    /** Sum of an additive metric over the minutes starting in [fromMs, toMs). */
    public long sum(
        String metric, String account, String dimensionSet, String video, String secondary,
        long fromMs, long toMs) {
      long total = 0;
      for (Row r : series(account, dimensionSet, video, secondary).subMap(fromMs, toMs).values()) {
        total += r.value(metric);
      }
      return total;
    }

    /** Distinct sessions viewing in any minute starting in [fromMs, toMs) (ccu over a range). */
    public Set<SessionKey> distinctSessions(
        String account, String dimensionSet, String video, String secondary,
        long fromMs, long toMs) {
      Set<SessionKey> out = new HashSet<>();
      for (Row r : series(account, dimensionSet, video, secondary).subMap(fromMs, toMs).values()) {
        out.addAll(r.sessions);
      }
      return out;
    }

    /** Distinct fingerprints viewing in any minute starting in [fromMs, toMs). */
    public Set<Fingerprint> distinctFingerprints(
        String account, String dimensionSet, String video, String secondary,
        long fromMs, long toMs) {
      Set<Fingerprint> out = new HashSet<>();
      for (Row r : series(account, dimensionSet, video, secondary).subMap(fromMs, toMs).values()) {
        out.addAll(r.fingerprints);
      }
      return out;
    }

    /** Bad records by reason; every reason is present, most with 0. */
    public Map<String, Long> badRecordsByReason() {
      return badRecords;
    }

    public long badRecords() {
      return badRecords.values().stream().mapToLong(Long::longValue).sum();
    }

    public long validRecords() {
      return validRecords;
    }

    /** Archive objects read ({@code 0} for {@link #computeLines}). */
    public long files() {
      return files;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reading and counting
  // ---------------------------------------------------------------------------------------------

  /** A record that is not a valid event, and why. */
  private static final class BadRecord extends Exception {
    final BadRecordReason reason;

    BadRecord(BadRecordReason reason) {
      super(reason.apiName(), null, false, false);
      this.reason = reason;
    }
  }

  private final class Accumulator {
    final ObjectMapper mapper = new ObjectMapper();
    final SortedMap<RowKey, Row> rows = new TreeMap<>();
    final SortedMap<QosRowKey, QosRow> qosRows = new TreeMap<>();
    final Map<String, Long> bad = new LinkedHashMap<>();
    final Map<Object, Object> interned = new HashMap<>();
    long valid;
    long files;

    Accumulator() {
      for (BadRecordReason r : BadRecordReason.values()) {
        bad.put(r.apiName(), 0L);
      }
    }

    /** Per (account, session): {time, kind, playing ms, buffering count, error count}. */
    final Map<List<Object>, List<long[]>> sessionEvents = new HashMap<>();

    Result result() {
      return new Result(rows, qosRows, bad, valid, files, sessionOutcomes());
    }

    SortedMap<String, SortedMap<Long, long[]>> sessionOutcomes() {
      SortedMap<String, SortedMap<Long, long[]>> out = new TreeMap<>();
      sessionEvents.forEach((key, events) -> {
        events.sort(Comparator.<long[]>comparingLong(e -> e[0])
            .thenComparingLong(e -> e[1] == KIND_STOP ? 1 : 0));
        List<long[]> session = new ArrayList<>();
        long[] previous = null;
        for (long[] e : events) {
          boolean afterStop = previous != null && previous[1] == KIND_STOP && e[0] > previous[0];
          boolean afterGap = previous != null && e[0] - previous[0] >= sessionGapMs;
          if (afterStop || afterGap) {
            countSession(out.computeIfAbsent((String) key.get(0), a -> new TreeMap<>()), session);
            session = new ArrayList<>();
          }
          session.add(e);
          previous = e;
        }
        countSession(out.computeIfAbsent((String) key.get(0), a -> new TreeMap<>()), session);
      });
      return out;
    }

    void countSession(SortedMap<Long, long[]> byMinute, List<long[]> session) {
      boolean impression = false;
      boolean play = false;
      boolean played = false;
      boolean rebuffering = false;
      Long lastError = null;
      Long lastClean = null;
      long last = Long.MIN_VALUE;
      for (long[] e : session) {
        last = Math.max(last, e[0]);
        if (e[1] == KIND_IMPRESSION) {
          impression = true;
        } else if (e[1] == KIND_PLAY) {
          play = true;
          played = true;
          lastClean = e[0];
        } else if (e[1] == KIND_SUMMARY) {
          played |= e[2] > 0;
          rebuffering |= e[3] > 0;
          if (e[4] > 0) {
            lastError = e[0];
          } else if (e[2] > 0) {
            lastClean = e[0];
          }
        }
      }
      boolean attempted = impression || play;
      boolean failed = attempted && lastError != null && (lastClean == null || lastError >= lastClean);
      long[] counts = byMinute.computeIfAbsent(Math.floorDiv(last, MINUTE_MS) * MINUTE_MS,
          m -> new long[6]);
      counts[0] += impression ? 1 : 0;
      counts[1] += impression && !play ? 1 : 0;
      counts[2] += attempted ? 1 : 0;
      counts[3] += failed ? 1 : 0;
      counts[4] += played ? 1 : 0;
      counts[5] += played && rebuffering ? 1 : 0;
    }

    void line(String line) {
      if (line.isBlank()) {
        return;
      }
      try (JsonParser parser = mapper.getFactory().createParser(line)) {
        while (true) {
          JsonNode value;
          try {
            if (parser.nextToken() == null) {
              return;
            }
            value = mapper.readTree(parser);
          } catch (JsonProcessingException e) {
            // The rest of the line cannot be split into records any more: one dead letter.
            bad(BadRecordReason.MALFORMED_JSON);
            return;
          }
          if (value != null && value.isArray()) {
            for (JsonNode element : value) {
              record(element);
            }
          } else {
            record(value);
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException("Reading a String cannot fail", e);
      }
    }

    void bad(BadRecordReason reason) {
      bad.merge(reason.apiName(), 1L, Long::sum);
    }

    void record(JsonNode node) {
      try {
        event(node);
        valid++;
      } catch (BadRecord e) {
        bad(e.reason);
      }
    }

    void event(JsonNode node) throws BadRecord {
      if (node == null || !node.isObject()) {
        throw new BadRecord(BadRecordReason.NOT_AN_OBJECT);
      }
      String metricType = requiredString(node, "metric_type", false);
      long eventTime = eventTime(node);
      String video = requiredString(node, "channel_watched", true);
      String sessionId = requiredString(node, "session_id", true);
      for (String field : OPTIONAL_NUMERIC_FIELDS) {
        JsonNode v = node.get(field);
        if (v != null && !v.isNull() && !isNumeric(v)) {
          throw new BadRecord(BadRecordReason.INVALID_FIELD);
        }
        if (v != null && !v.isNull() && !withinBounds(field, number(node, field))) {
          throw new BadRecord(BadRecordReason.INVALID_FIELD);
        }
      }
      for (String field : List.of("metric_type", "channel_watched", "session_id", "account_id")) {
        if (!plainText(optionalText(node, field), field.equals("account_id") ? 128 : 256)) {
          throw new BadRecord(BadRecordReason.INVALID_FIELD);
        }
      }

      String accountId = optionalText(node, "account_id");
      String account = accountId.isEmpty() ? defaultAccount : accountId;
      String country = country(node);
      String deviceType = deviceType(node);
      Fingerprint fingerprint = intern(fingerprint(node, sessionId));
      SessionKey session = intern(new SessionKey(fingerprint, sessionId));

      long minute = Math.floorDiv(eventTime, MINUTE_MS) * MINUTE_MS;
      List<Row> rowsOfMinute = rowsOf(account, video, country, deviceType, minute);
      String type = metricType.toUpperCase(Locale.ROOT);
      for (Row row : rowsOfMinute) {
        switch (type) {
          case "IMPRESSION" -> row.videoImpression++;
          case "PLAY" -> row.videoView++;
          case "AD_START" -> row.aliveSsAdStart++;
          case "PLAYBACK_SUMMARY" -> row.videoSecondsViewedMs += (long) number(node, "playing_time_ms");
          default -> { }
        }
      }
      long kind = switch (type) {
        case "IMPRESSION" -> KIND_IMPRESSION;
        case "PLAY" -> KIND_PLAY;
        case "PLAYBACK_SUMMARY" -> KIND_SUMMARY;
        case "STOP" -> KIND_STOP;
        default -> 0;
      };
      sessionEvents.computeIfAbsent(List.of(account, session), k -> new ArrayList<>())
          .add(new long[] {eventTime, kind, (long) number(node, "playing_time_ms"),
              (long) number(node, "buffering_count"), (long) number(node, "error_count")});
      if (type.equals("IMPRESSION")) {
        return;
      }
      markViewing(rowsOfMinute, session);
      List<QosRow> qosOfMinute = qosRowsOf(account, country, deviceType, minute);
      for (QosRow q : qosOfMinute) {
        q.sessions.add(session);
        if (type.equals("PLAYBACK_SUMMARY")) {
          q.errorCount += (long) number(node, "error_count");
          q.playingTimeMs += (long) number(node, "playing_time_ms");
          q.bufferingTimeMs += (long) number(node, "buffering_time_ms");
          q.rebufferCount += (long) number(node, "buffering_count");
        } else if (type.equals("PLAY") && node.hasNonNull("startup_latency_ms")) {
          q.startupCount++;
          q.startupSumMs += (long) number(node, "startup_latency_ms");
        }
      }
      if (type.equals("PLAYBACK_SUMMARY")) {
        long playing = (long) number(node, "playing_time_ms");
        long buffering = (long) number(node, "buffering_time_ms");
        long span = Math.min(playing + buffering, maxSummarySpanMs);
        if (span > 0) {
          long first = Math.floorDiv(eventTime - span, MINUTE_MS);
          long last = Math.floorDiv(eventTime - 1, MINUTE_MS);
          for (long m = first; m <= last; m++) {
            markViewing(rowsOf(account, video, country, deviceType, m * MINUTE_MS), session);
            for (QosRow q : qosRowsOf(account, country, deviceType, m * MINUTE_MS)) {
              q.sessions.add(session);
            }
          }
        }
      }
    }

    void markViewing(List<Row> rowsOfMinute, SessionKey session) {
      for (Row row : rowsOfMinute) {
        row.sessions.add(session);
        row.fingerprints.add(session.fingerprint());
      }
    }

    List<Row> rowsOf(String account, String video, String country, String device, long minute) {
      List<Row> out = new ArrayList<>(3);
      out.add(rows.computeIfAbsent(new RowKey(account, VIDEO, video, "", minute), k -> new Row()));
      out.add(rows.computeIfAbsent(
          new RowKey(account, VIDEO_COUNTRY, video, country, minute), k -> new Row()));
      out.add(rows.computeIfAbsent(
          new RowKey(account, VIDEO_DEVICE_TYPE, video, device, minute), k -> new Row()));
      return out;
    }

    List<QosRow> qosRowsOf(String account, String country, String device, long minute) {
      return List.of(
          qosRows.computeIfAbsent(new QosRowKey(account, QOS_COUNTRY, country, minute),
              k -> new QosRow()),
          qosRows.computeIfAbsent(new QosRowKey(account, QOS_DEVICE_TYPE, device, minute),
              k -> new QosRow()));
    }

    @SuppressWarnings("unchecked")
    <T> T intern(T key) {
      return (T) interned.computeIfAbsent(key, k -> k);
    }
  }

  private static String requiredString(JsonNode node, String field, boolean numbersAllowed)
      throws BadRecord {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new BadRecord(BadRecordReason.MISSING_FIELD);
    }
    if (v.isTextual()) {
      if (v.textValue().isEmpty()) {
        throw new BadRecord(BadRecordReason.MISSING_FIELD);
      }
      return v.textValue();
    }
    if (numbersAllowed && v.isNumber()) {
      return v.isIntegralNumber() ? v.bigIntegerValue().toString() : v.asText();
    }
    throw new BadRecord(BadRecordReason.INVALID_FIELD);
  }

  private static long eventTime(JsonNode node) throws BadRecord {
    JsonNode v = node.get("event_time");
    if (v == null || v.isNull() || (v.isTextual() && v.textValue().isEmpty())) {
      throw new BadRecord(BadRecordReason.MISSING_FIELD);
    }
    double t;
    if (v.isNumber()) {
      t = Math.floor(v.doubleValue());
    } else if (v.isTextual() && INTEGER.matcher(v.textValue()).matches()) {
      t = Double.parseDouble(v.textValue());
    } else {
      throw new BadRecord(BadRecordReason.INVALID_FIELD);
    }
    if (!(t >= MIN_EVENT_TIME && t < MAX_EVENT_TIME)) {
      throw new BadRecord(BadRecordReason.INVALID_FIELD);
    }
    // Within the range a double holds every millisecond exactly.
    return (long) t;
  }

  /**
   * The contract's ranges, restated here on purpose (the reference shares no code with the
   * pipeline): durations up to a day, counts up to a million, positions within 10^9 s.
   */
  private static boolean withinBounds(String field, double v) {
    double max = switch (field) {
      case "startup_latency_ms" -> 3_600_000;
      case "playing_time_ms", "buffering_time_ms", "live_latency_ms" -> 86_400_000;
      case "live_latency_sec" -> 86_400;
      case "buffering_count", "error_count" -> 1_000_000;
      case "rendition_height" -> 100_000;
      case "from_bitrate", "to_bitrate" -> 1e11;
      default -> 1e9; // playback positions, which may be negative
    };
    double min = field.endsWith("_position_sec") ? -1e9 : 0;
    return v >= min && v <= max;
  }

  /** No lone surrogate, no control character, at most {@code max} UTF-16 units once trimmed. */
  private static boolean plainText(String s, int max) {
    String t = s.trim();
    if (t.length() > max) {
      return false;
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < t.length() && Character.isLowSurrogate(t.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c) || Character.isISOControl(c) || c == '\uFFFE' || c == '\uFFFF') {
        return false;
      }
    }
    return true;
  }

  private static boolean isNumeric(JsonNode v) {
    return v.isNumber() || (v.isTextual() && NUMBER.matcher(v.textValue()).matches());
  }

  /** An optional numeric field's value, 0 when absent or null (validity was checked before). */
  private static double number(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return 0;
    }
    return v.isNumber() ? v.doubleValue() : Double.parseDouble(v.textValue());
  }

  /** A string field's text, numbers as their text, anything else (or absent) as "". */
  private static String optionalText(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !(v.isTextual() || v.isNumber())) {
      return "";
    }
    return v.asText();
  }

  private static String country(JsonNode node) {
    String code = optionalText(node, "CloudFront-Viewer-Country").toUpperCase(Locale.ROOT);
    if (ISO_COUNTRIES.contains(code)) {
      return code;
    }
    String name = optionalText(node, "CloudFront-Viewer-Country-Name").trim();
    return COUNTRY_CODE_BY_NAME.getOrDefault(name.toLowerCase(Locale.ROOT), UNKNOWN);
  }

  private static String deviceType(JsonNode node) {
    if (flag(node, "CloudFront-Is-SmartTV-Viewer")) {
      return KnownUserAgents.SMART_TV;
    }
    if (flag(node, "CloudFront-Is-Tablet-Viewer")) {
      return KnownUserAgents.TABLET;
    }
    if (flag(node, "CloudFront-Is-Mobile-Viewer")) {
      return KnownUserAgents.MOBILE;
    }
    if (flag(node, "CloudFront-Is-Desktop-Viewer")) {
      return KnownUserAgents.DESKTOP;
    }
    return KnownUserAgents.deviceTypeOf(optionalText(node, "user_agent")).orElse(UNKNOWN);
  }

  private static boolean flag(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null
        && ((v.isBoolean() && v.booleanValue())
            || (v.isTextual() && v.textValue().equalsIgnoreCase("true")));
  }

  private static Fingerprint fingerprint(JsonNode node, String sessionId) {
    String ip = optionalText(node, "ip");
    String userAgent = optionalText(node, "user_agent");
    if (ip.isEmpty() && userAgent.isEmpty()) {
      String user = optionalText(node, "user_id");
      return user.isEmpty() ? Fingerprint.of("session", sessionId) : Fingerprint.of("user", user);
    }
    return Fingerprint.of(ip, userAgent, optionalText(node, "player"));
  }

  private static Map<String, String> countryNames() {
    Map<String, String> m = new HashMap<>();
    for (String code : Locale.getISOCountries()) {
      m.put(new Locale("", code).getDisplayCountry(Locale.ENGLISH).toLowerCase(Locale.ROOT), code);
    }
    for (KnownCountries.KnownCountry c : KnownCountries.ALL) {
      m.put(c.name().toLowerCase(Locale.ROOT), c.code());
    }
    return Map.copyOf(m);
  }

  @Override
  public String toString() {
    return "ReferenceMetrics{defaultAccount=" + defaultAccount + ", maxSummarySpanMs="
        + maxSummarySpanMs + "}";
  }
}
