package org.livemetrics.transforms.parse;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;

import org.junit.Test;

public class InternerTest {
  @Test
  public void equalValuesBecomeOneInstance() {
    Interner interner = new Interner();
    String first = new String("6373141262112");
    String second = new String("6373141262112");
    assertNotSame(first, second);
    assertSame(first, interner.intern(first));
    assertSame(first, interner.intern(second));
    assertNull(interner.intern(null));
  }

  @Test
  public void staysBoundedUnderDistinctValues() {
    Interner interner = new Interner();
    String early = new String("early");
    interner.intern(early);
    for (int i = 0; i < 10 * Interner.MAX_ENTRIES; i++) {
      assertEquals("v" + i, interner.intern("v" + i));
    }
    // It started over when full: the early value is no longer held, and a new copy is returned as is.
    String again = new String("early");
    assertSame(again, interner.intern(again));
  }
}
