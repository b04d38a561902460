package org.livemetrics.pipelines.kinesis;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import org.junit.ClassRule;
import org.junit.Test;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/** {@link KinesisAdmin} against kinesalite. */
public class KinesisAdminTest {
  @ClassRule public static final LocalStreams KINESIS = new LocalStreams();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  public void createIsIdempotentAndDeleteRemovesTheStream() {
    KinesisAdmin admin = new KinesisAdmin(KINESIS.client());
    assertFalse(admin.exists("admin-test"));
    assertTrue(admin.createStream("admin-test", 3, TIMEOUT));
    assertFalse("kept as it is", admin.createStream("admin-test", 5, TIMEOUT));
    assertEquals(3, admin.shards("admin-test").size());
    assertEquals("ACTIVE", admin.summary("admin-test").streamStatusAsString());

    assertTrue(admin.deleteStream("admin-test", TIMEOUT));
    assertFalse(admin.exists("admin-test"));
    assertFalse(admin.deleteStream("admin-test", TIMEOUT));
    assertThrows(ResourceNotFoundException.class, () -> admin.awaitActive("admin-test", TIMEOUT));
  }
}
