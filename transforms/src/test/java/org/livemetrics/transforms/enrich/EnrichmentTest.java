package org.livemetrics.transforms.enrich;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;
import org.livemetrics.schemas.DeviceType;

public class EnrichmentTest {

  @Test
  public void countryCodeWinsAndIsNormalised() {
    assertEquals("US", CountryResolver.resolve(" us ", "France"));
    assertEquals("FR", CountryResolver.resolve("ZZ", "France"));
    assertEquals("FR", CountryResolver.resolve(null, "france"));
  }

  @Test
  public void countryNamesIsoAndCommonForms() {
    assertEquals("US", CountryResolver.resolve(null, "United States of America"));
    assertEquals("US", CountryResolver.resolve(null, "United States"));
    assertEquals("KR", CountryResolver.resolve(null, "Korea, Republic of"));
    assertEquals("KR", CountryResolver.resolve(null, "South Korea"));
    assertEquals("GB", CountryResolver.resolve(null, "United Kingdom"));
    assertEquals("CI", CountryResolver.resolve(null, "Côte d'Ivoire"));
    assertEquals("PH", CountryResolver.resolve(null, "Philippines (the)"));
    assertEquals("RU", CountryResolver.resolve(null, "Russian Federation"));
    assertEquals("RU", CountryResolver.resolve(null, "Russia"));
    assertEquals("unknown", CountryResolver.resolve(null, "Atlantis"));
    assertEquals("unknown", CountryResolver.resolve(null, null));
    assertEquals("Germany", org.livemetrics.schemas.Countries.displayName("DE"));
    assertEquals("Unknown", org.livemetrics.schemas.Countries.displayName("unknown"));
  }

  @Test
  public void deviceFlagsInPriorityOrder() {
    assertEquals(DeviceType.SMART_TV, DeviceTypeResolver.resolve(true, true, true, true, null));
    assertEquals(DeviceType.TABLET, DeviceTypeResolver.resolve(true, true, true, false, null));
    assertEquals(DeviceType.MOBILE, DeviceTypeResolver.resolve(true, true, false, false, null));
    assertEquals(DeviceType.DESKTOP, DeviceTypeResolver.resolve(true, false, false, false, null));
    assertEquals(DeviceType.UNKNOWN, DeviceTypeResolver.resolve(false, false, false, false, null));
  }

  @Test
  public void deviceFromUserAgentWhenNoFlagIsSet() {
    assertEquals(DeviceType.MOBILE, DeviceTypeResolver.resolve(null, null, null, null,
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"));
    assertEquals(DeviceType.TABLET, DeviceTypeResolver.resolve(false, false, false, false,
        "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            + "Version/16.6 Mobile/15E148 Safari/604.1"));
    assertEquals(DeviceType.DESKTOP, DeviceTypeResolver.resolve(null, null, null, null,
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/120.0.0.0 Safari/537.36"));
    assertEquals(DeviceType.SMART_TV, DeviceTypeResolver.resolve(null, null, null, null,
        "Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36"));
    assertEquals(DeviceType.UNKNOWN, DeviceTypeResolver.resolve(null, null, null, null, " "));
  }

  @Test
  public void fingerprintIsTheHmacOfTheDeviceFieldsFirstTimeAndCached() throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec("k".getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
    long expected = java.nio.ByteBuffer.wrap(mac.doFinal(
        "203.0.113.7\u0000Mozilla/5.0 (X11)\u0000web-player".getBytes(java.nio.charset.StandardCharsets.UTF_8))).getLong();
    Fingerprinter f = new Fingerprinter("k");
    assertEquals(expected, f.fingerprint("203.0.113.7", "Mozilla/5.0 (X11)", "web-player", null, "s1"));
    // The second time from the cache, keyed by new but equal strings.
    assertEquals(expected, f.fingerprint(new String("203.0.113.7"), new String("Mozilla/5.0 (X11)"),
        new String("web-player"), "u", "s2"));
    assertNotEquals(expected, f.fingerprint("203.0.113.7", "Mozilla/5.0 (X11)", "other-player", null, "s1"));
    // Cached values keep the fields apart as the hash does.
    long abC = f.fingerprint("ab", "c", "", null, "s");
    assertNotEquals(abC, f.fingerprint("a", "bc", "", null, "s"));
    assertEquals(abC, f.fingerprint("ab", "c", "", null, "s"));
  }

  @Test
  public void fingerprintFallsBackToUserThenSession() {
    Fingerprinter f = new Fingerprinter("k");
    long byUser1 = f.fingerprint(null, null, "p", "u1", "s1");
    long byUser2 = f.fingerprint(null, "", "p", "u1", "s2");
    long bySession = f.fingerprint(null, null, null, null, "s1");
    assertEquals("same user, no edge data: one device", byUser1, byUser2);
    assertNotEquals(byUser1, bySession);
    assertNotEquals(f.fingerprint(null, null, null, null, "s2"), bySession);
    // The separator keeps ("ab","c") and ("a","bc") apart.
    assertNotEquals(f.fingerprint("ab", "c", "", null, "s"), f.fingerprint("a", "bc", "", null, "s"));
  }

  @Test
  public void missingSecretIsAClearError() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Fingerprinter(""));
    assertEquals(true, e.getMessage().contains("LIVEMETRICS_FINGERPRINT_SECRET"));
  }
}
