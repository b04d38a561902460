package org.livemetrics.pipelines.aws;

import java.io.Serializable;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.aws2.common.ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.common.ClientConfiguration;
import org.apache.beam.sdk.io.aws2.common.HttpClientConfiguration;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.checkerframework.checker.nullness.qual.Nullable;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkAsyncClientBuilder;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;

/**
 * Beam's default AWS clients, with the asynchronous ones held to HTTP/1.1. The SDK's async
 * Kinesis client speaks HTTP/2, which local servers such as kinesalite do not ({@code
 * Http2Exception: First received frame was not SETTINGS}): {@code KinesisIO.write()} needs this
 * there. Select it with {@code --clientBuilderFactory=} this class. Synchronous clients (the
 * Kinesis read, S3) are HTTP/1.1 already and left as Beam builds them. Not needed on AWS.
 */
public class Http1ClientBuilderFactory implements ClientBuilderFactory, Serializable {
  private static final long serialVersionUID = 1L;

  @Override
  public <BuilderT extends AwsClientBuilder<BuilderT, ClientT>, ClientT> BuilderT create(
      BuilderT builder, ClientConfiguration config, @Nullable AwsOptions options) {
    BuilderT b = ClientBuilderFactory.defaultFactory().create(builder, config, options);
    if (b instanceof SdkAsyncClientBuilder<?, ?> async) {
      NettyNioAsyncHttpClient.Builder http =
          NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1);
      if (options != null) {
        if (options.getProxyConfiguration() != null) {
          // Replacing the HTTP client drops what Beam configured on it: say so rather than
          // silently connecting without the proxy.
          throw new IllegalArgumentException(
              "--clientBuilderFactory=" + getClass().getName() + " does not support "
                  + "--proxyConfiguration; it is meant for local servers");
        }
        applyTimeouts(options.getHttpClientConfiguration(), http);
      }
      async.httpClientBuilder(http);
    }
    return b;
  }

  @Override
  public void checkConfiguration(ClientConfiguration config, @Nullable AwsOptions options) {
    ClientBuilderFactory.defaultFactory().checkConfiguration(config, options);
  }

  /** The {@code --httpClientConfiguration} settings, as Beam applies them to its own Netty client. */
  private static void applyTimeouts(
      @Nullable HttpClientConfiguration c, NettyNioAsyncHttpClient.Builder http) {
    if (c == null) {
      return;
    }
    millis(c.connectionAcquisitionTimeout(), http::connectionAcquisitionTimeout);
    millis(c.connectionMaxIdleTime(), http::connectionMaxIdleTime);
    millis(c.connectionTimeout(), http::connectionTimeout);
    millis(c.connectionTimeToLive(), http::connectionTimeToLive);
    millis(c.readTimeout() != null ? c.readTimeout() : c.socketTimeout(), http::readTimeout);
    millis(c.writeTimeout() != null ? c.writeTimeout() : c.socketTimeout(), http::writeTimeout);
    if (c.maxConnections() != null) {
      http.maxConcurrency(c.maxConnections());
    }
  }

  private static void millis(@Nullable Integer ms, Consumer<Duration> setter) {
    if (ms != null) {
      setter.accept(Duration.ofMillis(ms));
    }
  }
}
