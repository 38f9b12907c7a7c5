package io.dqlite.sidecar.app;

import io.dqlite.client.jdbc.DqliteDataSource;
import io.dqlite.client.jdbc.DqliteDriver;
import io.dqlite.client.leader.NodeStore;
import io.dqlite.client.net.Dialer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The JDBC driver bound to one {@link App}'s cluster: go-dqlite's {@code App.Driver()}. It takes
 * URLs {@code jdbc:dqlite-app:DATABASE[?property=value&...]} ({@link App#jdbcUrl}); its connections
 * find the leader through the App's cluster.yaml and reach nodes with the App's dialer (plain TCP,
 * TLS or external connection), like {@link App#open}. The properties are the JDBC driver's ({@code
 * docs/jdbc.md}), except the {@code tls*} files: the App's dialer already secures the connections.
 * It is not registered with {@link java.sql.DriverManager} (go-dqlite registers one {@code
 * dqlite-N} driver per App in {@code database/sql}, which never forgets it): hand it to what takes
 * a {@link Driver} (or use {@link App#open} for a {@code DataSource}).
 */
final class AppDriver implements Driver {

  static final String PREFIX = "jdbc:dqlite-app:";

  private final NodeStore store;
  private final Dialer dialer;

  /** One data source per database and properties, so a JVM's writers share one writer queue. */
  private final Map<String, DqliteDataSource> sources = new ConcurrentHashMap<>();

  AppDriver(NodeStore store, Dialer dialer) {
    this.store = store;
    this.dialer = dialer;
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    Target target = parse(url, info);
    DqliteDataSource source =
        sources.computeIfAbsent(
            target.database() + "?" + target.properties(),
            k -> {
              DqliteDataSource s = new DqliteDataSource(store, dialer, target.database());
              target.properties().forEach(s::setProperty);
              return s;
            });
    return source.getConnection();
  }

  /** The database and properties of a URL (its parameters win over {@code info}). */
  record Target(String database, Map<String, String> properties) {}

  /** Parses {@code jdbc:dqlite-app:DATABASE[?k=v&...]}: pure, table-tested. */
  static Target parse(String url, Properties info) throws SQLException {
    String rest = url.substring(PREFIX.length());
    int q = rest.indexOf('?');
    String database = q < 0 ? rest : rest.substring(0, q);
    if (database.isEmpty() || database.contains("/")) {
      throw new SQLException(
          "bad URL "
              + url
              + ": expected "
              + PREFIX
              + "DATABASE[?property=value&...] with a"
              + " database name without '/'",
          "08001");
    }
    Map<String, String> properties = new TreeMap<>();
    if (info != null) {
      info.stringPropertyNames().forEach(k -> properties.put(k, info.getProperty(k)));
    }
    if (q >= 0) {
      for (String pair : rest.substring(q + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new SQLException(
              "bad URL " + url + ": parameter '" + pair + "' is not property=value", "08001");
        }
        properties.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
      }
    }
    return new Target(database, properties);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  @Override
  public boolean acceptsURL(String url) {
    return url != null && url.startsWith(PREFIX);
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
    return new DqliteDriver().getPropertyInfo(null, info);
  }

  @Override
  public int getMajorVersion() {
    return new DqliteDriver().getMajorVersion();
  }

  @Override
  public int getMinorVersion() {
    return new DqliteDriver().getMinorVersion();
  }

  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("java.util.logging is not used: see SLF4J");
  }
}
