package org.livemetrics.query;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.Metric;
import org.livemetrics.schemas.QosMetric;
import org.livemetrics.schemas.StreamSession;

/**
 * Renders a {@link QueryResult} as the compact JSON body the Brightcove Live Analytics API returns:
 *
 * <pre>
 * timeseries: {"ccu":{"data":[{"dimensions":{"account":"1234","video":"5555"},
 *               "points":[{"timestamp":1581767880000,"value":42}, …]}]}, …}
 * events:     {"data":[{"dimensions":{…},"totals":{"ccu":42,"video_seconds_viewed":61.5}}]}
 * </pre>
 *
 * QoS and broadcast answers have the same shape; a value may be null (no data in the bucket for a
 * ratio, mean or percentile) or, for {@code rendition_seconds_played}, an object from rendition
 * name to seconds. Stream listings are {@code {"data":[{"account":…,"channel":…,"stream_id":…,
 * "start":…,"end":…,"outcome":"open","duration_seconds":…,"as_of":…,…}]}}.
 */
public final class BrightcoveJson {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
      .build();

  private BrightcoveJson() {}

  /** Writes the body (without a trailing newline) as UTF-8; does not close {@code out}. */
  public static void write(QueryResult result, OutputStream out) throws IOException {
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      if (result instanceof TimeseriesResult t) {
        writeTimeseries(t.metrics(), Metric::apiName, t::series,
            s -> s.dimensions().asApiMap(), TimeseriesResult.Series::points,
            TimeseriesResult.Point::timestamp, TimeseriesResult.Point::value, g);
      } else if (result instanceof EventsResult e) {
        writeEvents(e.data(), d -> d.dimensions().asApiMap(), EventsResult.Totals::totals,
            Metric::apiName, g);
      } else if (result instanceof QosTimeseriesResult t) {
        writeTimeseries(t.metrics(), QosMetric::apiName, t::series,
            QosTimeseriesResult.Series::dimensions, QosTimeseriesResult.Series::points,
            QosTimeseriesResult.Point::timestamp, QosTimeseriesResult.Point::value, g);
      } else if (result instanceof QosEventsResult e) {
        writeEvents(e.data(), QosEventsResult.Totals::dimensions, QosEventsResult.Totals::totals,
            QosMetric::apiName, g);
      } else {
        writeStreams((StreamsResult) result, g);
      }
    }
  }

  public static String toJson(QueryResult result) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(result, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * {@code {"<metric>":{"data":[{"dimensions":{…},"points":[{"timestamp":…,"value":…}]}]}}} of
   * any family's series, read through accessors so large answers are written without copies.
   */
  private static <M, S, P> void writeTimeseries(List<M> metrics, Function<M, String> name,
      Function<M, List<S>> seriesOf, Function<S, Map<String, String>> dimensions,
      Function<S, List<P>> pointsOf, ToLongFunction<P> timestamp, Function<P, Object> value,
      JsonGenerator g) throws IOException {
    g.writeStartObject();
    for (M metric : metrics) {
      g.writeObjectFieldStart(name.apply(metric));
      g.writeArrayFieldStart("data");
      for (S series : seriesOf.apply(metric)) {
        g.writeStartObject();
        writeDimensions(dimensions.apply(series), g);
        g.writeArrayFieldStart("points");
        for (P p : pointsOf.apply(series)) {
          g.writeStartObject();
          g.writeNumberField("timestamp", timestamp.applyAsLong(p));
          g.writeFieldName("value");
          writeValue(value.apply(p), g);
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  /** {@code {"data":[{"dimensions":{…},"totals":{"<metric>":…}}]}} of any family. */
  private static <T, M> void writeEvents(List<T> data, Function<T, Map<String, String>> dimensions,
      Function<T, Map<M, ? extends Object>> totalsOf, Function<M, String> name, JsonGenerator g)
      throws IOException {
    g.writeStartObject();
    g.writeArrayFieldStart("data");
    for (T totals : data) {
      g.writeStartObject();
      writeDimensions(dimensions.apply(totals), g);
      g.writeObjectFieldStart("totals");
      for (Map.Entry<M, ? extends Object> e : totalsOf.apply(totals).entrySet()) {
        g.writeFieldName(name.apply(e.getKey()));
        writeValue(e.getValue(), g);
      }
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void writeDimensions(Map<String, String> dimensions, JsonGenerator g)
      throws IOException {
    g.writeObjectFieldStart("dimensions");
    for (Map.Entry<String, String> e : dimensions.entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  private static void writeStreams(StreamsResult result, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeArrayFieldStart("data");
    for (StreamSession s : result.streams()) {
      g.writeStartObject();
      g.writeStringField("account", s.account());
      g.writeStringField("region", s.region());
      g.writeStringField("channel", s.channelArn());
      g.writeStringField("channel_name", s.channelName());
      g.writeStringField("stream_id", s.streamId());
      writeOptional("start", s.startTime(), g);
      writeOptional("end", s.endTime(), g);
      g.writeStringField("outcome", s.outcome().apiName());
      g.writeFieldName("duration_seconds");
      writeValue(s.durationMs() == null ? null : MetricValues.seconds(s.durationMs()), g);
      g.writeNumberField("as_of", s.asOf());
      writeOptional("session_created", s.sessionCreatedTime(), g);
      writeOptional("session_ended", s.sessionEndedTime(), g);
      // A stream reports its starvation as the broadcast metrics of the same names do.
      g.writeNumberField(QosMetric.STARVATION_COUNT.apiName(), s.starvationCount());
      g.writeFieldName(QosMetric.STARVATION_SECONDS.apiName());
      writeNumber(MetricValues.seconds(s.starvationMs()), g);
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void writeOptional(String field, @Nullable Long value, JsonGenerator g)
      throws IOException {
    g.writeFieldName(field);
    if (value == null) {
      g.writeNull();
    } else {
      g.writeNumber(value);
    }
  }

  /** A number, null, or an object of numbers (rendition_seconds_played). */
  private static void writeValue(@Nullable Object value, JsonGenerator g) throws IOException {
    if (value == null) {
      g.writeNull();
    } else if (value instanceof Number n) {
      writeNumber(n, g);
    } else {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        g.writeFieldName(e.getKey().toString());
        writeNumber((Number) e.getValue(), g);
      }
      g.writeEndObject();
    }
  }

  private static void writeNumber(Number n, JsonGenerator g) throws IOException {
    if (n instanceof BigDecimal d) {
      g.writeNumber(d);
    } else {
      g.writeNumber(n.longValue());
    }
  }
}
