package io.dqlite.client.jdbc;

import java.sql.Types;
import java.util.List;

/** Rows held in memory, with column types given by the creator or taken from the values. */
final class ListCursor implements RowCursor {

  private final List<String> columns;
  private final int[] types;
  private final List<Object[]> rows;
  private int position = -1;
  private boolean closed;

  /**
   * @param columns the column labels
   * @param types {@link Types} codes per column, or null to derive them from the values
   * @param rows the rows; each array as long as {@code columns}
   */
  ListCursor(List<String> columns, int[] types, List<Object[]> rows) {
    this.columns = List.copyOf(columns);
    this.rows = rows;
    this.types = types != null ? types.clone() : deriveTypes(columns.size(), rows);
  }

  private static int[] deriveTypes(int n, List<Object[]> rows) {
    int[] types = new int[n];
    for (int i = 0; i < n; i++) {
      types[i] = Types.NULL;
      for (Object[] row : rows) {
        if (row[i] != null) {
          types[i] = TypeNames.sqlTypeOf(row[i]);
          break;
        }
      }
    }
    return types;
  }

  @Override
  public List<String> columns() {
    return columns;
  }

  @Override
  public boolean next() {
    if (closed || position >= rows.size()) {
      return false;
    }
    position++;
    return position < rows.size();
  }

  @Override
  public Object value(int i) {
    return rows.get(position)[i];
  }

  @Override
  public int sqlType(int i) {
    return types[i];
  }

  /** Whether the cursor is before the first row, for ResultSet.isBeforeFirst. */
  boolean beforeFirst() {
    return position < 0 && !rows.isEmpty();
  }

  @Override
  public void close() {
    closed = true;
  }
}
