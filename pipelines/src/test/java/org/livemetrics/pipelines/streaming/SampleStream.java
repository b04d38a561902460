package org.livemetrics.pipelines.streaming;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.testing.TestStream;
import org.joda.time.Duration;
import org.livemetrics.transforms.parse.RawRecord;

/**
 * The checked-in sample archive replayed as a stream: each archive object becomes one record (a
 * stream record may hold many NDJSON or concatenated events), stamped with its arrival time from
 * its Firehose name, in arrival order, under a perfect watermark (the earliest event_time still to
 * come), so that no event is late and the stream must equal the backfill exactly.
 */
final class SampleStream {
  private static final Pattern ARRIVAL =
      Pattern.compile("-(\\d{4})-(\\d{2})-(\\d{2})-(\\d{2})-(\\d{2})-(\\d{2})-");
  private static final Pattern EVENT_TIME = Pattern.compile("\"event_time\":\"?(\\d{13})");

  record Item(RawRecord record, long arrival, long minEventTime) {}

  private SampleStream() {}

  static List<Item> items(Path archive) throws IOException {
    List<Item> items = new ArrayList<>();
    try (Stream<Path> files = Files.walk(archive)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Matcher m = ARRIVAL.matcher(f.getFileName().toString());
        if (!m.find()) {
          continue;
        }
        long arrival = Instant.parse(String.format("%s-%s-%sT%s:%s:%sZ",
            m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6))).toEpochMilli();
        byte[] bytes = Files.readAllBytes(f);
        if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
          try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            bytes = in.readAllBytes();
          }
        }
        long min = Long.MAX_VALUE;
        Matcher t = EVENT_TIME.matcher(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        while (t.find()) {
          min = Math.min(min, Long.parseLong(t.group(1)));
        }
        items.add(new Item(new RawRecord("test://" + f.getFileName(), 1, bytes, arrival), arrival, min));
      }
    }
    items.sort(Comparator.comparingLong(Item::arrival));
    return items;
  }

  /** The items in arrival order; processing time moves {@code step} after each. */
  static TestStream<RawRecord> testStream(List<Item> items, Duration step) {
    long[] suffixMin = new long[items.size() + 1];
    suffixMin[items.size()] = Long.MAX_VALUE;
    for (int i = items.size() - 1; i >= 0; i--) {
      suffixMin[i] = Math.min(suffixMin[i + 1], items.get(i).minEventTime());
    }
    TestStream.Builder<RawRecord> b = TestStream.create(RawRecord.Coder.of());
    long watermark = Long.MIN_VALUE;
    for (int i = 0; i < items.size(); i++) {
      long w = suffixMin[i] - 1;
      if (w > watermark) {
        b = b.advanceWatermarkTo(new org.joda.time.Instant(w));
        watermark = w;
      }
      Item it = items.get(i);
      b = b.addElements(org.apache.beam.sdk.values.TimestampedValue.of(
              it.record(), new org.joda.time.Instant(it.arrival())))
          .advanceProcessingTime(step);
    }
    return b.advanceWatermarkToInfinity();
  }
}
