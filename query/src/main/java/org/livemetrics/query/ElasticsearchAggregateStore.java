package org.livemetrics.query;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.checkerframework.checker.nullness.qual.Nullable;
import java.util.Set;
import org.livemetrics.schemas.BroadcastMinute;
import org.livemetrics.schemas.Dimension;
import org.livemetrics.schemas.MinuteAggregate;
import org.livemetrics.schemas.QosMinute;
import org.livemetrics.schemas.StreamSession;
import org.livemetrics.schemas.elasticsearch.AggregateDocuments;
import org.livemetrics.schemas.elasticsearch.BroadcastDocuments;
import org.livemetrics.schemas.elasticsearch.DocumentFormat;
import org.livemetrics.schemas.elasticsearch.QosDocuments;
import org.livemetrics.schemas.elasticsearch.StreamDocuments;
import org.livemetrics.schemas.elasticsearch.ElasticsearchConnection;
import org.livemetrics.schemas.elasticsearch.ElasticsearchException;

/**
 * Reads the rows the streaming pipeline writes to Elasticsearch: the aggregates through the alias
 * over their daily indices ({@link AggregateDocuments}), and the QoS minutes, broadcast minutes and
 * stream rows through the aliases next to it ({@link DocumentFormat#prefixFor}: {@code
 * livemetrics-aggregates} gives {@code livemetrics-qos}, {@code livemetrics-broadcast}, {@code
 * livemetrics-streams}).
 *
 * <ul>
 *   <li>The selection becomes a bool filter (account, dimension set, videos, secondary values,
 *       minute range), so Elasticsearch returns only the selected rows and scores nothing.
 *   <li>Pages follow each other with {@code search_after} on (minute, video, secondary value),
 *       which is unique within one account and dimension set: no deep paging, no scroll context
 *       to clean up, and a row the pipeline overwrites meanwhile is read once, old or new.
 *   <li>Sketches stay out of {@code _source} unless the caller unions them; they are most of a
 *       document. Pages with sketches are smaller, because a busy video's sketches reach 350 kB
 *       per row and Elasticsearch builds each page in its heap.
 *   <li>Answers are parsed as they stream in, one hit at a time.
 * </ul>
 */
public final class ElasticsearchAggregateStore implements AggregateStore {
  public static final int PAGE_SIZE = 5000;
  public static final int PAGE_SIZE_WITH_SKETCHES = 250;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ElasticsearchConnection connection;
  private final String alias;
  private final int pageSize;
  private final int pageSizeWithSketches;

  public ElasticsearchAggregateStore(ElasticsearchConnection connection, String alias) {
    this(connection, alias, PAGE_SIZE, PAGE_SIZE_WITH_SKETCHES);
  }

  /** @param pageSize hits per search request without sketches; tests make it small */
  ElasticsearchAggregateStore(ElasticsearchConnection connection, String alias, int pageSize,
      int pageSizeWithSketches) {
    if (pageSize < 1 || pageSizeWithSketches < 1 || pageSize > 10_000
        || pageSizeWithSketches > 10_000) {
      throw new IllegalArgumentException("page sizes must be 1 to 10000 (index.max_result_window):"
          + " " + pageSize + ", " + pageSizeWithSketches);
    }
    this.connection = connection;
    this.alias = AggregateDocuments.checkPrefix(alias);
    this.pageSize = pageSize;
    this.pageSizeWithSketches = pageSizeWithSketches;
  }

  /**
   * The store at {@code http(s)://host:port[,host2:port...][/alias]}: the cluster's nodes and the
   * alias to read ({@value AggregateDocuments#DEFAULT_PREFIX} unless given as the path). Basic-auth
   * credentials come from {@value ElasticsearchConnection#USERNAME_ENV} and {@value
   * ElasticsearchConnection#PASSWORD_ENV}, never from the location.
   *
   * @throws IllegalArgumentException saying what is wrong with the location
   */
  public static ElasticsearchAggregateStore at(String location) {
    String alias = null;
    List<String> nodes = new ArrayList<>();
    for (String url : ElasticsearchConnection.splitUrls(location)) {
      URI u;
      try {
        u = new URI(url);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("'" + ElasticsearchConnection.redacted(url)
            + "' is not a URL: " + e.getReason(), e);
      }
      String path = u.getPath() == null ? "" : u.getPath().replaceAll("^/+|/+$", "");
      if (!path.isEmpty()) {
        if (alias != null && !alias.equals(path)) {
          throw new IllegalArgumentException("two aliases in " + location.replaceAll(
              "://[^/@,]*@", "://") + ": '" + alias + "' and '" + path + "'");
        }
        alias = path;
      }
      int pathStart = url.indexOf('/', url.indexOf("://") + 3);
      nodes.add(pathStart < 0 ? url : url.substring(0, pathStart));
    }
    String username = System.getenv(ElasticsearchConnection.USERNAME_ENV);
    String password = System.getenv(ElasticsearchConnection.PASSWORD_ENV);
    return new ElasticsearchAggregateStore(ElasticsearchConnection.to(nodes, username, password),
        alias == null ? AggregateDocuments.DEFAULT_PREFIX : alias);
  }

  public String alias() {
    return alias;
  }

  @Override
  public void read(AggregateSelection selection, Consumer<MinuteAggregate> sink)
      throws IOException {
    search(alias, AggregateDocuments.FORMAT, search(selection), sink);
  }

  @Override
  public void readQos(QosSelection s, Consumer<QosMinute> sink) throws IOException {
    ObjectNode search = newSearch(s.needsSketches(), QosDocuments.SKETCH_FIELDS);
    ArrayNode filter = filters(search);
    term(filter, QosDocuments.ACCOUNT, s.account());
    term(filter, QosDocuments.DIMENSION_SET, s.dimensionSet().id());
    for (Dimension d : QosMinute.DIMENSIONS) {
      terms(filter, QosDocuments.FIELDS.get(d), s.values(d));
    }
    minutes(filter, QosDocuments.MINUTE, s.fromMinute(), s.toMinuteInclusive());
    // Unique within one account and dimension set: by minute, then the set's dimensions (which
    // every document of the set has).
    ArrayNode sort = search.putArray("sort");
    sort.addObject().put(QosDocuments.MINUTE, "asc");
    for (Dimension d : s.dimensionSet().dimensions()) {
      sort.addObject().put(QosDocuments.FIELDS.get(d), "asc");
    }
    search(tableAlias(QosDocuments.TABLE), QosDocuments.FORMAT, search, sink);
  }

  @Override
  public void readBroadcast(BroadcastSelection s, Consumer<BroadcastMinute> sink)
      throws IOException {
    ObjectNode search = newSearch(false, List.of());
    ArrayNode filter = filters(search);
    term(filter, BroadcastDocuments.DIMENSION_SET, s.scope().id());
    terms(filter, BroadcastDocuments.REGION, s.regions());
    terms(filter, BroadcastDocuments.CHANNEL, s.channels());
    visible(filter, BroadcastDocuments.CHANNEL, s.visible());
    minutes(filter, BroadcastDocuments.MINUTE, s.fromMinute(), s.toMinuteInclusive());
    // Unique within one scope, on fields every document of that scope has.
    ArrayNode sort = search.putArray("sort");
    sort.addObject().put(BroadcastDocuments.MINUTE, "asc");
    if (s.scope() != BroadcastMinute.Scope.ALL) {
      sort.addObject().put(BroadcastDocuments.REGION, "asc");
    }
    if (s.scope() == BroadcastMinute.Scope.CHANNEL) {
      sort.addObject().put(BroadcastDocuments.CHANNEL, "asc");
    }
    search(tableAlias(BroadcastDocuments.TABLE), BroadcastDocuments.FORMAT, search, sink);
  }

  /** One document per stream, always current: only the keys are filtered here. */
  @Override
  public void readStreams(StreamSelection s, Consumer<StreamSession> sink) throws IOException {
    ObjectNode search = newSearch(false, List.of());
    ArrayNode filter = filters(search);
    terms(filter, StreamDocuments.REGION, s.regions());
    terms(filter, StreamDocuments.CHANNEL, s.channels());
    visible(filter, StreamDocuments.CHANNEL, s.visible());
    ArrayNode sort = search.putArray("sort");
    sort.addObject().put(StreamDocuments.CHANNEL, "asc");
    sort.addObject().put(StreamDocuments.STREAM_ID, "asc");
    search(tableAlias(StreamDocuments.TABLE), StreamDocuments.FORMAT, search, sink);
  }

  /** The alias of {@code table}'s indices, next to the aggregates' alias. */
  String tableAlias(String table) {
    return DocumentFormat.prefixFor(alias, table);
  }

  /** Runs {@code search} page after page with {@code search_after}, each hit to {@code sink}. */
  private <T> void search(String index, DocumentFormat<T> format, ObjectNode search,
      Consumer<T> sink) throws IOException {
    int size = search.get("size").intValue();
    String path = "/" + index + "/_search";
    while (true) {
      Page page;
      try {
        page = connection.send("POST", path, search.toString(), "application/json",
            in -> readPage(in, index, format, sink));
      } catch (ElasticsearchException e) {
        if ("index_not_found_exception".equals(e.type())) {
          throw new IOException("Elasticsearch at " + connection + " has no index or alias '"
              + index + "': the pipeline has written no " + format.table() + " rows yet, or"
              + " writes under another --elasticsearchIndexPrefix", e);
        }
        throw e;
      }
      if (page.hits < size || page.lastSort == null) {
        return;
      }
      search.set("search_after", page.lastSort);
    }
  }

  /**
   * A search's page size and source: sketches are most of a document, so they stay out of {@code
   * _source} unless wanted, and pages with them are smaller.
   */
  private ObjectNode newSearch(boolean sketches, List<String> sketchFields) {
    ObjectNode search = MAPPER.createObjectNode();
    search.put("size", sketches ? pageSizeWithSketches : pageSize);
    if (!sketches && !sketchFields.isEmpty()) {
      ArrayNode excludes = search.putObject("_source").putArray("excludes");
      sketchFields.forEach(excludes::add);
    }
    return search;
  }

  private static ArrayNode filters(ObjectNode search) {
    search.put("track_total_hits", false);
    return search.putObject("query").putObject("bool").putArray("filter");
  }

  private static void term(ArrayNode filter, String field, String value) {
    filter.addObject().putObject("term").put(field, value);
  }

  /** A terms filter, or nothing when {@code values} is empty (all). */
  private static void terms(ArrayNode filter, String field, Set<String> values) {
    if (!values.isEmpty()) {
      ArrayNode array = filter.addObject().putObject("terms").putArray(field);
      values.stream().sorted().forEach(array::add);
    }
  }

  /**
   * Only the channels of {@code scope}: a channel ARN of one of its AWS accounts (a regexp on the
   * ARN's fifth field), or starting with one of its prefixes. In the query, so pages and totals
   * hold only visible rows. An empty scope matches nothing.
   */
  private static void visible(ArrayNode filter, String channelField, ChannelScope scope) {
    if (scope.all()) {
      return;
    }
    ObjectNode bool = filter.addObject().putObject("bool");
    bool.put("minimum_should_match", 1);
    ArrayNode should = bool.putArray("should");
    scope.awsAccounts().stream().sorted().forEach(account -> should.addObject()
        .putObject("regexp").putObject(channelField)
        // Account ids are 12 digits (ChannelOwners checks), so nothing needs escaping.
        .put("value", "arn:[^:]*:[^:]*:[^:]*:" + account + ":.*"));
    scope.arnPrefixes().stream().sorted().forEach(prefix -> should.addObject()
        .putObject("prefix").put(channelField, prefix));
    if (should.isEmpty()) {
      bool.remove("should");
      bool.remove("minimum_should_match");
      bool.putArray("must_not").addObject().putObject("match_all");
    }
  }

  private static void minutes(ArrayNode filter, String field, long from, long toInclusive) {
    filter.addObject().putObject("range").putObject(field)
        .put("gte", from).put("lte", toInclusive).put("format", "epoch_millis");
  }

  /** The first page's request; later pages add {@code search_after}. */
  ObjectNode search(AggregateSelection s) {
    ObjectNode search = newSearch(s.needsSketches(), AggregateDocuments.SKETCH_FIELDS);
    ArrayNode filter = filters(search);
    term(filter, AggregateDocuments.ACCOUNT, s.account());
    term(filter, AggregateDocuments.DIMENSION_SET, s.dimensionSet().id());
    terms(filter, AggregateDocuments.VIDEO, s.videos());
    @Nullable String secondaryField = s.dimensionSet().secondary()
        .map(AggregateDocuments::secondaryField).orElse(null);
    if (secondaryField != null) {
      terms(filter, secondaryField, s.secondaryValues());
    }
    minutes(filter, AggregateDocuments.MINUTE, s.fromMinute(), s.toMinuteInclusive());

    // Unique within one account and dimension set, and on fields every selected document has.
    ArrayNode sort = search.putArray("sort");
    sort.addObject().put(AggregateDocuments.MINUTE, "asc");
    sort.addObject().put(AggregateDocuments.VIDEO, "asc");
    if (secondaryField != null) {
      sort.addObject().put(secondaryField, "asc");
    }
    return search;
  }

  private record Page(int hits, @Nullable JsonNode lastSort) {}

  /** Hands each hit's row to {@code sink} as it is parsed; refuses partial answers. */
  private <T> Page readPage(InputStream in, String index, DocumentFormat<T> format,
      Consumer<T> sink) throws IOException {
    int hits = 0;
    JsonNode lastSort = null;
    try (JsonParser p = MAPPER.getFactory().createParser(in)) {
      expect(p.nextToken(), JsonToken.START_OBJECT);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "timed_out" -> {
            if (p.getBooleanValue()) {
              throw new IOException("Elasticsearch timed out searching " + index);
            }
          }
          case "_shards" -> {
            JsonNode shards = p.readValueAsTree();
            if (shards.path("failed").asInt() > 0) {
              throw new IOException("Elasticsearch answered from only part of " + index + ": "
                  + shards);
            }
          }
          case "hits" -> {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String name = p.currentName();
              p.nextToken();
              if (!name.equals("hits")) {
                p.skipChildren();
                continue;
              }
              expect(p.currentToken(), JsonToken.START_ARRAY);
              while (p.nextToken() == JsonToken.START_OBJECT) {
                JsonNode hit = p.readValueAsTree();
                T row;
                try {
                  row = format.fromDocument(hit.path("_source"));
                } catch (IllegalArgumentException e) {
                  throw new IOException("document " + hit.path("_index").asText() + "/"
                      + hit.path("_id").asText() + ": " + e.getMessage(), e);
                }
                sink.accept(row);
                lastSort = hit.get("sort");
                hits++;
              }
            }
          }
          default -> p.skipChildren();
        }
      }
    }
    return new Page(hits, lastSort);
  }

  private static void expect(@Nullable JsonToken actual, JsonToken expected) throws IOException {
    if (actual != expected) {
      throw new IOException("unexpected search answer from Elasticsearch: " + actual + " where "
          + expected + " belongs");
    }
  }

  @Override
  public String toString() {
    return "ElasticsearchAggregateStore(" + connection + "/" + alias + ")";
  }
}
