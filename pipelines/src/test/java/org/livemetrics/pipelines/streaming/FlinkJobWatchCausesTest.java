package org.livemetrics.pipelines.streaming;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** How a failure Flink recorded is put in one log line. */
public class FlinkJobWatchCausesTest {
  @Test
  public void theChainOfCausesEndsWhereTheInnermostWasThrown() {
    String trace = String.join("\n",
        "java.lang.Exception: Could not perform checkpoint 5 for operator Source (1/2)#0.",
        "\tat org.apache.flink.streaming.runtime.tasks.StreamTask.triggerCheckpoint(StreamTask.java:1)",
        "Caused by: org.apache.flink.runtime.checkpoint.CheckpointException: Checkpoint was declined.",
        "\tat org.apache.flink.streaming.api.operators.StreamOperatorStateHandler.snapshotState(X.java:2)",
        "\t... 12 more",
        "Caused by: java.lang.IllegalArgumentException",
        "\tat com.google.common.base.Preconditions.checkArgument(Preconditions.java:3)",
        "\tat org.example.Reader.getCheckpointMark(Reader.java:4)",
        "\t... 20 more");
    assertEquals("java.lang.Exception: Could not perform checkpoint 5 for operator Source (1/2)#0."
            + " <- org.apache.flink.runtime.checkpoint.CheckpointException: Checkpoint was declined."
            + " <- java.lang.IllegalArgumentException"
            + " (at org.example.Reader.getCheckpointMark(Reader.java:4))",
        FlinkJobWatch.causes(trace));
  }

  @Test
  public void aLongChainKeepsItsEndTheInnermostCause() {
    String trace = "java.lang.RuntimeException: " + "x".repeat(5_000)
        + "\nCaused by: java.lang.IllegalStateException: the real reason\n\tat a.B.c(B.java:1)";
    String line = FlinkJobWatch.causes(trace);
    assertTrue(line, line.length() < 2_100);
    assertTrue(line, line.endsWith("<- java.lang.IllegalStateException: the real reason (at a.B.c(B.java:1))"));
  }
}
