package org.livemetrics.transforms.observability;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class ViewerRegionsTest {
  @Test
  public void countriesGoToTheirContinent() {
    assertEquals("americas", ViewerRegions.ofCountry("US"));
    assertEquals("americas", ViewerRegions.ofCountry("BR"));
    assertEquals("europe", ViewerRegions.ofCountry("FR"));
    assertEquals("europe", ViewerRegions.ofCountry("de"));
    assertEquals("asia", ViewerRegions.ofCountry("JP"));
    assertEquals("asia", ViewerRegions.ofCountry("IN"));
    assertEquals("africa", ViewerRegions.ofCountry("NG"));
    assertEquals("oceania", ViewerRegions.ofCountry("AU"));
  }

  @Test
  public void anythingElseIsUnknown() {
    assertEquals("unknown", ViewerRegions.ofCountry("unknown"));
    assertEquals("unknown", ViewerRegions.ofCountry(null));
    assertEquals("unknown", ViewerRegions.ofCountry("ZZ"));
    assertEquals("unknown", ViewerRegions.ofCountry("A1"));
  }
}
