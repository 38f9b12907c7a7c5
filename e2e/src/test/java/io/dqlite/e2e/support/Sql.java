package io.dqlite.e2e.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/** Short JDBC helpers over this project's driver. */
public final class Sql {

  static {
    try {
      Class.forName("io.dqlite.client.jdbc.DqliteDriver");
    } catch (ClassNotFoundException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Sql() {}

  public static Connection connect(String url) throws SQLException {
    return DriverManager.getConnection(url);
  }

  /** Runs statements in order on one connection. */
  public static void exec(String url, String... statements) throws SQLException {
    try (Connection c = connect(url);
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  /** Every {@code id} of a table. */
  public static Set<Long> ids(String url, String table) throws SQLException {
    Set<Long> ids = new HashSet<>();
    try (Connection c = connect(url);
        PreparedStatement ps = c.prepareStatement("SELECT id FROM " + table);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }

  /** The single text value of a query. */
  public static String text(String url, String query) throws SQLException {
    try (Connection c = connect(url);
        PreparedStatement ps = c.prepareStatement(query);
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
