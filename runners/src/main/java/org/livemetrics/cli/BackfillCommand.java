package org.livemetrics.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.livemetrics.pipelines.backfill.Backfill;
import org.livemetrics.pipelines.backfill.BackfillOptions;
import org.livemetrics.pipelines.backfill.WarmUp;

/** {@code livemetrics backfill}: the batch pipeline, on the embedded Flink engine by default. */
final class BackfillCommand {
  private BackfillCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    // Before Beam's options: its registry takes seconds to build, time the second core can use.
    WarmUp.startIfEmbedded(withDefaultRunner(args));
    BackfillOptions options;
    try {
      options = PipelineOptionsFactory.fromArgs(withDefaultRunner(args)).withValidation().as(BackfillOptions.class);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage() + " (see: livemetrics backfill --help)");
      return 2;
    }
    Backfill.Result result;
    try {
      result = Backfill.run(options);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    out.println(result.summary());
    removeEmptyTempDirectories(options.getOutput());
    return 0;
  }

  /**
   * Beam's file writes leave their emptied {@code .temp-beam*} directories in a local store; they
   * hold nothing, and a reader listing the store should not meet them.
   */
  static void removeEmptyTempDirectories(String store) {
    if (store == null || store.contains("://") || !Files.isDirectory(Paths.get(store))) {
      return;
    }
    try (Stream<Path> all = Files.walk(Paths.get(store), 4)) {
      for (Path temp : all.filter(p -> p.getFileName().toString().startsWith(".temp-beam")).toList()) {
        List<Path> inside;
        try (Stream<Path> s = Files.walk(temp)) {
          inside = s.sorted(Comparator.reverseOrder()).toList();
        }
        if (inside.stream().allMatch(Files::isDirectory)) {
          for (Path d : inside) {
            Files.deleteIfExists(d);
          }
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // the summary is printed; tidying is best effort (a directory filled meanwhile stays)
    }
  }

  /**
   * Without {@code --runner}, runs on Flink embedded in this JVM: on 2 cores it was faster and used
   * a quarter of the DirectRunner's memory (see benchmarks/README.md), and it is the engine
   * production runs on.
   */
  static String[] withDefaultRunner(String[] args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    if (all.stream().noneMatch(a -> a.startsWith("--runner=") || a.equals("--runner"))) {
      all.add("--runner=FlinkRunner");
    }
    return all.toArray(String[]::new);
  }
}
