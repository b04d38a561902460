package org.livemetrics.schemas.family;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Test;

/** The metric tables of {@code schemas/README.md} are those the descriptions generate. */
public class FamilyDocsTest {
  static final String REGENERATE = "mvn -B -q -pl schemas -am -DskipTests package && "
      + "java -cp schemas/target/classes org.livemetrics.schemas.family.FamilyDocs "
      + "schemas/README.md";

  @Test
  public void checkedInTablesAreTheGeneratedOnes() throws IOException {
    // Surefire runs in the module's directory.
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    String generated = FamilyDocs.regenerated(readme);
    if (!generated.equals(readme)) {
      throw new AssertionError("schemas/README.md's metric tables differ from the families' "
          + "descriptions; regenerate them from the repository root with:\n  " + REGENERATE);
    }
  }

  /** A row and the sets line written out by hand from the definitions. */
  @Test
  public void tablesSayWhatTheDescriptionsSay() {
    String qos = FamilyDocs.table(ViewerQosFamily.DESCRIPTION);
    assertTrue(qos, qos.contains("| `buffer_ratio` | ratio in [0, 1] | Σ PLAYBACK_SUMMARY "
        + "`buffering_time_ms` and Σ `playing_time_ms` | Σ buffering_time_ms / Σ "
        + "(playing_time_ms + buffering_time_ms) | `buffering_time_ms`, `playing_time_ms` | "
        + "Buffer ratio |\n"));
    assertTrue(qos, qos.startsWith("Stored per UTC minute in `qos/` and `livemetrics-qos-*`, "
        + "for the dimension sets {client_platform}, {video, client_platform}"));
    assertTrue(qos, qos.contains("(none) (from {client_platform}), `client_platform` (from "
        + "{client_platform}), `video` (from {video, client_platform})"));
    String audience = FamilyDocs.table(AudienceFamily.DESCRIPTION);
    assertTrue(audience, audience.contains("| `alive_ss_ad_start` | count | AD_START events "
        + "(server-side ad impressions) | sum | `alive_ss_ad_start` | Ad starts |\n"));
  }

  @Test
  public void aMissingRegionIsAnError() {
    try {
      FamilyDocs.regenerated("# no tables here\n");
      throw new AssertionError("accepted a README without regions");
    } catch (IllegalArgumentException e) {
      assertEquals("no region " + FamilyDocs.begin(AudienceFamily.DESCRIPTION) + " … "
          + FamilyDocs.end(AudienceFamily.DESCRIPTION), e.getMessage());
    }
  }
}
