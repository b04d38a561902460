package org.livemetrics.testdata.services;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * kinesalite 3.3.3 (npm): a real Kinesis-compatible server, in memory, on 127.0.0.1 only.
 *
 * <p>Its CLI listens on all interfaces, so a few lines of Node start it through its module API
 * instead. Streams leave CREATING/DELETING after 10 ms rather than kinesalite's default 500 ms, so
 * tests need not wait; the shard limit is raised from 10 so a test can create a few streams.
 *
 * <p>Every JVM that talks to it needs the AWS SDK's CBOR protocol off ({@code
 * -Daws.cborEnabled=false}; surefire sets it): kinesalite cannot answer PutRecords in CBOR, and a
 * Beam read then retries forever.
 */
public final class LocalKinesis extends LocalServer {
  /** kinesalite accepts any credentials; these are what the tests and the demo send. */
  public static final String ACCESS_KEY = "local";
  public static final String SECRET_KEY = "local";
  public static final String REGION = "us-east-1";

  private static final int STATE_CHANGE_MS = 10;
  private static final int SHARD_LIMIT = 100;

  public LocalKinesis() {
    super("kinesalite");
  }

  @Override
  protected ProcessBuilder command(Path workDir, int port) throws IOException {
    Path module = installed("node_modules/kinesalite", "kinesalite");
    Path script = workDir.resolve("kinesalite.js");
    Files.writeString(script, String.join("\n",
        "const kinesalite = require(" + jsString(module.toString()) + ");",
        "const server = kinesalite({createStreamMs: " + STATE_CHANGE_MS + ", deleteStreamMs: "
            + STATE_CHANGE_MS + ", updateStreamMs: " + STATE_CHANGE_MS + ", shardLimit: "
            + SHARD_LIMIT + "});",
        "server.listen(Number(process.argv[2]), '127.0.0.1', () =>",
        "  console.log('kinesalite listening on 127.0.0.1:' + server.address().port));",
        "process.on('SIGTERM', () => server.close(() => process.exit(0)));",
        ""));
    return new ProcessBuilder(node(), script.toString(), String.valueOf(port));
  }

  /**
   * The options that point {@code ReadPlayerRecordsFromKinesis} and {@code KinesisReplay} at this
   * server and stream.
   */
  public List<String> kinesisArgs(String stream) {
    List<String> args = new ArrayList<>();
    args.add("--kinesisStream=" + stream);
    args.add("--kinesisEndpoint=" + endpoint());
    args.add("--kinesisRegion=" + REGION);
    args.add("--kinesisAccessKey=" + ACCESS_KEY);
    args.add("--kinesisSecretKey=" + SECRET_KEY);
    return args;
  }
}
