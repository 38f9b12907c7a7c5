package io.dqlite.client.jdbc;

import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * Every connection property the driver understands, with its default and description. The URL's
 * query string ({@code ?leaderTimeout=10000}) and the {@link Properties} given to {@link
 * java.sql.Driver#connect} both set them; the URL wins. {@link DqliteDriver#getPropertyInfo} is
 * built from this enum, and so is the table in {@code docs/jdbc.md}.
 *
 * <p>Durations are milliseconds; {@code 0} means "no limit" where the description says so.
 */
public enum DqliteProperty {
  /** The database name, for URL forms that carry no path (the unix-socket path form). */
  DATABASE("database", null, "Database name; the URL path segment sets it for host URLs."),
  CONNECT_TIMEOUT(
      "connectTimeout", "5000", "Milliseconds to open a socket to one node (TCP or unix)."),
  ATTEMPT_TIMEOUT(
      "attemptTimeout",
      "15000",
      "Milliseconds one node may take to answer a leader probe before the next node is tried"
          + " (go-dqlite WithAttemptTimeout)."),
  LEADER_TIMEOUT(
      "leaderTimeout",
      "30000",
      "Milliseconds to search the cluster for a leader, across all retries, when opening or"
          + " re-opening a connection; 0 = no limit."),
  CONNECT_BACKOFF_FACTOR(
      "connectBackoffFactor",
      "100",
      "Milliseconds of the first back-off between leader searches; doubles each round"
          + " (go-dqlite WithConnectionBackoffFactor)."),
  CONNECT_BACKOFF_CAP(
      "connectBackoffCap",
      "1000",
      "Largest back-off between leader searches, milliseconds (go-dqlite"
          + " WithConnectionBackoffCap)."),
  CONNECT_RETRY_LIMIT(
      "connectRetryLimit",
      "0",
      "Most leader-search rounds before giving up; 0 = bounded by leaderTimeout only"
          + " (go-dqlite WithRetryLimit)."),
  REQUEST_TIMEOUT(
      "requestTimeout",
      "60000",
      "Milliseconds one request (a statement, a batch of rows) may wait for the node's answer"
          + " before the connection is dropped; 0 = no limit. Statement.setQueryTimeout"
          + " lowers it per statement."),
  BUSY_TIMEOUT(
      "busyTimeout",
      "5000",
      "Milliseconds during which a statement run outside a transaction is retried, with"
          + " back-off, while the database is busy or locked (SQLITE_BUSY, SQLITE_LOCKED); 0"
          + " surfaces busy errors at once. Statements inside a transaction are never retried."),
  TRANSACTION_MODE(
      "transactionMode",
      "IMMEDIATE",
      "How setAutoCommit(false) begins the transactions of a connection that is not read-only:"
          + " BEGIN IMMEDIATE takes the writer turn and SQLite's write lock at BEGIN, so a"
          + " transaction that reads, then writes cannot fail on a stale snapshot (SQLITE_BUSY"
          + " _SNAPSHOT); DEFERRED takes them at the first write (cheaper for transactions that"
          + " mostly only read, but a write after a read may fail with 55006 and need the whole"
          + " transaction retried); EXCLUSIVE as IMMEDIATE. Read-only connections"
          + " (setReadOnly(true)) always begin DEFERRED.",
      "DEFERRED",
      "IMMEDIATE",
      "EXCLUSIVE"),
  WRITER_QUEUE(
      "writerQueue",
      "TRUE",
      "Queue the writers of this JVM for a database, in arrival order: a write waits (at most"
          + " busyTimeout) for the transactions of other connections with the same nodes and"
          + " database to end, instead of racing them for SQLite's write lock and polling while"
          + " busy. FALSE: every writer polls.",
      "TRUE",
      "FALSE"),
  GROUP_COMMIT(
      "groupCommit",
      "FALSE",
      "Commit the auto-commit INSERT, UPDATE, DELETE and REPLACE statements that queue at the"
          + " same time in the writer queue as one transaction, run on one of their connections:"
          + " one raft round for all of them. Each statement keeps its own update count,"
          + " generated key and error. Needs writerQueue=TRUE; see docs/jdbc.md for what a"
          + " statement run on another connection cannot see.",
      "TRUE",
      "FALSE"),
  MAX_FRAME_SIZE(
      "maxFrameSize",
      "1073741824",
      "Largest response body accepted from a node, in bytes (1 GiB by default: any row SQLite can"
          + " produce). A bigger answer is refused before it is read, with SQLSTATE 54000, and"
          + " the connection is dropped. Lower it to bound the memory a misbehaving node can make"
          + " the application hold; at most 2147483631."),
  STATEMENT_CACHE_SIZE(
      "statementCacheSize",
      "32",
      "Prepared statements a connection keeps on the leader after they are closed, by SQL text:"
          + " preparing the same SQL again then costs no PREPARE request and closing it no"
          + " FINALIZE. Writes are kept, and queries the node ran to their end (one closed"
          + " before its last row is finalized). 0 = finalize at close."),
  TLS_CERT(
      "tlsCert",
      null,
      "PEM file of the client certificate (chain, leaf first) for mutual TLS to the nodes, as"
          + " go-dqlite's SimpleDialTLSConfig; with tlsKey and tlsCa. Unset: plain TCP. The files"
          + " are read again for every new connection, so rotated certificates are picked up."),
  TLS_KEY("tlsKey", null, "PEM file of the client certificate's unencrypted private key."),
  TLS_CA(
      "tlsCa",
      null,
      "PEM file of the authorities a node's certificate must chain to (no system roots)."),
  TLS_SERVER_NAME(
      "tlsServerName",
      null,
      "DNS name a node's certificate must carry; unset: the first DNS name of the client"
          + " certificate, as go-dqlite."),
  TRACING(
      "tracing",
      "OFF",
      "Log every statement and its duration through SLF4J (logger io.dqlite.client.jdbc) at"
          + " this level (go-dqlite WithTracing).",
      "OFF",
      "DEBUG",
      "INFO");

  private final String key;
  private final String defaultValue;
  private final String description;
  private final String[] choices;

  DqliteProperty(String key, String defaultValue, String description, String... choices) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
    this.choices = choices;
  }

  /** The name used in URLs and {@link Properties}. */
  public String key() {
    return key;
  }

  /** The default, as text; {@code null} when there is none. */
  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /** The accepted values, or an empty array when any value of the right kind is accepted. */
  public String[] choices() {
    return choices.clone();
  }

  /** The property with this key, matched exactly (keys are case-sensitive, as in pgjdbc). */
  public static Optional<DqliteProperty> forKey(String key) {
    return Arrays.stream(values()).filter(p -> p.key.equals(key)).findFirst();
  }

  /** The raw value in {@code props}, or the default. */
  public String get(Properties props) {
    String value = props.getProperty(key);
    return value == null ? defaultValue : value;
  }

  /** The value as a non-negative integer. */
  public int getInt(Properties props) throws SQLException {
    String value = get(props);
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed < 0) {
        throw new NumberFormatException("negative");
      }
      return parsed;
    } catch (NumberFormatException | NullPointerException e) {
      throw invalid(value, "a non-negative integer");
    }
  }

  /** The value as a duration in milliseconds; {@link Duration#ZERO} stands for "no limit". */
  public Duration getMillis(Properties props) throws SQLException {
    return Duration.ofMillis(getInt(props));
  }

  /** The value as one of {@link #choices()}, upper-cased. */
  public String getChoice(Properties props) throws SQLException {
    String value = get(props);
    String upper = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
    for (String choice : choices) {
      if (choice.equals(upper)) {
        return choice;
      }
    }
    throw invalid(value, "one of " + String.join(", ", choices));
  }

  /** Checks that the value in {@code props} parses; the URL parser calls it for every key. */
  void validate(Properties props) throws SQLException {
    if (choices.length > 0) {
      getChoice(props);
    } else if (!isText()) {
      getInt(props);
    }
  }

  /** Whether the value is free text (a name, a file) rather than a number or a choice. */
  private boolean isText() {
    return this == DATABASE
        || this == TLS_CERT
        || this == TLS_KEY
        || this == TLS_CA
        || this == TLS_SERVER_NAME;
  }

  /** This property as {@link java.sql.Driver#getPropertyInfo} reports it. */
  public DriverPropertyInfo toPropertyInfo(Properties props) {
    DriverPropertyInfo info = new DriverPropertyInfo(key, get(props));
    info.description = description;
    info.required = this == DATABASE;
    info.choices = choices.length == 0 ? null : choices.clone();
    return info;
  }

  private SQLException invalid(String value, String expected) {
    return new SQLException(
        "invalid value '"
            + value
            + "' for connection property "
            + key
            + ": expected "
            + expected
            + " ("
            + description
            + ")",
        DqliteSqlState.INVALID_CONNECTION_PROPERTY.state());
  }
}
