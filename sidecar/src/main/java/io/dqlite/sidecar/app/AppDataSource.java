package io.dqlite.sidecar.app;

import io.dqlite.client.NodeInfo;
import io.dqlite.client.NodeStore;
import io.dqlite.client.jdbc.DqliteDataSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The {@link DataSource} of {@link App#open}: go-dqlite's App-registered driver, which finds the
 * leader through the App's node store. Every {@link #getConnection()} takes the members from
 * cluster.yaml as they are then and hands them to the client's JDBC driver ({@link
 * DqliteDataSource}), so connections follow membership changes.
 */
final class AppDataSource implements DataSource {

  private final NodeStore store;
  private final String database;
  private volatile PrintWriter logWriter;
  private volatile int loginTimeout;

  AppDataSource(NodeStore store, String database) {
    this.store = store;
    this.database = database;
  }

  /** The JDBC URL for the members known now, e.g. {@code jdbc:dqlite://a:9001,b:9001/db}. */
  String url() throws SQLException {
    Set<String> addresses = new LinkedHashSet<>();
    try {
      for (NodeInfo node : store.get()) {
        addresses.add(node.address());
      }
    } catch (IOException e) {
      throw new SQLException("read the node store: " + e.getMessage(), "08001", e);
    }
    if (addresses.isEmpty()) {
      throw new SQLException("the node store is empty: no node to connect to", "08001");
    }
    return "jdbc:dqlite://" + String.join(",", addresses) + "/"
        + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public Connection getConnection() throws SQLException {
    return new DqliteDataSource(url()).getConnection();
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return getConnection();
  }

  @Override
  public PrintWriter getLogWriter() {
    return logWriter;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    this.logWriter = out;
  }

  @Override
  public void setLoginTimeout(int seconds) {
    this.loginTimeout = seconds;
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeout;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("the dqlite driver logs through SLF4J");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper for " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }
}
