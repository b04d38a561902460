package org.livemetrics.export;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** How many lines a wrapped cell needs, counted by hand. */
public class SheetTableTest {
  @Test
  public void wordsWrapAtTheWidth() {
    assertEquals(1, SheetTable.lines("", 7));
    assertEquals(1, SheetTable.lines("aaa bbb", 7)); // 7 characters: fits exactly
    assertEquals(2, SheetTable.lines("aaa bbbb", 7)); // aaa / bbbb
    assertEquals(3, SheetTable.lines("aa bb cc dd ee", 5)); // aa bb / cc dd / ee
  }

  @Test
  public void aWordLongerThanALineIsBroken() {
    assertEquals(3, SheetTable.lines("x".repeat(25), 10)); // 10 / 10 / 5
    assertEquals(2, SheetTable.lines("x".repeat(20), 10)); // 10 / 10
    assertEquals(4, SheetTable.lines("ab " + "x".repeat(25), 10)); // ab / 10 / 10 / 5
    assertEquals(3, SheetTable.lines("x".repeat(25) + " ab", 10)); // 10 / 10 / xxxxx ab
    assertEquals(3, SheetTable.lines("x".repeat(20) + " ab", 10)); // 10 / 10 / ab
  }
}
