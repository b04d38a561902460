package org.livemetrics.pipelines.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;
import org.livemetrics.schemas.AggregateStoreLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a finished backfill run's files current, hour by hour: writes the hour's
 * {@code _COMMITTED} marker (one small object, replaced atomically) naming the run, then deletes
 * the files of earlier runs. Readers honour the marker, so they see either the old run or the new
 * one, never both; a run that died before committing is invisible, and the next run cleans up
 * after it.
 */
public final class StoreCommitter {
  private static final Logger LOG = LoggerFactory.getLogger(StoreCommitter.class);

  private StoreCommitter() {}

  /** Commits {@code runId} for each hour in {@code [fromHour, toHour)} under each area. */
  public static int commit(String storeRoot, String runId, long fromHour, long toHour, String... areas)
      throws IOException {
    int deleted = 0;
    for (String area : areas) {
      for (long h = fromHour; h < toHour; h += 3_600_000L) {
        String dir = AggregateStoreLayout.join(storeRoot, area, AggregateStoreLayout.hourPartition(h));
        writeMarker(AggregateStoreLayout.join(dir, AggregateStoreLayout.COMMIT_MARKER), runId);
        deleted += deleteOtherRuns(dir, runId);
      }
    }
    LOG.info("Committed run {} for {} hour(s); removed {} superseded file(s)",
        runId, (toHour - fromHour) / 3_600_000L, deleted);
    return deleted;
  }

  private static void writeMarker(String path, String runId) throws IOException {
    ResourceId marker = FileSystems.matchNewResource(path, false);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(marker, MimeTypes.TEXT))) {
      out.write((runId + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  private static int deleteOtherRuns(String dir, String runId) throws IOException {
    MatchResult match =
        FileSystems.match(
            AggregateStoreLayout.join(dir, AggregateStoreLayout.PART_PREFIX + "*"),
            EmptyMatchTreatment.ALLOW);
    if (match.status() != MatchResult.Status.OK) {
      return 0;
    }
    List<ResourceId> stale = new ArrayList<>();
    for (MatchResult.Metadata m : match.metadata()) {
      String name = m.resourceId().getFilename();
      if (name != null && !name.startsWith(AggregateStoreLayout.partPrefix(runId))) {
        stale.add(m.resourceId());
      }
    }
    if (!stale.isEmpty()) {
      FileSystems.delete(stale, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    }
    return stale.size();
  }
}
