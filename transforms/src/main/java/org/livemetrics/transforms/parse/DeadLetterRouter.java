package org.livemetrics.transforms.parse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.BadRecordRouter;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Beam's recording router ({@link BadRecordRouter#RECORDING_ROUTER}) without its per-record
 * costs, for input an attacker controls: Beam's builds a new Jackson {@code ObjectMapper} for
 * every bad record, Java-serializes the record with its coder and renders a stack trace, about a
 * millisecond each by JFR, so a flood of bad records slowed a job fifty-fold. This one writes the
 * same human-readable JSON with one shared writer and the exception's message; the dead-letter
 * sink reads only those and the description. The bad records go to the same
 * {@link BadRecordRouter#BAD_RECORD_TAG}.
 */
public final class DeadLetterRouter implements BadRecordRouter {
  private static final long serialVersionUID = 1L;
  public static final DeadLetterRouter INSTANCE = new DeadLetterRouter();
  private static final ObjectWriter JSON = new ObjectMapper().writer();

  private DeadLetterRouter() {}

  @Override
  public <RecordT> void route(DoFn.MultiOutputReceiver out, RecordT record,
      @Nullable Coder<RecordT> coder, @Nullable Exception exception, String description)
      throws Exception {
    out.get(BAD_RECORD_TAG).output(badRecord(record, exception, description));
  }

  @Override
  public <RecordT> void route(DoFn<?, ?>.FinishBundleContext c, RecordT record,
      @Nullable Coder<RecordT> coder, @Nullable Exception exception, String description,
      BoundedWindow window) throws Exception {
    c.output(BAD_RECORD_TAG, badRecord(record, exception, description), window.maxTimestamp(),
        window);
  }

  static BadRecord badRecord(Object record, @Nullable Exception exception, String description)
      throws Exception {
    return BadRecord.builder()
        .setRecord(BadRecord.Record.builder()
            .setHumanReadableJsonRecord(JSON.writeValueAsString(record))
            .build())
        .setFailure(BadRecord.Failure.builder()
            .setException(exception == null ? null : exception.toString())
            .setDescription(description)
            .build())
        .build();
  }

  private Object readResolve() {
    return INSTANCE;
  }
}
