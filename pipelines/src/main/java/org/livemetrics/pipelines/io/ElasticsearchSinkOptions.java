package org.livemetrics.pipelines.io;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.livemetrics.schemas.elasticsearch.AggregateDocuments;
import org.livemetrics.schemas.elasticsearch.ElasticsearchConnection;

/**
 * Where and how the streaming pipeline writes its minute rows to Elasticsearch ({@link
 * WriteRowsToElasticsearch}, {@link ElasticsearchSetup}).
 */
public interface ElasticsearchSinkOptions extends PipelineOptions {
  @Description(
      "Elasticsearch nodes to write to, comma-separated: http://es1:9200,http://es2:9200 (a node "
          + "without a scheme takes the first one's). Credentials never go here: see "
          + "--elasticsearchUsername.")
  @Nullable String getElasticsearchUrl();

  void setElasticsearchUrl(String value);

  @Description(
      "Rows go to daily indices PREFIX-YYYY.MM.DD (UTC day of the row's minute), read through "
          + "the alias PREFIX; the index template is named PREFIX too. Lower-case letters, digits, "
          + "'.', '_' and '-'.")
  @Default.String(AggregateDocuments.DEFAULT_PREFIX)
  String getElasticsearchIndexPrefix();

  void setElasticsearchIndexPrefix(String value);

  @Description(
      "Basic-auth user, if the cluster has security on. Defaults to the "
          + ElasticsearchConnection.USERNAME_ENV + " environment variable.")
  @Default.InstanceFactory(UsernameFromEnvironment.class)
  @Nullable String getElasticsearchUsername();

  void setElasticsearchUsername(String value);

  @Description(
      "Basic-auth password. Defaults to the " + ElasticsearchConnection.PASSWORD_ENV
          + " environment variable, so it need not appear on a command line; it is left out of "
          + "the options the runner serializes and shows.")
  @Default.InstanceFactory(PasswordFromEnvironment.class)
  @JsonIgnore
  @Nullable String getElasticsearchPassword();

  void setElasticsearchPassword(String value);

  @Description(
      "Most documents per bulk request. Each bundle's rows are sent in requests of at most this "
          + "many documents and --elasticsearchMaxBatchSizeBytes.")
  @Default.Long(5000)
  long getElasticsearchMaxBatchSize();

  void setElasticsearchMaxBatchSize(long value);

  @Description(
      "Most bytes per bulk request (5 MiB by default, within Elasticsearch's advice of 5-15 MB; a "
          + "busy video's row carries up to ~350 kB of sketches).")
  @Default.Long(5L * 1024 * 1024)
  long getElasticsearchMaxBatchSizeBytes();

  void setElasticsearchMaxBatchSizeBytes(long value);

  @Description(
      "Attempts per bulk request while Elasticsearch answers 429 (too many requests), 5xx or "
          + "times out; retries back off exponentially from 5 s. When they run out the bundle "
          + "fails and the runner retries it.")
  @Default.Integer(6)
  int getElasticsearchMaxRetryAttempts();

  void setElasticsearchMaxRetryAttempts(int value);

  @Description("Longest total back-off of one bulk request's retries (ISO-8601 like PT2M, or 2m).")
  @Default.String("PT2M")
  String getElasticsearchMaxRetryDuration();

  void setElasticsearchMaxRetryDuration(String value);

  /** Reads the user from the environment. */
  class UsernameFromEnvironment implements DefaultValueFactory<String> {
    @Override
    public @Nullable String create(PipelineOptions options) {
      return System.getenv(ElasticsearchConnection.USERNAME_ENV);
    }
  }

  /** Reads the password from the environment so it need not appear on a command line. */
  class PasswordFromEnvironment implements DefaultValueFactory<String> {
    @Override
    public @Nullable String create(PipelineOptions options) {
      return System.getenv(ElasticsearchConnection.PASSWORD_ENV);
    }
  }
}
