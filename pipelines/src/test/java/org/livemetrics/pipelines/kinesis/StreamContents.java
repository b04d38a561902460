package org.livemetrics.pipelines.kinesis;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * What a stream holds, read with the AWS SDK directly (GetRecords from TRIM_HORIZON), as the
 * reference the Beam source's output is checked against.
 */
final class StreamContents {
  private StreamContents() {}

  /** A record as Kinesis stored it. */
  record Stored(String shardId, Record record) {
    String data() {
      return record.data().asUtf8String();
    }
  }

  /** Every record of every shard, shard by shard in ListShards order, each shard in sequence order. */
  static List<Stored> read(KinesisClient kinesis, String stream) {
    List<Stored> all = new ArrayList<>();
    for (Shard shard : new KinesisAdmin(kinesis).shards(stream)) {
      String iterator = kinesis.getShardIterator(r -> r.streamName(stream).shardId(shard.shardId())
          .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
      // kinesalite answers with everything up to the tip at once; an empty page means the end.
      while (true) {
        final String it = iterator;
        GetRecordsResponse page = kinesis.getRecords(r -> r.shardIterator(it));
        if (page.records().isEmpty()) {
          break;
        }
        page.records().forEach(r -> all.add(new Stored(shard.shardId(), r)));
        iterator = page.nextShardIterator();
      }
    }
    return all;
  }
}
