package io.dqlite.client.jdbc;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Column names and types of a result. dqlite's result header carries only column names; types
 * travel with every row, so a column's type is the type of its value in the first row (or in the
 * current row where the first held NULL), mapped as {@link TypeNames} says; {@code Types.NULL}
 * ("NULL") when no row told. Declared types are available from {@code DatabaseMetaData.getColumns}.
 */
final class DqliteResultSetMetaData implements ResultSetMetaData, SelfWrapper {

  private final RowCursor cursor;

  DqliteResultSetMetaData(RowCursor cursor) {
    this.cursor = cursor;
  }

  private int check(int column) throws SQLException {
    int n = cursor.columns().size();
    if (column < 1 || column > n) {
      throw new SQLException(
          "column " + column + " is out of range: the result has " + n + " column(s)",
          DqliteSqlState.INVALID_DESCRIPTOR_INDEX.state());
    }
    return column - 1;
  }

  @Override
  public int getColumnCount() {
    return cursor.columns().size();
  }

  @Override
  public String getColumnLabel(int column) throws SQLException {
    return cursor.columns().get(check(column));
  }

  /** The label as SQLite reports it (the AS alias when there is one). */
  @Override
  public String getColumnName(int column) throws SQLException {
    return getColumnLabel(column);
  }

  @Override
  public int getColumnType(int column) throws SQLException {
    return cursor.sqlType(check(column));
  }

  @Override
  public String getColumnTypeName(int column) throws SQLException {
    return TypeNames.nameOf(getColumnType(column));
  }

  @Override
  public String getColumnClassName(int column) throws SQLException {
    return TypeNames.classNameOf(getColumnType(column));
  }

  @Override
  public boolean isAutoIncrement(int column) throws SQLException {
    check(column);
    return false;
  }

  @Override
  public boolean isCaseSensitive(int column) throws SQLException {
    int type = getColumnType(column);
    return type == Types.VARCHAR || type == Types.NULL;
  }

  @Override
  public boolean isSearchable(int column) throws SQLException {
    check(column);
    return true;
  }

  @Override
  public boolean isCurrency(int column) throws SQLException {
    check(column);
    return false;
  }

  @Override
  public int isNullable(int column) throws SQLException {
    check(column);
    return columnNullableUnknown;
  }

  @Override
  public boolean isSigned(int column) throws SQLException {
    int type = getColumnType(column);
    return type == Types.BIGINT || type == Types.DOUBLE;
  }

  @Override
  public int getColumnDisplaySize(int column) throws SQLException {
    return switch (getColumnType(column)) {
      case Types.BIGINT -> 20;
      case Types.DOUBLE -> 25;
      case Types.BOOLEAN -> 5;
      case Types.TIMESTAMP -> 35;
      default -> Integer.MAX_VALUE;
    };
  }

  @Override
  public int getPrecision(int column) throws SQLException {
    return switch (getColumnType(column)) {
      case Types.BIGINT -> 19;
      case Types.DOUBLE -> 17;
      case Types.BOOLEAN -> 1;
      default -> 0;
    };
  }

  @Override
  public int getScale(int column) throws SQLException {
    check(column);
    return 0;
  }

  @Override
  public String getSchemaName(int column) throws SQLException {
    check(column);
    return "";
  }

  @Override
  public String getTableName(int column) throws SQLException {
    check(column);
    return "";
  }

  @Override
  public String getCatalogName(int column) throws SQLException {
    check(column);
    return "";
  }

  @Override
  public boolean isReadOnly(int column) throws SQLException {
    check(column);
    return true;
  }

  @Override
  public boolean isWritable(int column) throws SQLException {
    check(column);
    return false;
  }

  @Override
  public boolean isDefinitelyWritable(int column) throws SQLException {
    check(column);
    return false;
  }
}
