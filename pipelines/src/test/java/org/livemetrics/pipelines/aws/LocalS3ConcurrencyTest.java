package org.livemetrics.pipelines.aws;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.livemetrics.testdata.services.LocalS3;
import org.livemetrics.testdata.services.ServerRule;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The local S3 server survives what a streaming file sink does to it: writers creating and
 * deleting temporary objects side by side under one prefix. s3rver on its own removed a prefix's
 * directory when its last object went, under the feet of a concurrent upload, and exited ({@link
 * LocalS3}); every S3 call of the job was then refused.
 */
public class LocalS3ConcurrencyTest {
  private static final int WRITERS = 8;
  private static final int ROUNDS = 150;

  /** A body of 1 to 256 KiB, different for every round, like a sink's temporary files. */
  private static byte[] body(int writer, int round) {
    byte[] body = new byte[1 + new Random(writer * 1000L + round).nextInt(256 * 1024)];
    new Random(round * 1000L + writer).nextBytes(body);
    return body;
  }

  @Rule public final ServerRule<LocalS3> s3 = ServerRule.of(new LocalS3("livemetrics"));

  @Test(timeout = 240_000)
  public void writersCreatingAndDeletingUnderOnePrefixLeaveTheServerUpAndTheRightObjects()
      throws Exception {
    S3Options options = PipelineOptionsFactory.fromArgs(
        s3.server().beamArgs().toArray(String[]::new)).as(S3Options.class);
    try (S3Client client = new S3CompatibleClientBuilderFactory().createBuilder(options).build()) {
      ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        writers.add(pool.submit(() -> {
          for (int i = 0; i < ROUNDS; i++) {
            // Each round: a temporary object, then its final copy, then the temporary one gone,
            // as WriteFiles does; the prefix empties and fills again all the time.
            String temp = "store/.temp-beam/" + writer + "-" + i;
            byte[] body = body(writer, i);
            client.putObject(b -> b.bucket("livemetrics").key(temp), RequestBody.fromBytes(body));
            // A put that has been answered is whole: s3rver used to answer before its file was
            // written, so a read right after it could be short.
            assertArrayEquals("read back " + temp, body, client.getObjectAsBytes(
                b -> b.bucket("livemetrics").key(temp)).asByteArray());
            if (i == ROUNDS - 1) {
              client.copyObject(b -> b.sourceBucket("livemetrics").sourceKey(temp)
                  .destinationBucket("livemetrics").destinationKey("store/final/" + writer));
            }
            client.deleteObject(b -> b.bucket("livemetrics").key(temp));
          }
          return null;
        }));
      }
      for (Future<?> f : writers) {
        f.get();
      }
      pool.shutdown();

      List<String> left = client.listObjectsV2Paginator(b -> b.bucket("livemetrics")
          .prefix("store/")).contents().stream().map(S3Object::key).sorted().toList();
      List<String> expected = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        expected.add("store/final/" + w);
      }
      assertEquals("only the final objects remain", expected, left);
      assertArrayEquals(body(3, ROUNDS - 1), client.getObjectAsBytes(b -> b.bucket("livemetrics")
          .key("store/final/3")).asByteArray());
      assertTrue(s3.server().diagnose(), s3.server().diagnose().contains("running"));
    }
  }
}
