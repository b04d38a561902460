package org.livemetrics.schemas;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.Test;

public class DidYouMeanTest {
  private static final List<String> OPTIONS = List.of("store", "account", "video", "from", "to", "out", "now");

  @Test
  public void aTypoOrANearMissFindsTheName() {
    assertEquals(Optional.of("store"), DidYouMean.closest("stroe", OPTIONS));
    assertEquals(Optional.of("out"), DidYouMean.closest("output", OPTIONS)); // out is a prefix of it
    assertEquals(Optional.of("ccu"), DidYouMean.closest("CCV", List.of("ccu", "video_view")));
    assertEquals(" (did you mean 'video'?)", DidYouMean.suffix("vidoe", OPTIONS));
  }

  @Test
  public void nothingCloseNothingSuggested() {
    assertEquals(Optional.empty(), DidYouMean.closest("bucket_duration", OPTIONS));
    assertEquals("", DidYouMean.suffix("x".repeat(10_000), OPTIONS));
  }

  @Test
  public void levenshteinDistance() {
    assertEquals(3, DidYouMean.distance("kitten", "sitting"));
    assertEquals(0, DidYouMean.distance("", ""));
    assertEquals(4, DidYouMean.distance("", "abcd"));
  }
}
