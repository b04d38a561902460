package org.livemetrics.pipelines.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.livemetrics.schemas.elasticsearch.AggregateDocuments;
import org.livemetrics.schemas.elasticsearch.DocumentFormat;
import org.livemetrics.schemas.elasticsearch.ElasticsearchConnection;

/**
 * Prepares an Elasticsearch cluster for {@link WriteRowsToElasticsearch}: the streaming
 * pipeline's main calls {@link #installTemplate()} before it runs, so the check fails fast, on the
 * launching machine, with a message naming the cluster. Also clears and refreshes indices for
 * tests and the demo.
 */
public final class ElasticsearchSetup {
  private final ElasticsearchConnection es;
  /** Every kind of row the sinks write, each with its own template and indices. */
  private static final List<DocumentFormat<?>> FORMATS = List.of(
      StoredRows.AGGREGATES.documents(), StoredRows.QOS.documents(),
      StoredRows.BROADCAST_MINUTES.documents(), StoredRows.STREAMS.documents());

  private final String prefix;

  public ElasticsearchSetup(ElasticsearchConnection es, String prefix) {
    this.es = es;
    this.prefix = AggregateDocuments.checkPrefix(prefix);
  }

  /** The cluster and prefix the sink options name. */
  public static ElasticsearchSetup from(ElasticsearchSinkOptions options) {
    String url = options.getElasticsearchUrl();
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException(
          "--elasticsearchUrl is required, e.g. --elasticsearchUrl=http://localhost:9200");
    }
    return new ElasticsearchSetup(
        ElasticsearchConnection.parse(url, options.getElasticsearchUsername(),
            options.getElasticsearchPassword()),
        options.getElasticsearchIndexPrefix());
  }

  /**
   * Checks the cluster answers and is recent enough, and puts the index template of the prefix
   * (mappings, settings, the alias). Idempotent: putting the same template again changes nothing.
   * A changed template applies from the next daily index on; fields it adds (the QoS rows'
   * {@code country}, {@code device_type} and session counts) are also added to the mappings of the daily indices
   * that exist, whose strict mappings would otherwise refuse today's rows that have them.
   *
   * @return the cluster's version
   * @throws IOException naming the cluster when it cannot be reached, refuses the template, or
   *     refuses a mapping (a field whose type changed: that needs a reindex)
   */
  public String installTemplate() throws IOException {
    String version = version();
    for (DocumentFormat<?> format : FORMATS) {
      String p = DocumentFormat.prefixFor(prefix, format.table());
      String template = format.indexTemplate(p);
      es.put("/_index_template/" + p, template);
      JsonNode properties = MAPPER.readTree(template).path("template").path("mappings")
          .path("properties");
      es.put("/" + AggregateDocuments.indexPattern(p)
              + "/_mapping?allow_no_indices=true&ignore_unavailable=true",
          MAPPER.createObjectNode().set("properties", properties).toString());
    }
    return version;
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** The cluster's version; composable index templates need 7.8 or later. */
  public String version() throws IOException {
    String version = es.get("/").path("version").path("number").asText("");
    String[] parts = version.split("\\.");
    int major;
    int minor;
    try {
      major = Integer.parseInt(parts[0]);
      minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
    } catch (NumberFormatException e) {
      throw new IOException("Elasticsearch at " + es + " reports no usable version: '" + version
          + "'", e);
    }
    if (major < 7 || (major == 7 && minor < 8)) {
      throw new IOException("Elasticsearch at " + es + " is " + version + "; the aggregates' "
          + "composable index template needs 7.8 or later");
    }
    return version;
  }

  /** Makes every write so far visible to searches (tests, the demo). */
  public void refresh() throws IOException {
    es.send("POST", "/" + allIndices() + "/_refresh?allow_no_indices=true", null);
  }

  /** The indices of every kind of row under the prefix that exist, by name. */
  public List<String> indices() throws IOException {
    JsonNode listed = es.get("/_cat/indices/" + allIndices()
        + "?h=index&s=index&format=json");
    List<String> names = new ArrayList<>();
    listed.forEach(i -> names.add(i.path("index").asText()));
    return names;
  }

  /**
   * Deletes every daily index of the prefix (tests, the demo), by name: clusters may refuse
   * wildcard deletes ({@code action.destructive_requires_name}, the default from 8.0).
   */
  public void deleteIndices() throws IOException {
    List<String> names = indices();
    if (!names.isEmpty()) {
      es.delete("/" + String.join(",", names));
    }
  }

  /** The index patterns of every kind, comma-separated (aggregates, qos, broadcast, streams). */
  private String allIndices() {
    List<String> patterns = new ArrayList<>();
    for (DocumentFormat<?> format : FORMATS) {
      patterns.add(AggregateDocuments.indexPattern(DocumentFormat.prefixFor(prefix, format.table())));
    }
    return String.join(",", patterns);
  }

  @Override
  public String toString() {
    return "ElasticsearchSetup(" + es + ", " + prefix + ")";
  }
}
