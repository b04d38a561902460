package org.livemetrics.schemas.family;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * A metric's API name is spelled, as a string literal, in production code only in its family's
 * description: everything else reads it from there, so renaming or adding a metric is one place.
 * Scans every module's {@code src/main} (Java and resources) from the repository root.
 *
 * <p>Not scanned, each for a reason:
 *
 * <ul>
 *   <li>{@code testdata/}: the independent reference implementation ({@code ReferenceMetrics})
 *       and the event generators share no code with the pipeline on purpose;
 *   <li>the dashboard ({@code api/src/main/resources/dashboard/}): a client of the HTTP API, which
 *       names metrics as any client does.
 * </ul>
 *
 * {@link #NOT_THE_METRIC} lists the literals that are the same word but another thing (a player
 * event field of the same name, a stream row's column).
 */
public class MetricNamesOnlyInDescriptionsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static final List<String> DESCRIPTIONS = List.of(
      "schemas/src/main/java/org/livemetrics/schemas/family/AudienceFamily.java",
      "schemas/src/main/java/org/livemetrics/schemas/family/ViewerQosFamily.java",
      "schemas/src/main/java/org/livemetrics/schemas/family/BroadcastFamily.java");

  /** File (from the root) to the literals in it that name another thing than the metric. */
  private static final Map<String, Set<String>> NOT_THE_METRIC = Map.of(
      "schemas/src/main/java/org/livemetrics/schemas/PlayerEventContract.java",
      Set.of("error_count"),
      "schemas/src/main/resources/org/livemetrics/schemas/player_event.schema.json",
      Set.of("error_count"),
      "transforms/src/main/java/org/livemetrics/transforms/parse/PlayerRecordParser.java",
      Set.of("error_count"),
      // A stream row's own count of its starvation episodes, not the broadcast metric.
      "schemas/src/main/resources/org/livemetrics/schemas/stream_session.avsc",
      Set.of("starvation_count"),
      "schemas/src/main/resources/org/livemetrics/schemas/elasticsearch/stream_sessions.template.json",
      Set.of("starvation_count"));

  @Test
  public void metricNamesAreSpelledOnlyInTheirDescriptions() throws IOException {
    assertTrue("run from a module directory: " + ROOT,
        Files.isRegularFile(ROOT.resolve(DESCRIPTIONS.get(0))));
    List<String> names = MetricFamilies.all().stream()
        .flatMap(f -> f.metricNames().stream()).toList();
    Pattern literal = Pattern.compile("[\"']([a-z0-9_]+)[\"']");
    List<String> found = new ArrayList<>();
    for (Path file : productionFiles()) {
      String rel = ROOT.relativize(file).toString().replace('\\', '/');
      if (DESCRIPTIONS.contains(rel)) {
        continue;
      }
      String text = Files.readString(file, StandardCharsets.UTF_8);
      if (rel.endsWith(".java")) {
        text = withoutComments(text); // a quoted name in a comment is not a literal
      }
      String[] lines = text.split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        Matcher m = literal.matcher(lines[i]);
        while (m.find()) {
          String word = m.group(1);
          if (names.contains(word)
              && !NOT_THE_METRIC.getOrDefault(rel, Set.of()).contains(word)) {
            found.add(rel + ":" + (i + 1) + ": \"" + word + "\"");
          }
        }
      }
    }
    assertEquals("metric names spelled outside their family's description (read them from "
        + "the description: Metric/QosMetric.apiName(), the *_FIELD constants)",
        List.of(), found);
  }

  /** The description files themselves do spell every name (the scan finds literals). */
  @Test
  public void theScanSeesTheDescriptions() throws IOException {
    String qos = Files.readString(ROOT.resolve(DESCRIPTIONS.get(1)), StandardCharsets.UTF_8);
    assertTrue(qos.contains("\"buffer_ratio\""));
  }

  /** Java source with comments blanked (line breaks kept), string and char literals intact. */
  static String withoutComments(String java) {
    StringBuilder out = new StringBuilder(java.length());
    int i = 0;
    int n = java.length();
    while (i < n) {
      char c = java.charAt(i);
      if (c == '/' && i + 1 < n && java.charAt(i + 1) == '/') {
        while (i < n && java.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && java.charAt(i + 1) == '*') {
        int end = java.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        for (; i < end; i++) {
          if (java.charAt(i) == '\n') {
            out.append('\n');
          }
        }
      } else if (c == '"' || c == '\'') {
        int start = i++;
        while (i < n && java.charAt(i) != c && java.charAt(i) != '\n') {
          i += java.charAt(i) == '\\' ? 2 : 1;
        }
        i = Math.min(n, i + 1);
        out.append(java, start, i);
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  @Test
  public void commentsAreBlankedAndLiteralsKept() {
    assertEquals("a(\"//x\", '/'); \n\nb(\"ccu\"); ",
        withoutComments("a(\"//x\", '/'); // \"ccu\"\n/* \"ccu\"\n */b(\"ccu\"); /** x */"));
  }

  private static List<Path> productionFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> modules = Files.list(ROOT)) {
      for (Path module : modules.filter(Files::isDirectory).toList()) {
        String name = module.getFileName().toString();
        Path main = module.resolve("src/main");
        if (name.equals("testdata") || name.startsWith(".") || !Files.isDirectory(main)) {
          continue;
        }
        try (Stream<Path> walk = Files.walk(main)) {
          walk.filter(Files::isRegularFile)
              .filter(p -> {
                String f = p.getFileName().toString();
                String s = p.toString().replace('\\', '/');
                return !s.contains("/resources/dashboard/")
                    && (f.endsWith(".java") || s.contains("/src/main/resources/"));
              })
              .forEach(files::add);
        }
      }
    }
    assertTrue("found no production files under " + ROOT, files.size() > 50);
    return files;
  }
}
