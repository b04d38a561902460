package org.livemetrics.transforms.parse;

import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

public class RecordFramerTest {

  private static List<String> frame(String s) throws Exception {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    RecordFramer.frame(b, 0, b.length,
        (start, end, line, closed) ->
            out.add(line + ":" + new String(b, start, end - start, StandardCharsets.UTF_8)));
    return out;
  }

  @Test
  public void newlineDelimited() throws Exception {
    assertEquals(List.of("0:{\"a\":1}", "1:{\"b\":2}"), frame("{\"a\":1}\n{\"b\":2}\n"));
  }

  @Test
  public void concatenatedWithoutSeparator() throws Exception {
    assertEquals(List.of("0:{\"a\":1}", "0:{\"b\":{\"c\":[1,2]}}", "0:{\"d\":3}"),
        frame("{\"a\":1}{\"b\":{\"c\":[1,2]}}{\"d\":3}"));
  }

  @Test
  public void bracesInsideStringsDoNotSplit() throws Exception {
    assertEquals(List.of("0:{\"a\":\"}{\\\"}\"}", "0:{\"b\":1}"),
        frame("{\"a\":\"}{\\\"}\"}{\"b\":1}"));
  }

  @Test
  public void truncatedLineCostsOnlyThatLine() throws Exception {
    assertEquals(List.of("0:{\"a\":1", "1:{\"b\":2}"), frame("{\"a\":1\n{\"b\":2}"));
  }

  @Test
  public void scalarsAndCarriageReturns() throws Exception {
    assertEquals(List.of("0:42", "1:{\"a\":1}", "3:not json"), frame("42\r\n{\"a\":1}\r\n\n not json \n"));
  }

  @Test
  public void arraysAreOneRecord() throws Exception {
    assertEquals(List.of("0:[{\"a\":1},{\"b\":2}]"), frame("[{\"a\":1},{\"b\":2}]"));
  }

  @Test
  public void lastBoundaryNeverSplitsARecord() {
    byte[] b = "{\"a\":1}{\"b\":{\"c\":2}}".getBytes(StandardCharsets.UTF_8);
    // A limit inside the second object cuts after the first.
    assertEquals(7, RecordFramer.lastBoundary(b, 0, 12));
    assertEquals(b.length, RecordFramer.lastBoundary(b, 0, b.length));
    // With newlines the cut includes the newline, so line numbers stay right.
    byte[] lines = "{\"a\":1}\n{\"b\":2}\n{\"c\"".getBytes(StandardCharsets.UTF_8);
    assertEquals(16, RecordFramer.lastBoundary(lines, 0, lines.length));
    // A single record longer than the window: no cut.
    assertEquals(0, RecordFramer.lastBoundary(b, 0, 5));
  }
}
