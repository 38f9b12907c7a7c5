package io.dqlite.client.jdbc;

import io.dqlite.client.leader.ConnectorConfig;
import io.dqlite.client.net.DefaultDialer;
import io.dqlite.client.net.Dialer;
import io.dqlite.client.net.tls.TlsDialer;
import io.dqlite.client.protocol.FrameReader;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * The connection properties a {@link Session} uses, read once from {@link DqliteProperty}.
 *
 * @param requestTimeout per request; zero means no limit
 * @param busyTimeout budget for retrying busy statements outside transactions; zero: no retry
 * @param transactionMode DEFERRED, IMMEDIATE or EXCLUSIVE
 * @param tracing OFF, DEBUG or INFO
 * @param statementCacheSize idle prepared statements a connection keeps for reuse
 * @param groupCommit whether auto-commit writes may be committed together ({@link GroupCommit})
 */
record Settings(
    Duration requestTimeout,
    Duration busyTimeout,
    String transactionMode,
    String tracing,
    int statementCacheSize,
    boolean groupCommit) {

  static Settings from(Properties props) throws SQLException {
    return new Settings(
        DqliteProperty.REQUEST_TIMEOUT.getMillis(props),
        DqliteProperty.BUSY_TIMEOUT.getMillis(props),
        DqliteProperty.TRANSACTION_MODE.getChoice(props),
        DqliteProperty.TRACING.getChoice(props),
        DqliteProperty.STATEMENT_CACHE_SIZE.getInt(props),
        DqliteProperty.GROUP_COMMIT.getChoice(props).equals("TRUE"));
  }

  Settings withRequestTimeout(Duration timeout) {
    return new Settings(
        timeout, busyTimeout, transactionMode, tracing, statementCacheSize, groupCommit);
  }

  /** The leader search configuration: go-dqlite's options, from the same properties. */
  static ConnectorConfig connectorConfig(Properties props) throws SQLException {
    Duration request = DqliteProperty.REQUEST_TIMEOUT.getMillis(props);
    Duration leader = DqliteProperty.LEADER_TIMEOUT.getMillis(props);
    return ConnectorConfig.builder()
        .dialTimeout(positive(DqliteProperty.CONNECT_TIMEOUT.getMillis(props)))
        .attemptTimeout(positive(DqliteProperty.ATTEMPT_TIMEOUT.getMillis(props)))
        .backoffFactor(positive(DqliteProperty.CONNECT_BACKOFF_FACTOR.getMillis(props)))
        .backoffCap(positive(DqliteProperty.CONNECT_BACKOFF_CAP.getMillis(props)))
        .retryLimit(DqliteProperty.CONNECT_RETRY_LIMIT.getInt(props))
        .connectTimeout(positive(leader))
        .requestTimeout(positive(request))
        .maxFrameSize(frameSize(props))
        .build();
  }

  /**
   * The dialer the properties ask for: mutual TLS from PEM files when {@code tlsCert}, {@code
   * tlsKey} and {@code tlsCa} are set, plain sockets when none is.
   *
   * @throws SQLException HY024 when only some are set, or a file cannot be used (named)
   */
  static Dialer dialer(Properties props) throws SQLException {
    String cert = DqliteProperty.TLS_CERT.get(props);
    String key = DqliteProperty.TLS_KEY.get(props);
    String ca = DqliteProperty.TLS_CA.get(props);
    if (cert == null && key == null && ca == null) {
      if (DqliteProperty.TLS_SERVER_NAME.get(props) != null) {
        throw invalidTls("tlsServerName is set but tlsCert, tlsKey and tlsCa are not", null);
      }
      return DefaultDialer.INSTANCE;
    }
    if (cert == null || key == null || ca == null) {
      throw invalidTls("TLS needs all of tlsCert, tlsKey and tlsCa", null);
    }
    try {
      return TlsDialer.fromPemFiles(
          Path.of(cert), Path.of(key), Path.of(ca), DqliteProperty.TLS_SERVER_NAME.get(props));
    } catch (IOException | IllegalArgumentException e) {
      throw invalidTls(e.getMessage(), e);
    }
  }

  private static SQLException invalidTls(String why, Throwable cause) {
    return new SQLException(
        "TLS connection properties: " + why,
        DqliteSqlState.INVALID_CONNECTION_PROPERTY.state(),
        cause);
  }

  private static int frameSize(Properties props) throws SQLException {
    int bytes = DqliteProperty.MAX_FRAME_SIZE.getInt(props);
    if (bytes < 8 || bytes > FrameReader.MAX_LIMIT) {
      throw new SQLException(
          "invalid value '"
              + bytes
              + "' for connection property maxFrameSize: expected 8 to "
              + FrameReader.MAX_LIMIT
              + " bytes",
          DqliteSqlState.INVALID_CONNECTION_PROPERTY.state());
    }
    return bytes;
  }

  /** ConnectorConfig wants positive durations; zero ("no limit") becomes a year. */
  private static Duration positive(Duration d) {
    return d.isZero() ? Duration.ofDays(365) : d;
  }
}
