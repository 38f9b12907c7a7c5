package io.dqlite.client.jdbc;

import java.sql.SQLException;
import java.util.List;

/**
 * The rows behind a {@link DqliteResultSet}: streamed from a node, or held in memory (generated
 * keys, metadata, results drained early). Values are the Java values {@link
 * io.dqlite.client.protocol.Values} produces.
 */
interface RowCursor extends AutoCloseable {

  List<String> columns();

  /** Moves to the next row; false after the last one. */
  boolean next() throws SQLException;

  /** The value of column {@code i} (0-based) in the current row. */
  Object value(int i);

  /**
   * The {@link java.sql.Types} code of column {@code i}, from the value types the node sent: the
   * first row's type, or the current row's where the first row held NULL; {@code Types.NULL} when
   * no row told.
   */
  int sqlType(int i);

  /** Releases the rows; idempotent. */
  @Override
  void close() throws SQLException;
}
