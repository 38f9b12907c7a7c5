package io.dqlite.client.jdbc;

import io.dqlite.client.leader.LeaderConnector;
import io.dqlite.client.leader.NoLeaderException;
import io.dqlite.client.model.DqliteException;
import io.dqlite.client.protocol.ProtocolConnection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's link to the leader: one protocol connection with the database open, made lazily and
 * made again after a drop. Each new connection starts a new generation, so that statement ids
 * prepared on an older one are known to be gone. Also holds the streaming result set that occupies
 * the connection until it is read or closed.
 *
 * <p>Used by one thread at a time, like its session; {@link #cancel()} and {@link #current()} may
 * be called from any thread.
 */
final class LeaderLink {

  private static final Logger log = LoggerFactory.getLogger("io.dqlite.client.jdbc");

  private final LeaderConnector connector;
  private final String database;
  private volatile ProtocolConnection conn;
  private int db;
  private long generation;
  private StreamingCursor openCursor;
  private volatile boolean canceled;

  LeaderLink(LeaderConnector connector, String database) {
    this.connector = connector;
    this.database = database;
  }

  /** The open connection, or a new one to the current leader (a new generation). */
  ProtocolConnection connection() throws SQLException {
    ProtocolConnection c = conn;
    if (c != null && !c.isClosed()) {
      return c;
    }
    if (c != null) {
      drop("closed");
    }
    try {
      c = connector.connect();
    } catch (NoLeaderException e) {
      throw SqlErrors.create(
          DqliteSqlState.UNABLE_TO_CONNECT,
          e.getMessage()
              + ". Check that the nodes in the URL are up and form a cluster;"
              + " leaderTimeout sets how long to search",
          0,
          e);
    }
    try {
      db = c.open(database);
    } catch (DqliteException e) {
      c.close();
      throw SqlErrors.create(
          DqliteSqlState.UNABLE_TO_CONNECT,
          "open database '" + database + "' on " + c.address() + ": " + e.getMessage(),
          (int) e.code(),
          e);
    }
    generation++;
    conn = c;
    log.debug("connected to leader {} for database {}", c.address(), database);
    return c;
  }

  /** The connection as it is, possibly null or closed; never connects. */
  ProtocolConnection current() {
    return conn;
  }

  /** The database id on the current connection. */
  int db() {
    return db;
  }

  /** Changes whenever the connection is replaced. */
  long generation() {
    return generation;
  }

  /** The leader's address, or null while disconnected. */
  String leaderAddress() {
    ProtocolConnection c = conn;
    return c == null || c.isClosed() ? null : c.address();
  }

  /** Registers the streaming result set that holds the connection until read or closed. */
  void streaming(StreamingCursor cursor) {
    openCursor = cursor;
  }

  void released(StreamingCursor cursor) {
    if (openCursor == cursor) {
      openCursor = null;
    }
  }

  /** Whether a streaming result set still holds the connection. */
  boolean hasCursor() {
    return openCursor != null;
  }

  /** The streaming result set still holding the connection, if any, now no longer registered. */
  StreamingCursor takeCursor() {
    StreamingCursor cursor = openCursor;
    openCursor = null;
    return cursor;
  }

  /** Closes the connection; the next {@link #connection()} makes a new one. */
  void drop(String why) {
    ProtocolConnection c = conn;
    conn = null;
    openCursor = null;
    if (c != null) {
      c.close();
      log.debug("dropped connection to {}: {}", c.address(), why);
    }
  }

  /** Aborts the request in flight, from any thread, by closing the protocol connection. */
  void cancel() {
    ProtocolConnection c = conn;
    if (c != null) {
      canceled = true;
      c.close();
    }
  }

  /** Whether the request in flight was aborted by {@link #cancel()}. */
  boolean canceled() {
    return canceled;
  }

  /** Called before each request: a cancel applies to the request in flight only. */
  void clearCanceled() {
    canceled = false;
  }
}
