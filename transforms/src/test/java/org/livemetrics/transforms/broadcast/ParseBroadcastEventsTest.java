package org.livemetrics.transforms.broadcast;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;
import org.livemetrics.schemas.BroadcastEvent;
import org.livemetrics.schemas.BroadcastEventType;
import org.livemetrics.transforms.parse.RawRecord;
import org.livemetrics.transforms.parse.RecordRejectedException;
import org.livemetrics.transforms.parse.RejectedRecord;

/** EventBridge's IVS events: what is read, ignored (counted) and rejected (with its reason). */
public class ParseBroadcastEventsTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  static final String ARN = "arn:aws:ivs:eu-west-1:123456789012:channel/tbHb69cdvlbk";

  /** The example, with its elisions filled in. */
  static final String STREAM_END = "{\"version\":\"0\",\"id\":\"01234567-0123-0123-0123-0123456789ab\","
      + "\"detail-type\":\"IVS Stream State Change\",\"source\":\"aws.ivs\","
      + "\"account\":\"123456789012\",\"time\":\"2020-10-01T02:01:58Z\",\"region\":\"eu-west-1\","
      + "\"resources\":[\"" + ARN + "\"],"
      + "\"detail\":{\"event_name\":\"Stream End\",\"channel_name\":\"ivs_channel3\","
      + "\"stream_id\":\"st-1A2b3c4D5e6F78ghij9Klmn\"}}";

  static String event(String id, String detailType, String eventName, String extra) {
    return "{\"id\":\"" + id + "\",\"detail-type\":\"" + detailType + "\",\"source\":\"aws.ivs\","
        + "\"time\":\"2020-10-01T02:00:00Z\",\"resources\":[\"" + ARN + "\"],"
        + "\"detail\":{\"event_name\":\"" + eventName + "\",\"stream_id\":\"st-9\"" + extra + "}}";
  }

  /** Decodes one payload; each outcome as a line. */
  static List<String> decode(String payload) throws Exception {
    List<String> out = new ArrayList<>();
    new BroadcastEventDecoder().decode(RawRecord.of("src", payload), new BroadcastEventDecoder.Output() {
      @Override
      public void event(BroadcastEvent e) {
        out.add("event " + e);
      }

      @Override
      public void rejected(RejectedRecord record, RecordRejectedException why) {
        out.add("rejected line " + record.getLine() + " " + why.getMessage());
      }

      @Override
      public void ignored(BroadcastEventDecoder.Ignored why) {
        out.add("ignored " + why);
      }
    });
    return out;
  }

  @Test
  public void theExampleEvent() throws Exception {
    assertEquals(List.of("event " + new BroadcastEvent("01234567-0123-0123-0123-0123456789ab",
        BroadcastEventType.STREAM_END, java.time.Instant.parse("2020-10-01T02:01:58Z").toEpochMilli(),
        "123456789012", "eu-west-1", ARN, "ivs_channel3", "st-1A2b3c4D5e6F78ghij9Klmn")),
        decode(STREAM_END));
  }

  @Test
  public void everyHandledEventNameAndRegionAndAccountFromTheArn() throws Exception {
    for (BroadcastEventType t : BroadcastEventType.values()) {
      List<String> out = decode(event("x", t.detailType(), t.eventName(), ""));
      assertEquals(List.of("event " + new BroadcastEvent("x", t,
          java.time.Instant.parse("2020-10-01T02:00:00Z").toEpochMilli(), "123456789012",
          "eu-west-1", ARN, null, "st-9")), out);
    }
  }

  @Test
  public void newlineDelimitedAndConcatenatedEvents() throws Exception {
    String start = event("a", "IVS Stream State Change", "Stream Start", "");
    String starving = event("b", "IVS Stream Health Change", "Starvation Start", "");
    List<String> out = decode(start + "\n" + starving + starving.replace("\"b\"", "\"c\""));
    assertEquals(3, out.size());
    assertEquals(true, out.get(0).contains("id=a, type=STREAM_START"));
    assertEquals(true, out.get(1).contains("id=b, type=STARVATION_START"));
    assertEquals(true, out.get(2).contains("id=c, type=STARVATION_START"));
  }

  @Test
  public void otherSourcesDetailTypesAndEventNamesAreIgnored() throws Exception {
    assertEquals(List.of("ignored DETAIL_TYPE"),
        decode(event("a", "IVS Limit Breach", "Stream Start", "")));
    assertEquals(List.of("ignored SOURCE"),
        decode(STREAM_END.replace("\"aws.ivs\"", "\"aws.medialive\"")));
    assertEquals(List.of("ignored EVENT_NAME"),
        decode(event("a", "IVS Stream State Change", "Stream Takeover", "")));
  }

  @Test
  public void malformedEventsAreRejectedWithTheirReason() throws Exception {
    assertEquals(List.of("rejected line 1 missing_field: id is missing"),
        decode(STREAM_END.replace("\"id\":\"01234567-0123-0123-0123-0123456789ab\",", "")));
    assertEquals(List.of("rejected line 1 missing_field: detail.stream_id is missing"),
        decode(STREAM_END.replace(",\"stream_id\":\"st-1A2b3c4D5e6F78ghij9Klmn\"", "")));
    assertEquals(List.of("rejected line 1 missing_field: detail-type is missing"),
        decode(STREAM_END.replace("\"detail-type\":\"IVS Stream State Change\",", "")));
    assertEquals(List.of("rejected line 1 missing_field: resources is missing: it names the channel"),
        decode(STREAM_END.replace("[\"" + ARN + "\"]", "[]")));
    assertEquals(List.of("rejected line 1 invalid_field: resources: 'arn:aws:s3:::bucket' is not an"
            + " IVS channel ARN (arn:aws:ivs:REGION:ACCOUNT:channel/ID)"),
        decode(STREAM_END.replace(ARN, "arn:aws:s3:::bucket")));
    assertEquals(List.of("rejected line 1 invalid_field: time: 'yesterday' is not an ISO-8601 time"
            + " like 2020-10-01T02:01:58Z"),
        decode(STREAM_END.replace("2020-10-01T02:01:58Z", "yesterday")));
    assertEquals(List.of("rejected line 1 invalid_field: detail.event_name: expected a string,"
            + " found NUMBER"),
        decode(STREAM_END.replace("\"Stream End\"", "7")));
    // The good event on line 1 is kept; the array on line 2 is rejected with its line.
    List<String> two = decode(STREAM_END + "\n[1]");
    assertEquals(2, two.size());
    assertEquals("rejected line 2 not_an_object: expected a JSON object, found ARRAY", two.get(1));
    assertEquals("rejected line 1 malformed_json",
        decode("{\"id\":").get(0).split(":")[0]);
  }

  static final class Reasons extends PTransform<PCollection<BadRecord>, PCollection<String>> {
    @Override
    public PCollection<String> expand(PCollection<BadRecord> input) {
      return input.apply(MapElements.into(TypeDescriptors.strings())
          .via(b -> b.getFailure().getDescription().split(":")[0]));
    }
  }

  @Test
  public void theTransformRoutesBadRecordsAndCountsIgnoredEvents() {
    BadRecordErrorHandler<PCollection<String>> handler = p.registerBadRecordErrorHandler(new Reasons());
    PCollection<BroadcastEvent> events = p
        .apply(Create.of(List.of(
            RawRecord.of("kinesis://s/1", STREAM_END),
            RawRecord.of("kinesis://s/2", event("b", "IVS Limit Breach", "x", "") + "\n"
                + event("c", "IVS Stream Health Change", "Starvation End", "") + "\nnot json"))))
        .apply(ParseBroadcastEvents.create().withBadRecordErrorHandler(handler));
    handler.close();
    PAssert.that(events.apply(MapElements.into(TypeDescriptors.strings())
            .via(e -> e.type() + " " + e.streamId())))
        .containsInAnyOrder("STREAM_END st-1A2b3c4D5e6F78ghij9Klmn", "STARVATION_END st-9");
    PAssert.that(handler.getOutput()).containsInAnyOrder("malformed_json");
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertEquals(1, counter(result, "broadcast_ignored_detail_type"));
    assertEquals(2, counter(result, "broadcast_events_parsed"));
    assertEquals(1, counter(result, "broadcast_dead_letter_malformed_json"));
  }

  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named("livemetrics", name)).build()).getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }
}
