package org.livemetrics.schemas.elasticsearch;

/**
 * What the formats of the QoS, broadcast and stream tables share: their table name and their index
 * template resource (read by {@link Documents#indexTemplate}).
 */
abstract class TableDocuments<T> implements DocumentFormat<T> {
  private static final long serialVersionUID = 1L;

  private final String table;
  private final String templateResource;

  TableDocuments(String table, String templateResource) {
    this.table = table;
    this.templateResource = templateResource;
  }

  @Override
  public final String table() {
    return table;
  }

  @Override
  public final String indexTemplate(String prefix) {
    return Documents.indexTemplate(templateResource, prefix);
  }
}
