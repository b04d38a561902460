package org.livemetrics.schemas.elasticsearch;

/** What the formats of the QoS, broadcast and stream tables share: their table name. */
abstract class TableDocuments<T> implements DocumentFormat<T> {
  private static final long serialVersionUID = 1L;

  private final String table;

  TableDocuments(String table) {
    this.table = table;
  }

  @Override
  public final String table() {
    return table;
  }
}
