package org.livemetrics.transforms.qos;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;
import org.livemetrics.schemas.Dimension;
import org.livemetrics.schemas.QosDimensionSet;

/**
 * How an event's or a session's dimension values become a QoS row's key, and back: the values are
 * right-aligned in (first, second) as the keys of the first two sets always were, so the keys in a
 * streaming job's savepoint keep their meaning.
 */
public class QosKeyTest {
  private static QosKey key(QosDimensionSet set) {
    return QosKey.of(set, "acct", 29_396_473, "v1", "ios", "BR", "mobile");
  }

  @Test
  public void valuesAreRightAlignedAsSavedKeysHaveThem() {
    assertEquals(new QosKey(QosDimensionSet.CLIENT_PLATFORM, "acct", "", "ios", 29_396_473),
        key(QosDimensionSet.CLIENT_PLATFORM));
    assertEquals(new QosKey(QosDimensionSet.VIDEO_CLIENT_PLATFORM, "acct", "v1", "ios",
        29_396_473), key(QosDimensionSet.VIDEO_CLIENT_PLATFORM));
    assertEquals(new QosKey(QosDimensionSet.COUNTRY, "acct", "", "BR", 29_396_473),
        key(QosDimensionSet.COUNTRY));
    assertEquals(new QosKey(QosDimensionSet.DEVICE_TYPE, "acct", "", "mobile", 29_396_473),
        key(QosDimensionSet.DEVICE_TYPE));
  }

  @Test
  public void eachDimensionOfTheSetReadsBackItsValueAndNoOther() {
    for (QosDimensionSet set : QosDimensionSet.values()) {
      QosKey k = key(set);
      for (Dimension d : Dimension.values()) {
        String expected = switch (d) {
          case VIDEO -> "v1";
          case CLIENT_PLATFORM -> "ios";
          case COUNTRY -> "BR";
          case DEVICE_TYPE -> "mobile";
          default -> null;
        };
        if (set.dimensions().contains(d)) {
          assertEquals(set.id() + " " + d, expected, k.value(d));
        } else {
          assertThrows(set.id() + " " + d, IllegalArgumentException.class, () -> k.value(d));
        }
      }
      assertEquals(new QosKey(set, "acct", k.first(), k.second(), 29_396_474),
          k.atMinute(29_396_474));
    }
  }
}
