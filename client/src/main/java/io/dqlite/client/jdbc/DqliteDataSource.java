package io.dqlite.client.jdbc;

import io.dqlite.client.leader.NodeStore;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.net.Dialer;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
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
 *
 * <p>Where nodes are not reached by plain TCP or unix sockets (TLS, a connection the application
 * makes itself), or the member list changes at run time, give the nodes and the transport in code
 * instead of a URL: {@link #DqliteDataSource(NodeStore, Dialer, String)}. The sidecar's {@code
 * App.open} does this with its cluster.yaml and its TLS dialer.
 */
public final class DqliteDataSource implements DataSource, SelfWrapper {

  private volatile String url;
  private final NodeStore nodeStore;
  private final Dialer dialer;
  private final String database;

  /** A node-store data source's writers queue here; URL connections share a queue per URL. */
  private final WriterQueue writers;

  private final Properties properties = new Properties();
  private volatile PrintWriter logWriter;

  public DqliteDataSource() {
    this((String) null);
  }

  public DqliteDataSource(String url) {
    this.url = url;
    this.nodeStore = null;
    this.dialer = null;
    this.database = null;
    this.writers = null;
  }

  /**
   * A data source whose connections find the leader among the nodes of {@code nodeStore}, read
   * afresh at every leader search (so it follows membership changes), and reach every node through
   * {@code dialer} (e.g. a TLS dialer). Properties are set with {@link #setProperty}; there is no
   * URL.
   *
   * @param database the database name, without '/'
   */
  public DqliteDataSource(NodeStore nodeStore, Dialer dialer, String database) {
    this.nodeStore = Objects.requireNonNull(nodeStore, "nodeStore");
    this.dialer = Objects.requireNonNull(dialer, "dialer");
    this.database = Objects.requireNonNull(database, "database");
    this.url = null;
    this.writers = new WriterQueue("database " + database + " of a node-store data source");
  }

  /** The URL; for a data source built from a node store, a description of its current nodes. */
  public String getUrl() {
    return nodeStore == null ? url : describeStore();
  }

  /**
   * The {@code jdbc:dqlite:} URL; setter form for bean-style configuration (pools, Spring).
   *
   * @throws IllegalStateException on a data source built from a node store
   */
  public void setUrl(String url) {
    if (nodeStore != null) {
      throw new IllegalStateException(
          "this DqliteDataSource takes its nodes from a NodeStore; it has no URL to set");
    }
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
    if (nodeStore != null) {
      Properties props = DqliteUrl.properties(database, getProperties());
      if (DqliteProperty.TLS_CERT.get(props) != null) {
        throw new SQLException(
            "the tls* properties apply to URL connections; this data source dials through the"
                + " Dialer it was built with (give it a TlsDialer instead)",
            DqliteSqlState.INVALID_CONNECTION_PROPERTY.state());
      }
      return DqliteDriver.open(describeStore(), nodeStore, dialer, database, props, writers);
    }
    String u = url;
    if (u == null) {
      throw new SQLException(
          "DqliteDataSource has no URL: call setUrl(\"jdbc:dqlite://host:port/db\")",
          DqliteSqlState.INVALID_CONNECTION_PROPERTY.state());
    }
    return DqliteDriver.open(u, DqliteUrl.parse(u, getProperties()));
  }

  /** {@code jdbc:dqlite://a:9001,b:9001/db} for the nodes in the store now, for reports only. */
  private String describeStore() {
    Set<String> addresses = new LinkedHashSet<>();
    try {
      for (NodeInfo node : nodeStore.get()) {
        addresses.add(node.address());
      }
    } catch (IOException e) {
      addresses.add("(node store unreadable: " + e.getMessage() + ")");
    }
    return DqliteUrl.PREFIX + "//" + String.join(",", addresses) + "/" + database;
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
}
