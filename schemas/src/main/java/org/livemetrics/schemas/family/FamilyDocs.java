package org.livemetrics.schemas.family;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.livemetrics.schemas.Dimension;
import org.livemetrics.schemas.family.MetricFamilyDescription.MetricDescription;
import org.livemetrics.schemas.family.MetricFamilyDescription.QuerySet;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredSet;

/**
 * Writes the metric and dimension tables of {@code schemas/README.md} from the families'
 * descriptions, between {@code <!-- BEGIN GENERATED: NAME metrics -->} and {@code <!-- END
 * GENERATED: NAME metrics -->} markers; {@code FamilyDocsTest} fails when the checked-in tables
 * differ. Run: {@code java -cp schemas/target/classes
 * org.livemetrics.schemas.family.FamilyDocs schemas/README.md} (after building schemas).
 */
public final class FamilyDocs {
  private FamilyDocs() {}

  /** Rewrites the generated regions of the README at {@code args[0]} in place. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: FamilyDocs path/to/schemas/README.md");
      System.exit(2);
    }
    Path readme = Path.of(args[0]);
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    Files.writeString(readme, regenerated(text), StandardCharsets.UTF_8);
  }

  /** {@code text} with every family's generated region replaced by what the description says. */
  public static String regenerated(String text) {
    String out = text;
    for (MetricFamilyDescription f : MetricFamilies.all()) {
      String begin = begin(f);
      String end = end(f);
      int b = out.indexOf(begin);
      int e = out.indexOf(end);
      if (b < 0 || e < b) {
        throw new IllegalArgumentException("no region " + begin + " … " + end);
      }
      out = out.substring(0, b) + begin + "\n" + table(f) + out.substring(e);
    }
    return out;
  }

  public static String begin(MetricFamilyDescription f) {
    return "<!-- BEGIN GENERATED: " + f.name() + " metrics (FamilyDocs; edit the description) -->";
  }

  public static String end(MetricFamilyDescription f) {
    return "<!-- END GENERATED: " + f.name() + " metrics -->";
  }

  /** The generated region's body: stored and query dimension sets, then the metric table. */
  public static String table(MetricFamilyDescription f) {
    StringBuilder b = new StringBuilder();
    b.append("Stored per UTC minute in `").append(f.storeDirectory()).append("/` and `")
        .append(f.index()).append("-*`, for the dimension sets ")
        .append(f.storedSets().stream().map(FamilyDocs::braces).collect(Collectors.joining(", ")))
        .append(". Queries take `dimensions` ")
        .append(f.querySets().stream().map(FamilyDocs::querySet)
            .collect(Collectors.joining(", ")))
        .append(".\n\n");
    b.append("| metric | unit | per minute | over several rows / a range | stored fields |");
    boolean labels = f.metrics().stream().anyMatch(m -> m.reportLabel() != null);
    b.append(labels ? " report label |\n" : "\n");
    b.append("| --- | --- | --- | --- | --- |").append(labels ? " --- |\n" : "\n");
    for (MetricDescription m : f.metrics()) {
      b.append("| `").append(m.apiName()).append("` | ").append(m.unit().text()).append(" | ")
          .append(m.accumulation()).append(" | ").append(m.rollup().text()).append(" | ")
          .append(m.rollup().fields().stream().map(x -> "`" + x + "`")
              .collect(Collectors.joining(", ")))
          .append(" |");
      if (labels) {
        b.append(' ').append(m.reportLabel() == null ? "" : m.reportLabel()).append(" |");
      }
      b.append('\n');
    }
    return b.toString();
  }

  private static String braces(StoredSet s) {
    return "{" + s.dimensions().stream().map(Dimension::apiName).collect(Collectors.joining(", "))
        + "}";
  }

  private static String querySet(QuerySet q) {
    return (q.dimensions().isEmpty() ? "(none)" : "`" + q.id() + "`") + " (from "
        + braces(q.answeredFrom()) + ")";
  }
}
