package io.dqlite.client.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} for dqlite: a URL plus connection properties. Each {@link #getConnection()}
 * opens a new connection to the current leader; put a pool (HikariCP) in front for reuse. dqlite
 * has no users: the user and password arguments are ignored.
 *
 * <pre>{@code
 * DqliteDataSource ds = new DqliteDataSource("jdbc:dqlite://db-0:9001,db-1:9001/app");
 * ds.setProperty(DqliteProperty.BUSY_TIMEOUT, "10000");
 * }</pre>
 */
public final class DqliteDataSource implements DataSource {

  private volatile String url;
  private final Properties properties = new Properties();
  private volatile PrintWriter logWriter;

  public DqliteDataSource() {}

  public DqliteDataSource(String url) {
    this.url = url;
  }

  public String getUrl() {
    return url;
  }

  /** The {@code jdbc:dqlite:} URL; setter form for bean-style configuration (pools, Spring). */
  public void setUrl(String url) {
    this.url = url;
  }

  /** Sets a connection property; URL parameters still win over it. */
  public void setProperty(DqliteProperty property, String value) {
    setProperty(property.key(), value);
  }

  public void setProperty(String key, String value) {
    synchronized (properties) {
      properties.setProperty(key, value);
    }
  }

  /** A copy of the properties set so far. */
  public Properties getProperties() {
    synchronized (properties) {
      Properties copy = new Properties();
      copy.putAll(properties);
      return copy;
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    String u = url;
    if (u == null) {
      throw new SQLException(
          "DqliteDataSource has no URL: call setUrl(\"jdbc:dqlite://host:port/db\")",
          DqliteSqlState.INVALID_CONNECTION_PROPERTY.state());
    }
    return DqliteDriver.open(u, DqliteUrl.parse(u, getProperties()));
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
    logWriter = out;
  }

  /** Sets {@code leaderTimeout}: how long getConnection searches for a leader. */
  @Override
  public void setLoginTimeout(int seconds) {
    setProperty(DqliteProperty.LEADER_TIMEOUT, Long.toString(seconds * 1000L));
  }

  @Override
  public int getLoginTimeout() {
    String ms = getProperties().getProperty(DqliteProperty.LEADER_TIMEOUT.key());
    return ms == null ? 0 : (int) (Long.parseLong(ms) / 1000);
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException(
        "the driver logs through SLF4J, not java.util.logging");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper for " + iface.getName(), "HY000");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }
}
