package org.livemetrics.query;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.function.Supplier;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Picks the {@link AggregateStore} for a store location; the one place new kinds plug in. */
public final class AggregateStores {
  private AggregateStores() {}

  /**
   * Opens the store at {@code location}:
   *
   * <ul>
   *   <li>a local directory or a URI of a file system Beam knows ({@code s3://bucket/prefix}):
   *       the Parquet tables the backfill (and the streaming pipeline) write (aggregates, QoS,
   *       broadcast, streams), {@link ParquetAggregateStore};
   *   <li>{@code http(s)://host:9200[,host2:9200][/alias]}: the Elasticsearch cluster the streaming
   *       pipeline writes to, read through the alias ({@code livemetrics-aggregates} unless given)
   *       and the QoS, broadcast and stream aliases next to it, {@link
   *       ElasticsearchAggregateStore}; credentials come from the environment
   *       ({@code LIVEMETRICS_ELASTICSEARCH_USERNAME}, {@code LIVEMETRICS_ELASTICSEARCH_PASSWORD}).
   * </ul>
   *
   * Both answer every query identically for the same rows.
   *
   * @param options configure Beam's file systems for a remote store, e.g. {@code --awsRegion} and
   *     {@code --endpoint}; asked for only when the location is remote, because building options
   *     and registering every file system (the S3 client among them) costs a CLI call about a
   *     second, and a local directory needs neither
   * @throws QueryException naming {@code store} when the location cannot be a store
   */
  public static AggregateStore open(String location, Supplier<PipelineOptions> options) {
    if (location.isBlank()) {
      throw new QueryException("store",
          "is empty; give a directory, an s3:// URI or an Elasticsearch http(s):// URL");
    }
    if (location.startsWith("http://") || location.startsWith("https://")) {
      try {
        return ElasticsearchAggregateStore.at(location);
      } catch (IllegalArgumentException e) {
        throw new QueryException("store", e.getMessage());
      }
    }
    if (location.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
      return new ParquetAggregateStore(location, options.get());
    }
    Path dir = Paths.get(location).toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new QueryException("store", "no such directory: " + dir);
    }
    return new ParquetAggregateStore(dir.toString());
  }

  public static AggregateStore open(String location, PipelineOptions options) {
    return open(location, () -> options);
  }

  /**
   * The options for {@link #open} from command-line flags such as {@code --awsRegion=eu-west-1
   * --endpoint=http://localhost:9000}: how the commands that open a store ({@code livemetrics
   * query}, {@code livemetrics export}) configure Beam's file systems.
   *
   * @throws QueryException naming {@code options} when Beam rejects a flag
   */
  public static PipelineOptions options(List<String> flags) {
    try {
      return PipelineOptionsFactory.fromArgs(flags.toArray(new String[0])).create();
    } catch (IllegalArgumentException e) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      throw new QueryException("options", message.replaceAll("\\s*\\R\\s*", " ").trim());
    }
  }
}
