package org.livemetrics.pipelines.io;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

/**
 * The pure parts of the sinks' defences: which strings cannot be encoded, how a dead letter shows
 * them, and which Elasticsearch failures are the document's (a dead letter) rather than the
 * cluster's (a failed bundle). Expected values worked out by hand.
 */
public class RowWritabilityTest {
  @Test
  public void unpairedSurrogatesAreFoundWherePairsAreNot() {
    assertEquals(-1, RowWritability.firstUnpairedSurrogate("plain"));
    assertEquals(-1, RowWritability.firstUnpairedSurrogate("a\uD83D\uDE00b")); // a pair: 😀
    assertEquals(2, RowWritability.firstUnpairedSurrogate("55\uD80055"));     // high, no low
    assertEquals(0, RowWritability.firstUnpairedSurrogate("\uDC80x"));        // low first
    assertEquals(1, RowWritability.firstUnpairedSurrogate("a\uD800"));        // high at the end
    assertEquals(2, RowWritability.firstUnpairedSurrogate("\uD83D\uDE00\uDE00")); // extra low
  }

  @Test
  public void utf8LengthCountsOneToFourBytes() {
    // a: 1, é (U+00E9): 2, € (U+20AC): 3, 😀 (U+1F600): 4
    assertEquals(10, RowWritability.utf8Length("a\u00E9\u20AC\uD83D\uDE00"));
  }

  @Test
  public void aDocumentMustBeWellFormedAndSmallEnough() throws Exception {
    RowWritability check = new RowWritability(StoredRows.AGGREGATES.schema());
    check.checkDocument("{\"video\":\"\uD83D\uDE00\"}");
    RowWritability.UnwritableException lone = assertThrows(RowWritability.UnwritableException.class,
        () -> check.checkDocument("{\"video\":\"55\uD80055\"}"));
    assertEquals("document is not valid UTF-16: lone surrogate U+D800 at char 12", lone.getMessage());
    // 4 MiB of 'x' plus the 2 quotes: 2 bytes over.
    RowWritability.UnwritableException big = assertThrows(RowWritability.UnwritableException.class,
        () -> check.checkDocument("\"" + "x".repeat(4 * 1024 * 1024) + "\""));
    assertEquals("document of 4,194,306 bytes exceeds the 4,194,304-byte limit", big.getMessage());
  }

  @Test
  public void printableEscapesWhatADeadLetterCannotShow() {
    assertEquals("55\\uD80055", RowWritability.printable("55\uD80055", 100));
    assertEquals("a\\u0001b\uD83D\uDE00", RowWritability.printable("a\u0001b\uD83D\uDE00", 100));
    assertEquals("abcd…(10 chars)", RowWritability.printable("abcdefghij", 4));
  }

  @Test
  public void onlyA400ForTheDocumentsContentIsTheDocumentsFault() {
    assertEquals("elasticsearch refused it: mapper_parsing_exception: failed to parse field"
            + " [minute] of type [long] (number_format_exception: For input string: \"x\")",
        ElasticsearchWriteResults.FailFn.documentRefusal("{\"index\":{\"_index\":\"i\",\"_id\":\"1\","
            + "\"status\":400,\"error\":{\"type\":\"mapper_parsing_exception\",\"reason\":\"failed"
            + " to parse field [minute] of type [long]\",\"caused_by\":{\"type\":"
            + "\"number_format_exception\",\"reason\":\"For input string: \\\"x\\\"\"}}}}"));
    // The cluster's failures: retried by Beam, then fail the bundle.
    assertNull(ElasticsearchWriteResults.FailFn.documentRefusal("{\"index\":{\"_id\":\"1\","
        + "\"status\":429,\"error\":{\"type\":\"es_rejected_execution_exception\",\"reason\":\"x\"}}}"));
    assertNull(ElasticsearchWriteResults.FailFn.documentRefusal("{\"index\":{\"_id\":\"1\","
        + "\"status\":503,\"error\":{\"type\":\"unavailable_shards_exception\",\"reason\":\"x\"}}}"));
    assertNull(ElasticsearchWriteResults.FailFn.documentRefusal("{\"index\":{\"_id\":\"1\","
        + "\"status\":400,\"error\":{\"type\":\"index_closed_exception\",\"reason\":\"closed\"}}}"));
    assertNull(ElasticsearchWriteResults.FailFn.documentRefusal("{\"index\":{\"_id\":\"1\","
        + "\"status\":403,\"error\":{\"type\":\"cluster_block_exception\",\"reason\":\"read-only\"}}}"));
    // A whole bulk request that failed (Beam marks every document of it so).
    assertNull(ElasticsearchWriteResults.FailFn.documentRefusal("{\"message\":\"org.elasticsearch"
        + ".client.ResponseException was thrown in batch flush: 413 Request Entity Too Large\"}"));
    assertNull(ElasticsearchWriteResults.FailFn.documentRefusal(null));
    assertNull(ElasticsearchWriteResults.FailFn.documentRefusal("not json"));
  }
}
