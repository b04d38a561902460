package org.livemetrics.query;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.Test;
import org.livemetrics.schemas.Dimension;
import org.livemetrics.schemas.DimensionSet;
import org.livemetrics.schemas.Metric;

public class QueryRequestTest {
  private static final long NOW = 1581768000000L; // 2020-02-15T12:00:00Z
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

  @Test
  public void parsesEveryPart() {
    QueryRequest r = QueryRequest.parse("/v1/timeseries/accounts/1234?dimensions=country,video"
        + "&metrics=video_view,ccu&where=video==5555,5556;country==US&from=1581760830000"
        + "&to=1581764399999&bucket_duration=2h", CLOCK);
    assertEquals(Endpoint.TIMESERIES, r.endpoint());
    assertEquals("1234", r.account());
    assertEquals(DimensionSet.VIDEO_COUNTRY, r.dimensionSet());
    assertEquals(List.of(Metric.VIDEO_VIEW, Metric.CCU), r.metrics());
    assertEquals(List.of("5555", "5556"), List.copyOf(r.videos()));
    assertEquals(Set.of("US"), r.secondaryValues());
    assertEquals(OptionalLong.of(1581760830000L), r.explicitFrom());
    assertEquals(1581760800000L, r.fromMinute()); // 10:00:30 → 10:00
    assertEquals(1581764340000L, r.toMinute()); // 10:59:59.999 → 10:59
    assertEquals(Bucketing.parseDuration("120m"), r.bucketing());
    assertEquals(120, r.bucketing().widthMinutes(1));
  }

  @Test
  public void valuesAreUrlDecoded() {
    QueryRequest r = QueryRequest.parse("/v1/events/accounts/12%2034?dimensions=video%2Cdevice_type"
        + "&metrics=ccu%2Cvideo_view&where=video%3D%3D55%2055%3Bdevice_type%3D%3Dsmart_tv", CLOCK);
    assertEquals("12 34", r.account());
    assertEquals(DimensionSet.VIDEO_DEVICE_TYPE, r.dimensionSet());
    assertEquals(List.of(Metric.CCU, Metric.VIDEO_VIEW), r.metrics());
    assertEquals(Set.of("55 55"), r.videos());
    assertEquals(Set.of("smart_tv"), r.secondaryValues());
  }

  @Test
  public void toDefaultsToNowAndFromTo32DaysBefore() {
    QueryRequest r = QueryRequest.parse(
        "/v1/events/accounts/1234?dimensions=video&metrics=ccu&where=video==5555", CLOCK);
    assertEquals(NOW, r.to());
    assertEquals(NOW - 32L * 24 * 3600 * 1000, r.from());
    assertFalse(r.explicitFrom().isPresent());

    r = QueryRequest.parse("/v1/events/accounts/1234?dimensions=video&metrics=ccu"
        + "&where=video==5555&to=1000000000000", CLOCK);
    assertEquals(1000000000000L - 32L * 24 * 3600 * 1000, r.from());
  }

  @Test
  public void theSameFromAndToIsOneMinute() {
    QueryRequest r = QueryRequest.parse("/v1/events/accounts/1234/?dimensions=video&metrics=ccu"
        + "&where=video==5555&from=1581767880001&to=1581767880001", CLOCK);
    assertEquals(r.fromMinute(), r.toMinute());
    assertEquals(1581767880000L, r.fromMinute());
  }

  @Test
  public void onlyEventsWithUniqueMetricsNeedSketches() {
    String q = "?dimensions=video&where=video==5555&metrics=";
    assertTrue(QueryRequest.parse("/v1/events/accounts/1" + q + "video_view,ccu", CLOCK)
        .selection().needsSketches());
    assertFalse(QueryRequest.parse("/v1/events/accounts/1" + q + "video_view", CLOCK)
        .selection().needsSketches());
    assertFalse(QueryRequest.parse("/v1/timeseries/accounts/1" + q + "ccu", CLOCK)
        .selection().needsSketches());
  }

  @Test
  public void theBuilderValidatesLikeTheParser() {
    QueryRequest r = QueryRequest.builder(Endpoint.EVENTS, "1234")
        .dimensions(DimensionSet.VIDEO_COUNTRY)
        .metrics(Metric.FINGERPRINT_COUNT)
        .where(Dimension.VIDEO, "5555")
        .from(1581760800000L)
        .to(1581764399999L)
        .build(CLOCK);
    assertEquals(QueryRequest.parse("/v1/events/accounts/1234?dimensions=video,country"
        + "&metrics=fingerprint_count&where=video==5555&from=1581760800000&to=1581764399999",
        CLOCK).toString(), r.toString());

    QueryException e = assertThrows(QueryException.class,
        () -> QueryRequest.builder(Endpoint.EVENTS, "1234").dimensions(DimensionSet.VIDEO)
            .metrics(Metric.CCU).where(Dimension.COUNTRY, "US").build(CLOCK));
    assertEquals("where", e.parameter());
    e = assertThrows(QueryException.class,
        () -> QueryRequest.builder(Endpoint.EVENTS, "1234").dimensions(DimensionSet.VIDEO)
            .metrics(Metric.CCU).where(Dimension.VIDEO, "5555")
            .bucketing(Bucketing.limit(1)).build(CLOCK));
    assertEquals("bucket_limit", e.parameter());
  }

  @Test
  public void theFilterIsCheckedWithTheMessagesOfEveryFamily() {
    String q = "/v1/events/accounts/1?metrics=ccu&dimensions=";
    QueryException e = assertThrows(QueryException.class, () -> QueryRequest.parse(
        q + "video,device_type&where=video==5;device_type==phone", CLOCK));
    assertEquals("where", e.parameter());
    assertEquals("unknown device_type 'phone'; use any of desktop, mobile, tablet, smart_tv,"
        + " unknown", e.getMessage());
    e = assertThrows(QueryException.class,
        () -> QueryRequest.parse(q + "video,country&where=video==5;device_type==mobile", CLOCK));
    assertTrue(e.getMessage(), e.getMessage().endsWith("filters on device_type, which is not a"
        + " dimension of this query (dimensions=video,country); add it to dimensions, e.g."
        + " dimensions=video,device_type"));
    e = assertThrows(QueryException.class, () -> QueryRequest.parse(
        q + "video&where=video==5&from=2020-02-15T11:00Z&bucket_limit=2", CLOCK));
    assertEquals("bucket_limit", e.parameter());
    assertTrue(e.getMessage(), e.getMessage().contains("only /v1/timeseries takes it"));
  }

  @Test
  public void bucketDurations() {
    assertEquals(1, Bucketing.parseDuration("1m").widthMinutes(10));
    assertEquals(90, Bucketing.parseDuration("90m").widthMinutes(10));
    assertEquals(180, Bucketing.parseDuration("3h").widthMinutes(10));
    assertEquals(7 * 1440, Bucketing.parseDuration("7d").widthMinutes(10));
    // bucket_limit: ceil(minutes / n), at least one minute.
    assertEquals(4, Bucketing.limit(3).widthMinutes(10));
    assertEquals(1, Bucketing.limit(300).widthMinutes(10));
    assertEquals(1440, Bucketing.limit(1).widthMinutes(1440));
  }
}
