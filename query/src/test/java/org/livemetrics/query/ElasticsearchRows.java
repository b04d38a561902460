package org.livemetrics.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.elasticsearch.AggregateDocuments;
import org.livemetrics.schemas.elasticsearch.DocumentFormat;
import org.livemetrics.schemas.elasticsearch.ElasticsearchConnection;

/**
 * Stores rows in a real Elasticsearch as the streaming sink does (its index template, daily
 * indices, deterministic ids), but through the bulk API directly: the query layer's tests need no
 * pipeline to fill a store.
 */
public final class ElasticsearchRows {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ElasticsearchRows() {}

  /** Installs the template of {@code prefix} and indexes {@code rows}, visible to searches. */
  public static void store(ElasticsearchConnection es, String prefix, List<MinuteAggregate> rows)
      throws IOException {
    store(es, AggregateDocuments.FORMAT, prefix, rows);
  }

  /**
   * Installs {@code format}'s template for {@code prefix} and indexes {@code rows} into the
   * indices and under the ids the format gives them, visible to searches.
   */
  public static <T> void store(ElasticsearchConnection es, DocumentFormat<T> format,
      String prefix, List<T> rows) throws IOException {
    es.put("/_index_template/" + prefix, format.indexTemplate(prefix));
    StringBuilder bulk = new StringBuilder();
    int batch = 0;
    for (T row : rows) {
      String json = format.toJson(row);
      JsonNode doc = MAPPER.readTree(json);
      bulk.append("{\"index\":{\"_index\":\"").append(format.index(prefix, doc))
          .append("\",\"_id\":\"").append(format.id(doc)).append("\"}}\n")
          .append(json).append('\n');
      if (++batch == 2000) {
        send(es, bulk.toString());
        bulk.setLength(0);
        batch = 0;
      }
    }
    if (batch > 0) {
      send(es, bulk.toString());
    }
    es.send("POST", "/" + prefix + "/_refresh", null);
  }

  private static void send(ElasticsearchConnection es, String ndjson) throws IOException {
    JsonNode answer = es.send("POST", "/_bulk", ndjson, "application/x-ndjson", MAPPER::readTree);
    if (answer.path("errors").asBoolean()) {
      throw new IOException("bulk indexing failed: " + answer.toString().substring(0,
          Math.min(2000, answer.toString().length())));
    }
  }

  /** The number of documents behind {@code aliasOrIndex}. */
  public static long count(ElasticsearchConnection es, String aliasOrIndex) throws IOException {
    return es.get("/" + aliasOrIndex + "/_count").path("count").asLong();
  }

  /** Deletes the indices and the template of {@code prefix}, so the next test starts empty. */
  public static void drop(ElasticsearchConnection es, String prefix) throws IOException {
    es.delete("/" + AggregateDocuments.indexPattern(prefix) + "?allow_no_indices=true");
    es.delete("/_index_template/" + prefix);
  }
}
