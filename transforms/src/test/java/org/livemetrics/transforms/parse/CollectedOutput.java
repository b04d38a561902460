package org.livemetrics.transforms.parse;

import java.util.ArrayList;
import java.util.List;
import org.livemetrics.schemas.PlayerEvent;

/** What a {@link PlayerEventDecoder} emitted, kept for a test to look at. */
final class CollectedOutput implements PlayerEventDecoder.Output {
  final List<PlayerEvent> events = new ArrayList<>();
  /** The rejections' messages ({@code reason: detail}), in order. */
  final List<String> rejected = new ArrayList<>();
  final List<RejectedRecord> records = new ArrayList<>();

  @Override
  public void event(PlayerEvent e) {
    events.add(e);
  }

  @Override
  public void rejected(RejectedRecord r, RecordRejectedException why) {
    rejected.add(why.getMessage());
    records.add(r);
  }

  void clear() {
    events.clear();
    rejected.clear();
    records.clear();
  }
}
