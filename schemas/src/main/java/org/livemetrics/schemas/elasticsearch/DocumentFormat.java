package org.livemetrics.schemas.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;

/**
 * How one kind of row (audience aggregates, QoS minutes, broadcast minutes, stream rows) is stored
 * in Elasticsearch. The streaming sink writes through it and the query layer's store reads through
 * it, so the two cannot disagree.
 *
 * <p>Every kind follows the aggregates' layout ({@link AggregateDocuments}): a composable index
 * template named PREFIX, indices matching {@code PREFIX-*} (daily, by the row's UTC day, unless
 * the kind says otherwise), the read alias PREFIX, and a deterministic id made of the row's key,
 * so that each write is an upsert and replays change nothing.
 *
 * @param <T> the row type
 */
public interface DocumentFormat<T> extends Serializable {

  /** What the rows are, in the table names of the store: aggregates, qos, broadcast, streams. */
  String table();

  /** The document of a row: every field of the row, including those its id is made of. */
  String toJson(T row);

  /** The row a document holds, as {@link #toJson} wrote it. */
  T fromDocument(JsonNode document);

  /** The deterministic id of a document as {@link #toJson} wrote it. */
  String id(JsonNode document);

  /** The index (matching {@code PREFIX-*}) a document as {@link #toJson} wrote it goes to. */
  String index(String prefix, JsonNode document);

  /** The composable index template for {@code prefix}: mappings, settings, the alias. */
  String indexTemplate(String prefix);

  /**
   * The prefix of {@code table}'s indices when the aggregates use {@code aggregatesPrefix} (the
   * {@code --elasticsearchIndexPrefix} option): {@code livemetrics-aggregates} gives {@code
   * livemetrics-qos}, {@code livemetrics-broadcast}, {@code livemetrics-streams}; a prefix not
   * ending in {@code -aggregates} gets {@code _TABLE} appended ({@code foo} gives {@code foo_qos}:
   * with a dash, the aggregates' pattern {@code foo-*} would also match {@code foo-qos-…} indices,
   * and Elasticsearch refuses overlapping templates). One option thus places every kind.
   */
  static String prefixFor(String aggregatesPrefix, String table) {
    AggregateDocuments.checkPrefix(aggregatesPrefix);
    if (table.equals(AggregateDocuments.TABLE)) {
      return aggregatesPrefix;
    }
    String suffix = "-" + AggregateDocuments.TABLE;
    return AggregateDocuments.checkPrefix(aggregatesPrefix.endsWith(suffix)
        ? aggregatesPrefix.substring(0, aggregatesPrefix.length() - suffix.length()) + "-" + table
        : aggregatesPrefix + "_" + table);
  }
}
