package org.livemetrics.transforms.parse;

import java.util.List;
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
import org.livemetrics.schemas.PlayerEvent;

/** The Beam transform: good records out, bad ones through Beam's bad-record handler. */
public class ParsePlayerEventsTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  /** Keeps reason, source, line and raw text of each dead letter, as a string. */
  static class DescribeBadRecords extends PTransform<PCollection<BadRecord>, PCollection<String>> {
    @Override
    public PCollection<String> expand(PCollection<BadRecord> input) {
      return input.apply(
          MapElements.into(TypeDescriptors.strings())
              .via(b -> b.getFailure().getDescription().split(":")[0] + " | " + compact(b.getRecord().getHumanReadableJsonRecord())));
    }

    private static String compact(String json) {
      try {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).toString();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  @Test
  public void badRecordsGoToTheHandlerWithReasonSourceAndText() throws Exception {
    String good =
        "{\"metric_type\":\"PLAY\",\"event_time\":1763787600000,\"channel_watched\":\"v\",\"session_id\":\"s\"}";
    BadRecordErrorHandler<PCollection<String>> handler =
        p.registerBadRecordErrorHandler(new DescribeBadRecords());
    PCollection<PlayerEvent> events =
        p.apply(Create.of(List.of(RawRecord.of("obj-1", good + "\n{\"metric_type\":"), RawRecord.of("obj-2", "[1]"))))
            .apply(ParsePlayerEvents.create("secret", "acct").withBadRecordErrorHandler(handler));
    handler.close();
    PAssert.that(events.apply(MapElements.into(TypeDescriptors.strings()).via(e -> e.metricType + "/" + e.account)))
        .containsInAnyOrder("PLAY/acct");
    PAssert.that(handler.getOutput())
        .containsInAnyOrder(
            // The record's text (bounded), its length and SHA-256 (from sha256sum).
            "malformed_json | {\"source\":\"obj-1\",\"line\":2,\"record\":\"{\\\"metric_type\\\":\","
                + "\"recordBytes\":15,\"recordSha256\":"
                + "\"021b3d9b07d96e2468e0386ccdbaf8d93510fff5dfe0947b3086d6a2f7108081\"}",
            "not_an_object | {\"source\":\"obj-2\",\"line\":1,\"record\":\"1\",\"recordBytes\":1,"
                + "\"recordSha256\":\"6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b\"}");
    p.run();
  }
}
