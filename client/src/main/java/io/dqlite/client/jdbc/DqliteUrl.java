package io.dqlite.client.jdbc;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A parsed {@code jdbc:dqlite:} URL. Two forms:
 *
 * <ul>
 *   <li>{@code jdbc:dqlite://host1:9001,[::1]:9002,@abstract/mydb?key=value&...}: one or more
 *       nodes, each {@code host:port}, {@code [ipv6]:port} or {@code @name} (an abstract unix
 *       socket, such as the sidecar's app socket {@code @dqlite}); then the database name.
 *   <li>{@code jdbc:dqlite:unix:/run/dqlite/app.sock?database=mydb}: one unix socket given by a
 *       file-system path (or {@code @name}); the database comes from the {@code database} property.
 * </ul>
 *
 * Query parameters are {@link DqliteProperty connection properties}, percent-decoded; an unknown
 * key is an error (it is usually a typo). They override the {@link Properties} passed alongside.
 *
 * @param addresses the node addresses, as the protocol layer dials them
 * @param database the database name (a file name in the node's data directory)
 * @param properties the effective properties: the given ones overridden by the URL's
 */
public record DqliteUrl(List<String> addresses, String database, Properties properties) {

  /** Every URL this driver handles starts with this. */
  public static final String PREFIX = "jdbc:dqlite:";

  private static final String HOSTS_PREFIX = PREFIX + "//";
  private static final String UNIX_PREFIX = PREFIX + "unix:";

  public DqliteUrl {
    addresses = List.copyOf(addresses);
  }

  /** Whether {@code url} is meant for this driver (it may still be malformed). */
  public static boolean accepts(String url) {
    return url != null && url.startsWith(PREFIX);
  }

  /**
   * Parses {@code url}, with {@code info} as defaults for the properties.
   *
   * @throws SQLException with SQLSTATE HY024 saying what is wrong and what form is expected
   */
  public static DqliteUrl parse(String url, Properties info) throws SQLException {
    if (!accepts(url)) {
      throw invalid(url, "it does not start with " + PREFIX);
    }
    Properties props = new Properties();
    if (info != null) {
      for (String name : info.stringPropertyNames()) {
        props.setProperty(name, info.getProperty(name));
      }
    }
    String rest;
    String query = null;
    int q = url.indexOf('?');
    if (q >= 0) {
      rest = url.substring(0, q);
      query = url.substring(q + 1);
    } else {
      rest = url;
    }
    if (query != null) {
      parseQuery(url, query, props);
    }
    List<String> addresses = new ArrayList<>();
    String database;
    if (rest.startsWith(HOSTS_PREFIX)) {
      String body = rest.substring(HOSTS_PREFIX.length());
      int slash = body.indexOf('/');
      String hosts = slash < 0 ? body : body.substring(0, slash);
      String path = slash < 0 ? "" : decode(url, body.substring(slash + 1));
      for (String host : hosts.split(",", -1)) {
        addresses.add(parseAddress(url, host.strip()));
      }
      if (!path.isEmpty()) {
        props.setProperty(DqliteProperty.DATABASE.key(), path);
      }
    } else if (rest.startsWith(UNIX_PREFIX)) {
      String path = decode(url, rest.substring(UNIX_PREFIX.length()));
      if (!path.startsWith("/") && !(path.startsWith("@") && path.length() > 1)) {
        throw invalid(url, "a unix socket is an absolute path or @abstract-name");
      }
      addresses.add(path);
    } else {
      throw invalid(url, "expected " + HOSTS_PREFIX + "host:port[,...]/db or " + UNIX_PREFIX);
    }
    database = props.getProperty(DqliteProperty.DATABASE.key());
    if (database == null || database.isBlank()) {
      throw invalid(
          url, "no database name: add /dbname after the hosts, or ?database=dbname for unix:");
    }
    if (database.contains("/")) {
      throw invalid(url, "the database name '" + database + "' must not contain '/'");
    }
    for (DqliteProperty p : DqliteProperty.values()) {
      p.validate(props);
    }
    return new DqliteUrl(addresses, database, props);
  }

  /**
   * The effective properties for a connection whose nodes come from elsewhere than a URL (a {@link
   * io.dqlite.client.leader.NodeStore}): {@code info} with {@code database} set, validated like a
   * URL's.
   *
   * @throws SQLException with SQLSTATE HY024 for a bad database name or property
   */
  static Properties properties(String database, Properties info) throws SQLException {
    Properties props = new Properties();
    if (info != null) {
      for (String name : info.stringPropertyNames()) {
        props.setProperty(name, info.getProperty(name));
      }
    }
    if (database == null || database.isBlank() || database.contains("/")) {
      throw new SQLException(
          "invalid database name '" + database + "': it must be non-empty and without '/'",
          DqliteSqlState.INVALID_CONNECTION_PROPERTY.state());
    }
    props.setProperty(DqliteProperty.DATABASE.key(), database);
    for (DqliteProperty p : DqliteProperty.values()) {
      p.validate(props);
    }
    return props;
  }

  private static void parseQuery(String url, String query, Properties props) throws SQLException {
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(url, eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(url, pair.substring(eq + 1));
      if (DqliteProperty.forKey(key).isEmpty()) {
        throw invalid(url, "unknown property '" + key + "' (known: " + knownKeys() + ")");
      }
      props.setProperty(key, value);
    }
  }

  private static String parseAddress(String url, String host) throws SQLException {
    if (host.isEmpty()) {
      throw invalid(url, "empty node address in the host list");
    }
    if (host.startsWith("@")) {
      if (host.length() == 1) {
        throw invalid(url, "an abstract unix socket needs a name after '@'");
      }
      return host;
    }
    String port;
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      if (close < 0 || close + 1 >= host.length() || host.charAt(close + 1) != ':') {
        throw invalid(url, "'" + host + "': an IPv6 node is written [address]:port");
      }
      port = host.substring(close + 2);
    } else {
      int colon = host.lastIndexOf(':');
      if (colon <= 0 || host.indexOf(':') != colon) {
        throw invalid(url, "'" + host + "': a node is written host:port (IPv6 as [address]:port)");
      }
      port = host.substring(colon + 1);
    }
    try {
      int p = Integer.parseInt(port);
      if (p < 1 || p > 65535) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw invalid(url, "'" + host + "': the port must be a number from 1 to 65535");
    }
    return host;
  }

  private static String decode(String url, String s) throws SQLException {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid(url, "bad percent-encoding in '" + s + "'");
    }
  }

  private static String knownKeys() {
    List<String> keys = new ArrayList<>();
    for (DqliteProperty p : DqliteProperty.values()) {
      keys.add(p.key());
    }
    return String.join(", ", keys);
  }

  private static SQLException invalid(String url, String why) {
    return new SQLException(
        "invalid dqlite JDBC URL '"
            + url
            + "': "
            + why
            + ". Forms: jdbc:dqlite://host1:9001,host2:9001/mydb[?key=value&...],"
            + " jdbc:dqlite://@abstract-socket/mydb, jdbc:dqlite:unix:/path.sock?database=mydb",
        DqliteSqlState.INVALID_CONNECTION_PROPERTY.state());
  }
}
