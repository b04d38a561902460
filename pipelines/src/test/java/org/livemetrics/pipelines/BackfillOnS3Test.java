package org.livemetrics.pipelines;

import static org.livemetrics.schemas.family.AudienceFamily.ALIVE_SS_AD_START_FIELD;
import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_SECONDS_VIEWED_MS_FIELD;
import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_VIEW_FIELD;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.junit.Assert.assertEquals;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.MimeTypes;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.pipelines.backfill.Backfill;
import org.livemetrics.pipelines.backfill.BackfillOptions;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.testdata.services.LocalS3;
import org.livemetrics.testdata.services.ServerRule;

/** The backfill reading its archive from, and writing its store to, a real local S3 server. */
public class BackfillOnS3Test {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final ServerRule<LocalS3> s3Server = ServerRule.of(new LocalS3("livemetrics"));

  private static long t(String hhmmss) {
    return Instant.parse("2026-11-22T" + hhmmss + "Z").toEpochMilli();
  }

  private static String event(String type, String time, String session, String extra) {
    return "{\"metric_type\":\"" + type + "\",\"event_time\":" + t(time) + ",\"channel_watched\":\"v9\","
        + "\"session_id\":\"" + session + "\",\"ip\":\"9.9.9.9\",\"user_agent\":\"UA\",\"player\":\"p\","
        + "\"CloudFront-Viewer-Country\":\"DE\",\"CloudFront-Is-SmartTV-Viewer\":true" + extra + "}";
  }

  @Test
  public void archiveAndStoreOnS3() throws Exception {
    Path local = tmp.newFolder("archive").toPath();
    ArchiveFixture a = new ArchiveFixture(local);
    a.gzip("2026/11/22/05", "obj-1.gz", String.join("\n",
        event("PLAY", "05:30:00", "s1", ""),
        event("PLAYBACK_SUMMARY", "05:31:01", "s1", ",\"playing_time_ms\":59000,\"buffering_time_ms\":2000"),
        event("PLAY", "05:30:30", "s2", ""),
        "not json"));
    a.plain("2026/11/22/06", "obj-2", event("AD_START", "05:31:30", "s2", ""));

    List<String> args = new ArrayList<>(s3Server.server().beamArgs());
    PipelineOptions s3Options = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).as(S3Options.class);
    FileSystems.setDefaultPipelineOptions(s3Options);
    String bucket = "s3://" + s3Server.server().bucket();
    upload(local, bucket + "/raw");

    args.addAll(List.of("--runner=DirectRunner", "--archive=" + bucket + "/raw",
        "--output=" + bucket + "/store", "--from=2026-11-22T05", "--to=2026-11-22T06",
        "--fingerprintSecret=s", "--defaultAccount=acme"));
    Backfill.Result result = Backfill.run(PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .withValidation().as(BackfillOptions.class));
    assertEquals(4, result.counter("events_parsed"));

    Path store = tmp.newFolder("store").toPath();
    download(bucket + "/store/", store);
    List<String> rows = StoreContents.rows(store).stream()
        .filter(r -> r.dimensionSet == DimensionSet.VIDEO_DEVICE_TYPE)
        .map(r -> r.account + "/" + r.video + "/" + r.deviceType + " " + Instant.ofEpochMilli(r.minute).toString().substring(11, 16)
            + " views=" + r.count(VIDEO_VIEW_FIELD) + " ads=" + r.count(ALIVE_SS_AD_START_FIELD)
            + " ms=" + r.count(VIDEO_SECONDS_VIEWED_MS_FIELD) + " ccu=" + r.ccu + " fp="
            + r.fingerprintCount)
        .toList();
    assertThat(rows, containsInAnyOrder(
        "acme/v9/smart_tv 05:30 views=2 ads=0 ms=0 ccu=2 fp=1",
        "acme/v9/smart_tv 05:31 views=0 ads=1 ms=59000 ccu=2 fp=1"));
    List<String> dead = StoreContents.deadLetters(store);
    assertEquals(1, dead.size());
    assertThat(List.of(dead.get(0).contains("\"source\":\"s3://livemetrics/raw/2026/11/22/05/obj-1.gz\"")),
        containsInAnyOrder(true));
  }

  private static void upload(Path dir, String target) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String key = target + "/" + dir.relativize(f).toString().replace('\\', '/');
        try (OutputStream out = Channels.newOutputStream(
            FileSystems.create(FileSystems.matchNewResource(key, false), MimeTypes.BINARY))) {
          Files.copy(f, out);
        }
      }
    }
  }

  private static void download(String prefix, Path dir) throws Exception {
    MatchResult m = FileSystems.match(prefix + "**");
    for (MatchResult.Metadata md : m.metadata()) {
      String rel = md.resourceId().toString().substring(prefix.length());
      Path out = dir.resolve(rel);
      Files.createDirectories(out.getParent());
      try (InputStream in = Channels.newInputStream(FileSystems.open(md.resourceId()))) {
        Files.copy(in, out);
      }
    }
  }
}
