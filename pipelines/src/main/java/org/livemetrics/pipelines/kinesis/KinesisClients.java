package org.livemetrics.pipelines.kinesis;

import java.net.URI;
import java.net.URISyntaxException;
import org.apache.beam.sdk.io.aws2.common.ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.common.ClientConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Turns {@link KinesisOptions} into the client configuration Beam's {@code KinesisIO} takes, and
 * builds synchronous clients from it (for {@link KinesisAdmin}, {@link KinesisReplay} and the
 * source's start-up check), through the {@code --clientBuilderFactory} the pipeline uses, so every
 * client of the stream is set up the same way.
 */
public final class KinesisClients {
  private static final Logger LOG = LoggerFactory.getLogger(KinesisClients.class);

  private KinesisClients() {}

  /** Region, endpoint and credentials of the stream; anything left null falls back to AwsOptions. */
  public static ClientConfiguration configuration(KinesisOptions o) {
    Region region = region(o);
    ClientConfiguration.Builder b = ClientConfiguration.builder().region(region);
    String endpoint = o.getKinesisEndpoint().trim();
    if (!endpoint.isEmpty()) {
      b.endpoint(endpoint(endpoint));
      warnIfCbor(endpoint);
    } else if (o.getEndpoint() != null) {
      // --endpoint is the S3-compatible store's: pin Kinesis to its AWS endpoint, or the client
      // would fall back to the store and fail with a puzzling 404.
      b.endpoint(URI.create("https://" + KinesisClient.serviceMetadata().endpointFor(region)));
    }
    String key = o.getKinesisAccessKey().trim();
    String secret = o.getKinesisSecretKey().trim();
    if (key.isEmpty() != secret.isEmpty()) {
      throw new IllegalArgumentException(
          "--kinesisAccessKey and --kinesisSecretKey go together: set both, or neither to use "
              + "--awsCredentialsProvider");
    }
    if (!key.isEmpty()) {
      b.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)));
    }
    return b.build();
  }

  /** A synchronous client of the stream's service; close it after use. */
  public static KinesisClient sync(KinesisOptions o) {
    return ClientBuilderFactory.buildClient(o, KinesisClient.builder(), configuration(o));
  }

  /** The stream's name, required. */
  public static String stream(KinesisOptions o) {
    String stream = o.getKinesisStream().trim();
    if (stream.isEmpty()) {
      throw new IllegalArgumentException("--kinesisStream is required: the player-event stream's name");
    }
    return stream;
  }

  /** "stream 'x' at http://127.0.0.1:4567 (us-east-1)": for error messages. */
  public static String describe(KinesisOptions o) {
    String endpoint = o.getKinesisEndpoint().trim();
    Region region = o.getKinesisRegion().isBlank() ? o.getAwsRegion() : Region.of(o.getKinesisRegion().trim());
    return "stream '" + o.getKinesisStream() + "' at "
        + (endpoint.isEmpty() ? "the AWS endpoint" : endpoint) + " (region " + region + ")";
  }

  private static Region region(KinesisOptions o) {
    String region = o.getKinesisRegion().trim();
    if (!region.isEmpty()) {
      return Region.of(region);
    }
    if (o.getAwsRegion() == null) {
      throw new IllegalArgumentException(
          "no AWS region for the Kinesis stream: set --kinesisRegion (or --awsRegion, or AWS_REGION)");
    }
    return o.getAwsRegion();
  }

  private static URI endpoint(String value) {
    try {
      URI uri = new URI(value);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new URISyntaxException(value, "needs a scheme and a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "--kinesisEndpoint: cannot read '" + value + "' as a URL like http://127.0.0.1:4567");
    }
  }

  /** Local Kinesis servers (kinesalite) answer PutRecords and GetRecords in JSON only. */
  private static void warnIfCbor(String endpoint) {
    if (SdkSystemSetting.CBOR_ENABLED.getBooleanValue().orElse(true)) {
      LOG.warn("The AWS SDK's CBOR protocol is on while Kinesis is at {}: a local server such as"
          + " kinesalite needs -Daws.cborEnabled=false (or CBOR_ENABLED=false) in every JVM that"
          + " talks to it, or reads retry forever", endpoint);
    }
  }
}
