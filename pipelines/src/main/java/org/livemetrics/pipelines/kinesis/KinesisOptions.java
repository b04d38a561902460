package org.livemetrics.pipelines.kinesis;

import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Where the player-event stream is and how to reach it: shared by the streaming source ({@link
 * KinesisSourceOptions}) and the producer ({@link KinesisReplay}).
 *
 * <p>Each option falls back to Beam's AWS options when empty ({@code --awsRegion}, {@code
 * --awsCredentialsProvider}), except the endpoint: {@code --endpoint} is the S3-compatible store's
 * in this project, so Kinesis keeps its AWS endpoint unless {@code --kinesisEndpoint} says
 * otherwise.
 */
public interface KinesisOptions extends AwsOptions {
  @Description("Name of the Kinesis data stream of player events.")
  @Default.String("")
  String getKinesisStream();

  void setKinesisStream(String value);

  @Description(
      "AWS region of the stream (e.g. eu-west-1). Empty: --awsRegion (whose default is the AWS "
          + "SDK's region chain: AWS_REGION, ~/.aws/config, instance metadata).")
  @Default.String("")
  String getKinesisRegion();

  void setKinesisRegion(String value);

  @Description(
      "Endpoint of a Kinesis-compatible server instead of AWS, e.g. http://127.0.0.1:4567 for "
          + "kinesalite. Empty: the region's AWS endpoint (never --endpoint, which is S3's).")
  @Default.String("")
  String getKinesisEndpoint();

  void setKinesisEndpoint(String value);

  @Description(
      "Static access key id for the stream, with --kinesisSecretKey (local servers, tests). Empty: "
          + "--awsCredentialsProvider, by default the AWS SDK's default chain (environment, "
          + "profile, web identity, instance or container role).")
  @Default.String("")
  String getKinesisAccessKey();

  void setKinesisAccessKey(String value);

  @Description("Static secret access key, with --kinesisAccessKey.")
  @Default.String("")
  String getKinesisSecretKey();

  void setKinesisSecretKey(String value);
}
