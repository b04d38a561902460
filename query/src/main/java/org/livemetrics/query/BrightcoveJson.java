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
import java.util.Map;
import org.livemetrics.schemas.Metric;

/**
 * Renders a {@link QueryResult} as the compact JSON body the Brightcove Live Analytics API returns:
 *
 * <pre>
 * timeseries: {"ccu":{"data":[{"dimensions":{"account":"1234","video":"5555"},
 *               "points":[{"timestamp":1581767880000,"value":42}, …]}]}, …}
 * events:     {"data":[{"dimensions":{…},"totals":{"ccu":42,"video_seconds_viewed":61.5}}]}
 * </pre>
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
        writeTimeseries(t, g);
      } else {
        writeEvents((EventsResult) result, g);
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

  private static void writeTimeseries(TimeseriesResult result, JsonGenerator g) throws IOException {
    g.writeStartObject();
    for (Metric metric : result.metrics()) {
      g.writeObjectFieldStart(metric.apiName());
      g.writeArrayFieldStart("data");
      for (TimeseriesResult.Series series : result.series(metric)) {
        g.writeStartObject();
        writeDimensions(series.dimensions(), g);
        g.writeArrayFieldStart("points");
        for (TimeseriesResult.Point p : series.points()) {
          g.writeStartObject();
          g.writeNumberField("timestamp", p.timestamp());
          g.writeFieldName("value");
          writeNumber(p.value(), g);
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

  private static void writeEvents(EventsResult result, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeArrayFieldStart("data");
    for (EventsResult.Totals totals : result.data()) {
      g.writeStartObject();
      writeDimensions(totals.dimensions(), g);
      g.writeObjectFieldStart("totals");
      for (Map.Entry<Metric, Number> e : totals.totals().entrySet()) {
        g.writeFieldName(e.getKey().apiName());
        writeNumber(e.getValue(), g);
      }
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void writeDimensions(DimensionValues dimensions, JsonGenerator g)
      throws IOException {
    g.writeObjectFieldStart("dimensions");
    for (Map.Entry<String, String> e : dimensions.asApiMap().entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  private static void writeNumber(Number n, JsonGenerator g) throws IOException {
    if (n instanceof BigDecimal d) {
      g.writeNumber(d);
    } else {
      g.writeNumber(n.longValue());
    }
  }
}
