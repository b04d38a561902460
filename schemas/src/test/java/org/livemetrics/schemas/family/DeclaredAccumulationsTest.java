package org.livemetrics.schemas.family;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.livemetrics.schemas.PlayerEvent;
import org.livemetrics.schemas.family.MetricFamilyDescription.Accumulation;
import org.livemetrics.schemas.family.MetricFamilyDescription.StoredField;

/**
 * A description refuses accumulations whose parts are not where they say: a distinct count's
 * sketch must be a BYTES field that declares nothing itself, as must a sketch of values' count and
 * sum be LONG fields. And a distinct count is neither a count nor a sketch of values.
 */
public class DeclaredAccumulationsTest {

  /** The audience description with {@code field}'s column declared as {@code accumulation}. */
  private static MetricFamilyDescription withAccumulation(String field, Accumulation accumulation) {
    MetricFamilyDescription d = AudienceFamily.DESCRIPTION;
    List<StoredField> fields = new ArrayList<>();
    for (StoredField f : d.storedFields()) {
      fields.add(f.name().equals(field) ? new StoredField(f.name(), f.type(),
          f.elasticsearchName(), f.doc(), f.zeroByDefault(), f.value(), accumulation) : f);
    }
    return new MetricFamilyDescription(d.name(), d.label(), d.storeDirectory(), d.index(),
        d.storedRow(), fields, d.storedSets(), d.querySets(), d.metrics());
  }

  @Test
  public void aDistinctCountsSketchMustBeABytesFieldThatDeclaresNothing() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> withAccumulation(AudienceFamily.CCU_FIELD,
            new Accumulation.DistinctViewing(PlayerEvent::sessionKey, "video_view")));
    assertEquals("ccu sketches its keys in video_view, which must be a BYTES stored field of"
        + " audience that declares nothing itself", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> withAccumulation(AudienceFamily.CCU_FIELD,
            new Accumulation.DistinctViewing(PlayerEvent::sessionKey, "no_such_sketch")));
    assertEquals("ccu sketches its keys in no_such_sketch, which must be a BYTES stored field of"
        + " audience that declares nothing itself", e.getMessage());
  }

  @Test
  public void distinctCountsAreTheirOwnKind() {
    MetricFamilyDescription d = AudienceFamily.DESCRIPTION;
    assertEquals(List.of(AudienceFamily.CCU_FIELD, AudienceFamily.FINGERPRINT_COUNT_FIELD),
        d.distinctFields().stream().map(StoredField::name).toList());
    assertEquals(List.of(), d.countedFields().stream().map(StoredField::name)
        .filter(n -> n.equals(AudienceFamily.CCU_FIELD)).toList());
    assertEquals(List.of(ViewerQosFamily.CONCURRENT_SESSIONS_FIELD),
        ViewerQosFamily.DESCRIPTION.distinctFields().stream().map(StoredField::name).toList());
  }
}
