package io.dqlite.client.jdbc;

import java.sql.SQLException;
import java.sql.Savepoint;

/** A savepoint set through {@link java.sql.Connection#setSavepoint}. */
final class DqliteSavepoint implements Savepoint {

  private final int id;
  private final String name;

  DqliteSavepoint(int id, String name) {
    this.id = id;
    this.name = name;
  }

  static DqliteSavepoint of(Savepoint savepoint) throws SQLException {
    if (savepoint instanceof DqliteSavepoint s) {
      return s;
    }
    throw new SQLException(
        "not a savepoint of this driver: " + savepoint,
        DqliteSqlState.INVALID_TRANSACTION_STATE.state());
  }

  /** The name as written in SQL: the given name quoted, or {@code jdbc_sp_<id>}. */
  String sqlName() {
    return name == null ? "jdbc_sp_" + id : "\"" + name.replace("\"", "\"\"") + "\"";
  }

  @Override
  public int getSavepointId() throws SQLException {
    if (name != null) {
      throw new SQLException("a named savepoint has no id", DqliteSqlState.GENERAL_ERROR.state());
    }
    return id;
  }

  @Override
  public String getSavepointName() throws SQLException {
    if (name == null) {
      throw new SQLException(
          "an unnamed savepoint has no name", DqliteSqlState.GENERAL_ERROR.state());
    }
    return name;
  }
}
