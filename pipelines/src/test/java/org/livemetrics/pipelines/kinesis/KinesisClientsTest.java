package org.livemetrics.pipelines.kinesis;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import java.net.URI;
import org.apache.beam.sdk.io.aws2.common.ClientConfiguration;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.regions.Region;

/** How the Kinesis options become a client configuration, and what falls back to Beam's AWS options. */
public class KinesisClientsTest {
  private static KinesisOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(KinesisOptions.class);
  }

  @Test
  public void aLocalServer() {
    ClientConfiguration c = KinesisClients.configuration(options("--kinesisRegion=us-east-1",
        "--kinesisEndpoint=http://127.0.0.1:4567", "--kinesisAccessKey=k", "--kinesisSecretKey=s"));
    assertEquals(Region.US_EAST_1, c.region());
    assertEquals(URI.create("http://127.0.0.1:4567"), c.endpoint());
    AwsCredentials credentials = c.credentialsProvider().resolveCredentials();
    assertEquals("k", credentials.accessKeyId());
    assertEquals("s", credentials.secretAccessKey());
  }

  @Test
  public void awsWithBeamsRegionAndCredentialChain() {
    ClientConfiguration c = KinesisClients.configuration(options("--awsRegion=eu-west-1"));
    assertEquals(Region.EU_WEST_1, c.region());
    assertNull("the AWS endpoint", c.endpoint());
    assertNull("--awsCredentialsProvider", c.credentialsProvider());
  }

  @Test
  public void endpointIsS3sSoKinesisKeepsItsAwsEndpoint() {
    ClientConfiguration c = KinesisClients.configuration(
        options("--kinesisRegion=eu-west-1", "--endpoint=http://127.0.0.1:4568"));
    assertEquals(URI.create("https://kinesis.eu-west-1.amazonaws.com"), c.endpoint());
  }

  @Test
  public void badValuesSayWhichOption() {
    assertThat(assertThrows(IllegalArgumentException.class, () -> KinesisClients.configuration(
            options("--kinesisRegion=us-east-1", "--kinesisEndpoint=127.0.0.1:4567"))).getMessage(),
        containsString("--kinesisEndpoint"));
    assertThat(assertThrows(IllegalArgumentException.class, () -> KinesisClients.configuration(
            options("--kinesisRegion=us-east-1", "--kinesisAccessKey=k"))).getMessage(),
        containsString("--kinesisAccessKey and --kinesisSecretKey go together"));
  }
}
