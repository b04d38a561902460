package org.livemetrics.query;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What a {@code /v1/timeseries} or {@code /v1/events} request of any family collects besides its
 * metrics, dimensions and filter: the endpoint, the account, the range and the bucketing, with
 * the checks they share. {@link QueryRequest.Builder} and {@link QosRequest.Builder} add their
 * family's parts.
 *
 * @param <B> the concrete builder, returned by the setters so calls chain
 */
public abstract class RequestBuilder<B extends RequestBuilder<B>> {
  final Endpoint endpoint;
  final String account;
  OptionalLong from = OptionalLong.empty();
  OptionalLong to = OptionalLong.empty();
  @Nullable Bucketing bucketing;

  RequestBuilder(Endpoint endpoint, String account) {
    this.endpoint = Objects.requireNonNull(endpoint);
    this.account = Objects.requireNonNull(account);
  }

  abstract B self();

  public B from(long epochMillis) {
    this.from = OptionalLong.of(epochMillis);
    return self();
  }

  public B to(long epochMillis) {
    this.to = OptionalLong.of(epochMillis);
    return self();
  }

  /** Timeseries only; without it, one-minute buckets. */
  public B bucketing(Bucketing bucketing) {
    this.bucketing = bucketing;
    return self();
  }

  /** {@code from}, {@code to} and the bucketing parameters of a parsed query string. */
  B rangeAndBucketing(Map<String, String> params) {
    RequestParameters.epochMillis(params, "from").ifPresent(this::from);
    RequestParameters.epochMillis(params, "to").ifPresent(this::to);
    Bucketing b = RequestParameters.parseBucketing(params);
    if (b != null) {
      bucketing(b);
    }
    return self();
  }

  /** The first check of every request: an account to answer for. */
  void checkAccount() {
    if (account.isBlank()) {
      throw new QueryException("path", "the account is empty");
    }
  }

  /** The last checks of every request: bucketing only on timeseries; the range resolved. */
  TimeRange checkedRange(Clock clock) {
    if (bucketing != null && endpoint != Endpoint.TIMESERIES) {
      throw new QueryException(bucketing.parameter(), "only /v1/timeseries takes it");
    }
    return TimeRange.resolve(from, to, clock);
  }

  Bucketing bucketingOrDefault() {
    return bucketing == null ? Bucketing.ONE_MINUTE : bucketing;
  }
}
