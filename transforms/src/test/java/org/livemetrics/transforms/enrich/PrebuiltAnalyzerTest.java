package org.livemetrics.transforms.enrich;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;
import org.junit.Test;
import org.livemetrics.schemas.DeviceType;

public class PrebuiltAnalyzerTest {
  private static final List<String> AGENTS = List.of(
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36",
      "Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
      "Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) 76.0.3809.146/6.0 TV Safari/537.36",
      "Roku/DVP-12.5 (12.5.0.4174-C2)",
      "Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko)",
      "Googlebot/2.1 (+http://www.google.com/bot.html)",
      "curl/8.4.0",
      "\u0000\uFFFD not a browser at all {}",
      "");

  @Test
  public void theShippedAnalyzerAnswersAsOneBuiltFromTheRules() {
    UserAgentAnalyzer prebuilt = PrebuiltAnalyzer.load();
    assertNotNull("the build writes " + PrebuiltAnalyzer.RESOURCE + " into the classes", prebuilt);
    UserAgentAnalyzer built = PrebuiltAnalyzer.build();
    List<String> classes = new ArrayList<>();
    for (String ua : AGENTS) {
      String expected = built.parse(ua).getValue(UserAgent.DEVICE_CLASS);
      assertEquals(ua, expected, prebuilt.parse(ua).getValue(UserAgent.DEVICE_CLASS));
      classes.add(expected);
    }
    // Not a vacuous agreement: the agents span the device types livemetrics reports.
    List<DeviceType> types = classes.stream().map(DeviceTypeResolver::fromDeviceClass).distinct().toList();
    assertEquals(types.toString(), true, types.containsAll(
        List.of(DeviceType.DESKTOP, DeviceType.MOBILE, DeviceType.TABLET, DeviceType.SMART_TV)));
  }

  @Test
  public void aStreamWithAnyOtherClassIsRefused() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(new GZIPOutputStream(bytes))) {
      out.writeObject(new ArrayList<>(List.of(DeviceType.MOBILE)));
    }
    assertNull(PrebuiltAnalyzer.load(new ByteArrayInputStream(bytes.toByteArray())));
  }
}
