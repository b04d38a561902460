package org.livemetrics.pipelines.aws;

import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Beam's default S3 client, set up for S3-compatible stores (s3rver, MinIO, Ceph...): path-style
 * bucket addressing, and no aws-chunked upload encoding, which some of them store verbatim inside
 * the object. Select it with {@code --s3ClientFactoryClass=} this class and point
 * {@code --endpoint} at the store. Not needed on AWS.
 */
public class S3CompatibleClientBuilderFactory implements S3ClientBuilderFactory {
  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    return new DefaultS3ClientBuilderFactory()
        .createBuilder(options)
        .serviceConfiguration(
            S3Configuration.builder()
                .pathStyleAccessEnabled(true)
                .chunkedEncodingEnabled(false)
                .build());
  }
}
