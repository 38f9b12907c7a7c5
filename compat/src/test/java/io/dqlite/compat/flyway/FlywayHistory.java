package io.dqlite.compat.flyway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** What Flyway recorded in a database: its history table, as both Flyway suites check it. */
final class FlywayHistory {

  private FlywayHistory() {}

  /** "version ok|failed" per row of the history table, in installation order. */
  static List<String> of(String jdbcUrl) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT version, success FROM flyway_schema_history ORDER BY installed_rank")) {
      while (rs.next()) {
        rows.add(rs.getString(1) + (rs.getInt(2) == 1 ? " ok" : " failed"));
      }
    }
    return rows;
  }
}
