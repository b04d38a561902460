package org.livemetrics.query;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.Test;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.Dimension;
import org.livemetrics.schemas.QosDimensionSet;
import org.livemetrics.schemas.QosMetric;

/** How QoS, broadcast and stream requests are told apart, validated and refused. */
public class QosRequestTest {
  private static final Clock NOON =
      Clock.fixed(Instant.parse("2020-02-15T12:00:00Z"), ZoneOffset.UTC);
  private static final String TS = "/v1/timeseries/accounts/1234?";

  private static QueryException refused(String uri) {
    return assertThrows(QueryException.class, () -> ApiRequest.parse(uri, NOON));
  }

  private static void assertRefused(String uri, String parameter, String... fragments) {
    QueryException e = refused(uri);
    assertEquals(e.toString(), parameter, e.parameter());
    for (String f : fragments) {
      assertThat(e.getMessage(), containsString(f));
    }
  }

  @Test
  public void theMetricsPickTheKindOfRequest() {
    assertTrue(ApiRequest.parse(TS + "dimensions=video&metrics=ccu&where=video==1", NOON)
        instanceof QueryRequest);
    QosRequest viewer = (QosRequest) ApiRequest.parse(
        TS + "dimensions=video,client_platform&metrics=buffer_ratio,live_latency_ms_p95"
            + "&where=video==5555;client_platform==web,ios", NOON);
    assertEquals(MetricFamily.VIEWER_QOS, viewer.family());
    assertEquals(List.of(QosMetric.BUFFER_RATIO, QosMetric.LIVE_LATENCY_MS_P95),
        viewer.metrics());
    QosSelection s = viewer.qosSelection();
    assertEquals(QosDimensionSet.VIDEO_CLIENT_PLATFORM, s.dimensionSet());
    assertEquals(Set.of("5555"), s.videos());
    assertEquals(Set.of("web", "ios"), s.platforms());
    assertTrue("a percentile needs the sketches", s.needsSketches());

    QosRequest anyOrder = (QosRequest) ApiRequest.parse(
        TS + "dimensions=client_platform,video&metrics=buffer_ratio", NOON);
    assertEquals(List.of(Dimension.VIDEO, Dimension.CLIENT_PLATFORM), anyOrder.dimensions());
    assertRefused(TS + "dimensions=video,video&metrics=buffer_ratio", "dimensions",
        "'video,video' is not a dimension combination");

    QosRequest overall = (QosRequest) ApiRequest.parse(TS + "metrics=concurrent_sessions", NOON);
    assertEquals(List.of(), overall.dimensions());
    assertEquals(QosDimensionSet.CLIENT_PLATFORM, overall.qosSelection().dimensionSet());
    assertEquals(false, overall.qosSelection().needsSketches());

    QosRequest broadcast = (QosRequest) ApiRequest.parse(
        TS + "dimensions=region,channel&metrics=starvation_seconds&where=region==us-west-2",
        NOON);
    assertEquals(MetricFamily.BROADCAST, broadcast.family());
    assertEquals(BroadcastMinute.Scope.CHANNEL, broadcast.broadcastSelection(ChannelScope.ALL).scope());
    assertEquals(Set.of("us-west-2"), broadcast.where(Dimension.REGION));

    StreamsRequest streams = (StreamsRequest) ApiRequest.parse(
        "/v1/streams/accounts/123456789012?where=outcome==open", NOON);
    assertEquals("123456789012", streams.account());
    // Defaults as for the other endpoints: to now, from 32 days before.
    assertEquals(NOON.millis(), streams.to());
    assertEquals(NOON.millis() - QueryRequest.DEFAULT_RANGE.toMillis(), streams.from());
  }

  @Test
  public void mixingFamiliesIsRefusedNamingEachFamilysMetrics() {
    assertRefused(TS + "dimensions=video&metrics=ccu,buffer_ratio&where=video==1", "metrics",
        "mixes audience metrics (ccu) with viewer QoS metrics (buffer_ratio)",
        "audience: ccu", "viewer QoS: concurrent_sessions", "broadcast: channel_concurrency");
    assertRefused(TS + "metrics=buffer_ratio,channel_concurrency", "metrics",
        "mixes viewer QoS metrics (buffer_ratio) with broadcast metrics (channel_concurrency)");
  }

  @Test
  public void unknownMetricsListEveryValidName() {
    QueryException e = refused(TS + "metrics=buffer_ratio,rebuffer_ratio");
    assertEquals("metrics", e.parameter());
    assertThat(e.getMessage(), containsString("unknown metric 'rebuffer_ratio' (did you mean 'buffer_ratio'?); use any of "));
    for (QosMetric m : QosMetric.values()) {
      assertThat(e.getMessage(), containsString(m.apiName()));
    }
    assertThat(e.getMessage(), containsString("video_seconds_viewed"));
  }

  @Test
  public void countryAndDeviceTypeReadTheirOwnAccountWideRows() {
    QosRequest byCountry = (QosRequest) ApiRequest.parse(
        TS + "dimensions=country&metrics=buffer_ratio&where=country==BR,US", NOON);
    QosSelection s = byCountry.qosSelection();
    assertEquals(QosDimensionSet.COUNTRY, s.dimensionSet());
    assertEquals(Set.of("BR", "US"), s.values(Dimension.COUNTRY));
    assertEquals(Set.of(), s.platforms());
    QosRequest byDevice = (QosRequest) ApiRequest.parse(
        TS + "dimensions=device_type&metrics=concurrent_sessions&where=device_type==smart_tv",
        NOON);
    assertEquals(QosDimensionSet.DEVICE_TYPE, byDevice.qosSelection().dimensionSet());
    assertRefused(TS + "dimensions=device_type&metrics=buffer_ratio&where=device_type==phone",
        "where", "unknown device_type 'phone'; use any of");
    assertRefused(TS + "dimensions=country&metrics=buffer_ratio&where=client_platform==web",
        "where", "filters on client_platform, which is not a dimension of this query");
    // Not by video: each stored set costs per-event work, so only the account-wide ones exist.
    assertRefused(TS + "dimensions=video,device_type&metrics=buffer_ratio", "dimensions",
        "'video,device_type' is not a dimension combination of viewer QoS metrics");
    // A broadcast request names the other families that take country.
    assertRefused(TS + "dimensions=country&metrics=channel_concurrency", "dimensions",
        "(country is a dimension of audience and viewer QoS metrics)");
  }

  @Test
  public void dimensionsOfAnotherFamilyAreRefusedNamingTheValidOnes() {
    // Viewer QoS has country and device_type only account-wide, not by video.
    assertRefused(TS + "dimensions=video,country&metrics=buffer_ratio", "dimensions",
        "'video,country' is not a dimension combination of viewer QoS metrics; use (none) |"
            + " client_platform | video | video,client_platform | country | device_type");
    assertRefused(TS + "dimensions=client_platform&metrics=channel_concurrency", "dimensions",
        "'client_platform' is not a dimension combination of broadcast metrics; use (none) |"
            + " region | region,channel");
    assertRefused(TS + "dimensions=region&metrics=buffer_ratio", "dimensions",
        "viewer QoS metrics; use");
    assertRefused(TS + "dimensions=city&metrics=buffer_ratio", "dimensions",
        "unknown dimension 'city'; viewer QoS metrics take (none) | client_platform");
    // The audience metrics keep their own message.
    assertRefused(TS + "dimensions=client_platform&metrics=ccu&where=video==1", "dimensions",
        "is not a supported combination");
  }

  @Test
  public void filtersMustBeDimensionsOfTheRequestWithKnownValues() {
    assertRefused(TS + "dimensions=client_platform&metrics=buffer_ratio&where=video==5555",
        "where", "filters on video, which is not a dimension of this query");
    assertRefused(TS + "dimensions=client_platform&metrics=buffer_ratio"
        + "&where=client_platform==tv", "where",
        "unknown client_platform 'tv'; use any of web, android, ios, other, unknown");
    assertRefused(TS + "metrics=channel_concurrency&where=channel==x", "where",
        "filters on channel, which is not a dimension of this query");
    assertRefused("/v1/events/accounts/1234?metrics=buffer_ratio&bucket_duration=1h",
        "bucket_duration", "only /v1/timeseries takes it");
  }

  @Test
  public void streamListingsTakeTheirOwnFilters() {
    assertRefused("/v1/streams/accounts/1?where=video==1", "where",
        "/v1/streams filters on region, channel, outcome, not 'video'");
    assertRefused("/v1/streams/accounts/1?where=outcome==paused", "where",
        "unknown outcome 'paused'; use ended, failed or open");
    assertRefused("/v1/streams/accounts/1?metrics=ccu", "metrics",
        "unknown parameter; /v1/streams takes where, from, to");
    assertRefused("/v1/streams/accounts/1?from=10&to=5", "to", "is before from");
  }
}
