package org.livemetrics.pipelines.streaming;

import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_IMPRESSION_FIELD;
import static org.livemetrics.schemas.family.AudienceFamily.VIDEO_VIEW_FIELD;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestPipeline;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.livemetrics.query.AggregateSelection;
import org.livemetrics.query.ParquetAggregateStore;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.testdata.HostileCorpus;
import org.livemetrics.transforms.parse.RawRecord;

/**
 * The hostile corpus's record-level cases as a live stream (each case a Kinesis-like record with
 * its arrival time) through the whole streaming job on the DirectRunner: the job runs to the end,
 * the good events around every hostile record are in the streamed store exactly, and each hostile
 * record is one dead letter with the reason the corpus gives.
 */
public class HostileStreamTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient TestPipeline p = TestPipeline.fromOptions(
      PipelineOptionsFactory.fromArgs("--fingerprintSecret=test-secret", "--streamId=hostile")
          .as(StreamingPipelineOptions.class));

  @Test
  public void hostileRecordsAreDeadLettersAndTheGoodOnesAroundThemCount() throws Exception {
    Path store = tmp.newFolder("store").toPath();
    StreamingPipelineOptions o = p.getOptions().as(StreamingPipelineOptions.class);
    o.setOutput(store.toString());
    o.setArchive(tmp.newFolder("archive").toString());

    List<SampleStream.Item> items = new ArrayList<>();
    List<byte[]> records = HostileCorpus.streamRecords();
    for (int i = 0; i < records.size(); i++) {
      long arrival = HostileCorpus.ARRIVAL_HOUR + 40 * 60_000L + i * 1000L;
      items.add(new SampleStream.Item(new RawRecord("kinesis://hostile/shard-0/" + i, 1,
          records.get(i), arrival), arrival, HostileCorpus.ARRIVAL_HOUR));
    }
    StreamingPipeline.attach(p.apply("HostileStream",
        SampleStream.testStream(items, Duration.standardSeconds(1))), o);
    PipelineResult result = p.run();
    result.waitUntilFinish();

    HostileCorpus.Expected expected = HostileCorpus.expectedOfStream();
    Map<String, Long> reasons = new TreeMap<>();
    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> files = Files.walk(store.resolve("dead-letter"))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
        for (String line : Files.readAllLines(f)) {
          JsonNode d = json.readTree(line);
          reasons.merge(d.get("reason").asText(), 1L, Long::sum);
          assertTrue(line, line.length() < 20_000);
        }
      }
    }
    assertEquals(expected.deadLettersByReason(), reasons);

    try (ParquetAggregateStore streamed = new ParquetAggregateStore(store.toString())) {
      long impressions = 0;
      long views = 0;
      for (MinuteAggregate r : streamed.readAll(new AggregateSelection(HostileCorpus.ACCOUNT,
          DimensionSet.VIDEO, Set.of(), Set.of(), HostileCorpus.ARRIVAL_HOUR - 3_600_000L,
          HostileCorpus.ARRIVAL_HOUR + 6 * 3_600_000L, false))) {
        assertEquals(HostileCorpus.GOOD_VIDEO, r.video);
        impressions += r.count(VIDEO_IMPRESSION_FIELD);
        views += r.count(VIDEO_VIEW_FIELD);
      }
      assertEquals(expected.goodImpressions(), impressions);
      assertEquals(expected.goodViews(), views);
    }
  }
}
