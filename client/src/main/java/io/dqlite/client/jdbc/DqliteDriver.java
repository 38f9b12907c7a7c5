package io.dqlite.client.jdbc;

import io.dqlite.client.leader.InMemoryNodeStore;
import io.dqlite.client.leader.LeaderConnector;
import io.dqlite.client.leader.NodeStore;
import io.dqlite.client.net.Dialer;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The dqlite JDBC driver: {@code jdbc:dqlite://host1:9001,host2:9001/mydb}. Registered with {@link
 * DriverManager} when the class loads and through {@code META-INF/services}. URL forms are
 * described in {@link DqliteUrl}, properties in {@link DqliteProperty}; docs/jdbc.md has both.
 *
 * <p>Each connection searches the URL's nodes for the leader (go-dqlite's algorithm, in {@link
 * LeaderConnector}), opens the database there, and follows the leader when it moves.
 */
public final class DqliteDriver implements Driver {

  static final int MAJOR_VERSION = 0;
  static final int MINOR_VERSION = 1;

  static {
    try {
      DriverManager.registerDriver(new DqliteDriver());
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Connects to the leader of the cluster the URL names.
   *
   * @return null when the URL is not a {@code jdbc:dqlite:} URL, as JDBC requires
   * @throws SQLException 08001 when no leader answered within {@code leaderTimeout}; HY024 for a
   *     malformed URL or property
   */
  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    DqliteUrl parsed = DqliteUrl.parse(url, info);
    return open(url, parsed);
  }

  static DqliteConnection open(String url, DqliteUrl parsed) throws SQLException {
    return open(
        url,
        InMemoryNodeStore.of(parsed.addresses().toArray(String[]::new)),
        Settings.dialer(parsed.properties()),
        parsed.database(),
        parsed.properties(),
        WriterQueue.shared(parsed.addresses(), parsed.database()));
  }

  /**
   * Opens a connection that finds the leader among the nodes of {@code store} (read at every leader
   * search) and reaches them through {@code dialer}.
   *
   * @param url what {@link java.sql.DatabaseMetaData#getURL()} reports
   * @param props validated connection properties
   * @param writers the queue of the database's writers, used unless {@code writerQueue=false}
   */
  static DqliteConnection open(
      String url,
      NodeStore store,
      Dialer dialer,
      String database,
      Properties props,
      WriterQueue writers)
      throws SQLException {
    LeaderConnector connector =
        new LeaderConnector(
            store, Settings.connectorConfig(props).toBuilder().dialer(dialer).build());
    boolean queued = DqliteProperty.WRITER_QUEUE.getChoice(props).equals("TRUE");
    Settings settings = Settings.from(props);
    if (settings.groupCommit() && !queued) {
      throw new SQLException(
          "groupCommit=TRUE needs writerQueue=TRUE: groups form among the writers queued for"
              + " the database; set writerQueue=TRUE or groupCommit=FALSE",
          DqliteSqlState.INVALID_CONNECTION_PROPERTY.state());
    }
    Session session = new Session(connector, database, settings, queued ? writers : null);
    session.connect();
    return new DqliteConnection(url, session);
  }

  @Override
  public boolean acceptsURL(String url) {
    return DqliteUrl.accepts(url);
  }

  /** Every {@link DqliteProperty}, with the value the URL and {@code info} give it. */
  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
    Properties props = new Properties();
    if (info != null) {
      props.putAll(info);
    }
    if (url != null && acceptsURL(url)) {
      try {
        props = DqliteUrl.parse(url, info).properties();
      } catch (SQLException e) {
        // An incomplete URL still gets the list, with the values given so far.
      }
    }
    DqliteProperty[] all = DqliteProperty.values();
    DriverPropertyInfo[] infos = new DriverPropertyInfo[all.length];
    for (int i = 0; i < all.length; i++) {
      infos[i] = all[i].toPropertyInfo(props);
    }
    return infos;
  }

  @Override
  public int getMajorVersion() {
    return MAJOR_VERSION;
  }

  @Override
  public int getMinorVersion() {
    return MINOR_VERSION;
  }

  /** Not fully JDBC compliant: SQLite lacks parts of SQL-92 entry level the spec requires. */
  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException(
        "the driver logs through SLF4J, not java.util.logging");
  }
}
