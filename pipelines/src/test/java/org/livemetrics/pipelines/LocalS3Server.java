package org.livemetrics.pipelines;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.rules.ExternalResource;

/**
 * A real S3-compatible server (s3rver, installed by {@code scripts/services.sh install}) started
 * for a test on a free loopback port, with one bucket, and stopped after it.
 */
public final class LocalS3Server extends ExternalResource {
  public static final String ACCESS_KEY = "S3RVER";
  public static final String SECRET_KEY = "S3RVER";

  private final String bucket;
  private Process process;
  private Path dataDir;
  private int port;

  public LocalS3Server(String bucket) {
    this.bucket = bucket;
  }

  public static Path servicesDir() {
    return Path.of(System.getProperty("livemetrics.services.dir", "../.work/services"));
  }

  @Override
  protected void before() throws Throwable {
    Path bin = servicesDir().resolve("node_modules/.bin/s3rver");
    if (!Files.isExecutable(bin)) {
      throw new IllegalStateException(
          "s3rver is not installed at " + bin + ": run scripts/services.sh install first");
    }
    dataDir = Files.createTempDirectory("s3rver");
    port = freePort();
    process =
        new ProcessBuilder(bin.toString(), "-d", dataDir.toString(), "-a", "127.0.0.1", "-p",
                String.valueOf(port), "--configure-bucket", bucket, "--silent")
            .redirectErrorStream(true)
            .redirectOutput(dataDir.resolve("s3rver.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!accepts(port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("s3rver did not start; log: "
            + (Files.exists(dataDir.resolve("s3rver.log")) ? Files.readString(dataDir.resolve("s3rver.log")) : ""));
      }
      Thread.sleep(100);
    }
  }

  @Override
  protected void after() {
    if (process != null) {
      process.destroy();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process.destroyForcibly();
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
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

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
