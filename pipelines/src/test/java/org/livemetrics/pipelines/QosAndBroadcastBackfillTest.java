package org.livemetrics.pipelines;

import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.STARTUP_SUM_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.BUFFERING_TIME_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.ERROR_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.EXITS_BEFORE_VIDEO_START_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYBACK_ATTEMPTS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYBACK_FAILURES_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.PLAYING_TIME_MS_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.REBUFFER_COUNT_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.SESSIONS_LOADED_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.SESSIONS_PLAYED_FIELD;
import static org.livemetrics.schemas.family.ViewerQosFamily.SESSIONS_REBUFFERED_FIELD;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.pipelines.backfill.Backfill;
import org.livemetrics.pipelines.backfill.BackfillOptions;
import org.livemetrics.schemas.ClientPlatform;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.schemas.QosMinuteAvro;
import org.livemetrics.testdata.BroadcastSample;
import org.livemetrics.testdata.ReferenceMetrics;
import org.livemetrics.testdata.SampleArchive;

/**
 * The backfill's QoS and broadcast outputs on the checked-in samples: the broadcast rows against
 * the values worked out by hand ({@link BroadcastSample}), the QoS concurrency against the
 * independent reference implementation of the viewing rule ({@link ReferenceMetrics}), and a
 * re-run of the range replacing, not adding to, every table.
 */
public class QosAndBroadcastBackfillTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void broadcastAndQosRowsOfTheSampleRange() throws Exception {
    Path broadcast = tmp.newFolder("broadcast-archive").toPath();
    BroadcastSample.writeArchive(broadcast);
    Path store = tmp.newFolder("store").toPath();

    Backfill.Result first = backfill(broadcast, store, "run1");
    assertEquals(13, first.counter("broadcast_events_parsed")
        + first.counter("broadcast_dead_letter_malformed_json")
        + first.counter("broadcast_ignored_detail_type"));
    assertEquals(1, first.counter("broadcast_dead_letter_malformed_json"));
    assertEquals(1, first.counter("broadcast_ignored_detail_type"));
    checkStore(store);

    // A re-run of the range commits its own files in every table and removes run1's.
    backfill(broadcast, store, "run2");
    checkStore(store);
    for (String table : List.of("aggregates", "qos", "broadcast", "streams")) {
      for (Path f : StoreContents.allPartFiles(store.resolve(table))) {
        assertTrue(table + " keeps only run2's files: " + f,
            f.getFileName().toString().startsWith("part-run2-"));
      }
    }
  }

  private void checkStore(Path store) throws Exception {
    BroadcastExpectations.checkMinutes(BroadcastExpectations.minutes(store));
    BroadcastExpectations.checkStreams(BroadcastExpectations.streams(store), BroadcastExpectations.TO);

    // QoS: a session has one platform, so the platform rows of a minute add up to the sessions
    // viewing in it, which the reference counts per video (a session has one video too).
    List<QosMinute> qos = StoreContents.current(store, "qos", QosMinuteAvro::fromRecord,
        QosMinuteAvro::rowKey);
    Map<Long, Long> qosSessions = new TreeMap<>();
    Set<String> platforms = new java.util.TreeSet<>();
    for (QosMinute q : qos) {
      assertTrue(q.minute >= BroadcastExpectations.FROM && q.minute < BroadcastExpectations.TO);
      assertEquals("a row's renditions add up to its playing time: " + q,
          q.count(PLAYING_TIME_MS_FIELD),
          q.renditionPlayingMs.values().stream().mapToLong(Long::longValue).sum());
      if (q.dimensionSet == QosDimensionSet.CLIENT_PLATFORM) {
        qosSessions.merge(q.minute, q.concurrentSessions, Long::sum);
        platforms.add(q.clientPlatform);
      }
    }
    ReferenceMetrics.Result reference = ReferenceMetrics.withDefaults()
        .withDefaultAccount(ReferenceMetrics.DEFAULT_ACCOUNT).compute(SampleArchive.locate());
    Map<Long, Long> referenceSessions = new TreeMap<>();
    reference.rows().forEach((k, row) -> {
      if (k.dimensionSet().equals(ReferenceMetrics.VIDEO) && k.minuteStartMs() >= BroadcastExpectations.FROM
          && k.minuteStartMs() < BroadcastExpectations.TO && row.ccu() > 0) {
        referenceSessions.merge(k.minuteStartMs(), row.ccu(), Long::sum);
      }
    });
    assertEquals(referenceSessions, qosSessions);

    // By country and by device type (account-wide sets): every row's exact values against the
    // reference's independent QoS rows of the range.
    Map<String, String> byCountryAndDevice = new TreeMap<>();
    for (QosMinute q : qos) {
      // A row with nothing but ended sessions (checked below) has no counterpart among these.
      boolean onlySessionOutcomes = q.concurrentSessions == 0 && q.count(ERROR_COUNT_FIELD) == 0
          && q.count(PLAYING_TIME_MS_FIELD) == 0 && q.count(BUFFERING_TIME_MS_FIELD) == 0 &&
              q.count(REBUFFER_COUNT_FIELD) == 0
          && q.count(STARTUP_COUNT_FIELD) == 0;
      if (!onlySessionOutcomes && (q.dimensionSet == QosDimensionSet.COUNTRY
          || q.dimensionSet == QosDimensionSet.DEVICE_TYPE)) {
        String value = q.dimensionSet == QosDimensionSet.COUNTRY ? q.country : q.deviceType;
        byCountryAndDevice.put(q.account + "/" + q.dimensionSet.id() + "/" + value + "@" + q.minute,
            "sessions=" + q.concurrentSessions + " errors=" + q.count(ERROR_COUNT_FIELD)
                + " playing_ms="
                + q.count(PLAYING_TIME_MS_FIELD) + " buffering_ms=" +
                q.count(BUFFERING_TIME_MS_FIELD) + " rebuffers="
                + q.count(REBUFFER_COUNT_FIELD) + " startup=" + q.count(STARTUP_COUNT_FIELD) + "/"
                + q.count(STARTUP_SUM_MS_FIELD));
      }
    }
    Map<String, String> referenceByCountryAndDevice = new TreeMap<>();
    Set<String> countries = new java.util.TreeSet<>();
    reference.qosRows().forEach((k, row) -> {
      if (k.minuteStartMs() >= BroadcastExpectations.FROM && k.minuteStartMs() < BroadcastExpectations.TO) {
        referenceByCountryAndDevice.put(k.account() + "/" + k.dimensionSet() + "/" + k.value() + "@"
            + k.minuteStartMs(), row.toString());
        if (k.dimensionSet().equals(ReferenceMetrics.QOS_COUNTRY)) {
          countries.add(k.value());
        }
      }
    });
    assertTrue("the sample has viewers in several countries: " + countries, countries.size() > 3);
    assertEquals(referenceByCountryAndDevice, byCountryAndDevice);
    // Session outcomes: the platform rows of a minute add up to the sessions that ended in it,
    // which the reference finds by sorting each session's events and cutting at STOP and gaps.
    Map<Long, List<Long>> qosOutcomes = new TreeMap<>();
    for (QosMinute q : qos) {
      if (q.dimensionSet == QosDimensionSet.CLIENT_PLATFORM) {
        addOutcome(qosOutcomes, q.minute, List.of(q.count(SESSIONS_LOADED_FIELD),
            q.count(EXITS_BEFORE_VIDEO_START_FIELD),
            q.count(PLAYBACK_ATTEMPTS_FIELD), q.count(PLAYBACK_FAILURES_FIELD),
                q.count(SESSIONS_PLAYED_FIELD), q.count(SESSIONS_REBUFFERED_FIELD)));
      }
    }
    Map<Long, List<Long>> referenceOutcomes = new TreeMap<>();
    for (String account : Set.of(ReferenceMetrics.DEFAULT_ACCOUNT)) {
      reference.sessionOutcomes(account).forEach((minute, counts) -> {
        if (minute >= BroadcastExpectations.FROM && minute < BroadcastExpectations.TO) {
          addOutcome(referenceOutcomes, minute, counts);
        }
      });
    }
    qosOutcomes.values().removeIf(c -> c.stream().allMatch(v -> v == 0));
    assertEquals(referenceOutcomes, qosOutcomes);
    long[] totals = new long[6];
    qosOutcomes.values().forEach(c -> { for (int i = 0; i < 6; i++) totals[i] += c.get(i); });
    assertTrue("the sample has sessions that exit before start, fail and rebuffer: "
        + java.util.Arrays.toString(totals), totals[1] > 0 && totals[3] > 0 && totals[5] > 0);
    // Every session ends in one row of each stored set: the country rows and the device-type
    // rows of a minute add up to the same outcomes as its platform rows.
    for (QosDimensionSet set : List.of(QosDimensionSet.COUNTRY, QosDimensionSet.DEVICE_TYPE)) {
      Map<Long, List<Long>> bySet = new TreeMap<>();
      for (QosMinute q : qos) {
        if (q.dimensionSet == set) {
          addOutcome(bySet, q.minute, List.of(q.count(SESSIONS_LOADED_FIELD),
              q.count(EXITS_BEFORE_VIDEO_START_FIELD),
              q.count(PLAYBACK_ATTEMPTS_FIELD), q.count(PLAYBACK_FAILURES_FIELD),
                  q.count(SESSIONS_PLAYED_FIELD), q.count(SESSIONS_REBUFFERED_FIELD)));
        }
      }
      bySet.values().removeIf(v -> v.stream().allMatch(x -> x == 0));
      assertEquals(set.id(), qosOutcomes, bySet);
    }
    assertTrue("the sample has web, android and ios players: " + platforms,
        platforms.containsAll(Set.of(ClientPlatform.WEB.apiName(), ClientPlatform.ANDROID.apiName(), ClientPlatform.IOS.apiName())));
  }

  private static void addOutcome(Map<Long, List<Long>> byMinute, long minute, List<Long> counts) {
    byMinute.merge(minute, counts, (a, b) -> java.util.stream.IntStream.range(0, a.size())
        .mapToObj(i -> a.get(i) + b.get(i)).toList());
  }

  private Backfill.Result backfill(Path broadcast, Path store, String runId) throws Exception {
    // On the embedded Flink engine: the DirectRunner re-translates every ParDo for each of the
    // many small bundles this pipeline makes, which took over 15 minutes on this machine.
    String[] args = {"--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2",
        "--archive=" + SampleArchive.locate(),
        "--broadcastArchive=" + broadcast, "--output=" + store, "--from=2026-11-22T05",
        "--to=2026-11-22T07", "--maxStreamDuration=PT2H", "--fingerprintSecret=test-secret",
        "--runId=" + runId};
    return Backfill.run(PipelineOptionsFactory.fromArgs(args).withValidation().as(BackfillOptions.class));
  }
}
