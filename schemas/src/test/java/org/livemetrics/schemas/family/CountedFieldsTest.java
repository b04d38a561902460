package org.livemetrics.schemas.family;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;

import java.util.List;
import org.junit.Test;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;

/**
 * Each family's counted fields are derived once from its description, and everything that holds
 * counts (rows, partial rows, coders, the folds) reads their positions from that one place.
 */
public class CountedFieldsTest {

  @Test
  public void positionsFollowTheDescriptionsDeclarations() {
    for (MetricFamilyDescription family
        : List.of(AudienceFamily.DESCRIPTION, ViewerQosFamily.DESCRIPTION)) {
      CountedFields counted = new CountedFields(family);
      List<String> names = family.countedFields().stream().map(StoredField::name).toList();
      assertEquals(names, counted.names());
      for (int i = 0; i < names.size(); i++) {
        assertEquals(i, counted.position(names.get(i)));
      }
      List<String> sketches = family.sketchedFields().stream().map(StoredField::name).toList();
      assertEquals(sketches, counted.sketchNames());
      for (int i = 0; i < sketches.size(); i++) {
        assertEquals(i, counted.sketchPosition(sketches.get(i)));
      }
    }
    assertSame(AudienceFamily.COUNTED.names(), AudienceFamily.COUNTS);
    assertSame(ViewerQosFamily.COUNTED.sketchNames(), ViewerQosFamily.SKETCHES);
  }

  @Test
  public void aFieldThatIsNoCountOrSketchIsRefusedByName() {
    CountedFields qos = ViewerQosFamily.COUNTED;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> qos.sketchPosition(ViewerQosFamily.COUNTS.get(0)));
    assertEquals(ViewerQosFamily.COUNTS.get(0) + " is not a sketch of viewer QoS rows; they are "
        + ViewerQosFamily.SKETCHES, e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> qos.position(ViewerQosFamily.SKETCHES.get(0)));
    assertEquals(ViewerQosFamily.SKETCHES.get(0) + " is not a count of viewer QoS rows; they are "
        + ViewerQosFamily.COUNTS, e.getMessage());
    assertEquals(0, AudienceFamily.COUNTED.sketches());
  }
}
