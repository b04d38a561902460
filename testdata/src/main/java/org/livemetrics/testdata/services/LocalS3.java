package org.livemetrics.testdata.services;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** s3rver 3.7.1 (npm): a real S3-compatible object store, on disk, with one bucket. */
public final class LocalS3 extends LocalServer {
  public static final String ACCESS_KEY = "S3RVER";
  public static final String SECRET_KEY = "S3RVER";

  private final String bucket;

  public LocalS3(String bucket) {
    super("s3rver");
    this.bucket = bucket;
  }

  @Override
  protected ProcessBuilder command(Path workDir, int port) throws java.io.IOException {
    Path bin = installed("node_modules/.bin/s3rver", "s3rver");
    Path data = Files.createDirectories(workDir.resolve("data"));
    return new ProcessBuilder(bin.toString(), "-d", data.toString(), "-a", "127.0.0.1", "-p",
        String.valueOf(port), "--configure-bucket", bucket, "--silent");
  }

  public String bucket() {
    return bucket;
  }

  /** The pipeline options that point Beam's S3 filesystem at this server. */
  public List<String> beamArgs() {
    List<String> args = new ArrayList<>();
    args.add("--awsRegion=us-east-1");
    args.add("--endpoint=" + endpoint());
    args.add("--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\""
        + ACCESS_KEY + "\",\"secretAccessKey\":\"" + SECRET_KEY + "\"}");
    args.add("--s3ClientFactoryClass=org.livemetrics.pipelines.aws.S3CompatibleClientBuilderFactory");
    return args;
  }
}
