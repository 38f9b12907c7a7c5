package io.dqlite.client.jdbc;

import io.dqlite.client.jdbc.SqlScript.Kind;
import io.dqlite.client.leader.LeaderConnector;
import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.DqliteTimeoutException;
import io.dqlite.client.model.ErrorCodes;
import io.dqlite.client.protocol.ExecResult;
import io.dqlite.client.protocol.ProtocolConnection;
import io.dqlite.client.protocol.StatementInfo;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JDBC connection's hold on the cluster: one protocol connection to the leader with the database
 * open, replaced when the leader changes, and the transaction state the driver tracks.
 *
 * <p>Failure rules (documented in docs/jdbc.md):
 *
 * <ul>
 *   <li>Leadership lost or connection broken, no transaction open: the connection is dropped and
 *       the next statement reconnects through the {@link LeaderConnector}. The failed statement is
 *       retried once, on the new leader, only when its failure proves it was not applied: the node
 *       answered "not leader" (libdqlite checks leadership before running anything), or refused it
 *       while leadership moved ({@link SqlErrors#isLeaderChangeRefusal}: raft's code 7 leaking out
 *       of libdqlite 1.11.1's barrier, "no database opened"), the statement only reads, or it is a
 *       BEGIN. Otherwise the outcome is unknown: SQLSTATE 08007.
 *   <li>The same inside a transaction: the transaction died with the old connection; SQLSTATE
 *       40001, nothing of it was applied (except a COMMIT that failed in flight: 08007; a COMMIT
 *       refused before it ran is 40001, since dqlite replicates a transaction only at commit). A
 *       transaction that held only the driver's lazy BEGIN is begun again on the new leader. The
 *       rules live in {@link TransactionState}.
 *   <li>Busy/locked outside a transaction: retried with jittered back-off for {@code busyTimeout};
 *       inside a transaction: reported at once (55006), since only the whole transaction can be
 *       retried safely.
 *   <li>Writers of this JVM queue for the database in the {@link WriterQueue} (unless {@code
 *       writerQueue=false}): a statement that writes waits its turn before it is sent and keeps it
 *       until its transaction ends (an auto-commit write: until it completed). Not getting the turn
 *       within {@code busyTimeout} is a busy error (55006).
 *   <li>With {@code groupCommit=true}, auto-commit INSERT/UPDATE/DELETE/REPLACE statements that
 *       queue at the same time run as one transaction on one of their connections ({@link
 *       GroupCommit}, whose rules say what each write gets when the group fails).
 * </ul>
 *
 * <p>Its parts: the connection itself is the {@link LeaderLink}; what a failure is reported as is
 * {@link FailoverErrors}; group commits run through the {@link GroupCommitRunner}; prepared
 * statements are kept in a {@link StatementCache}. This class holds the rules above that tie them
 * to the transaction state.
 *
 * <p>Not thread-safe, like the JDBC connection that owns it; only {@link #cancel()} may be called
 * from another thread.
 */
final class Session implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger("io.dqlite.client.jdbc");

  // The driver's own statements, classified once rather than for every transaction.
  static final SqlScript.Statement COMMIT = SqlScript.split("COMMIT").get(0);
  private static final SqlScript.Statement ROLLBACK = SqlScript.split("ROLLBACK").get(0);
  private static final SqlScript.Statement PING = SqlScript.split("SELECT 1").get(0);
  private static final SqlScript.Statement BEGIN_DEFERRED =
      SqlScript.split("BEGIN DEFERRED").get(0);
  static final SqlScript.Statement BEGIN_IMMEDIATE = SqlScript.split("BEGIN IMMEDIATE").get(0);
  private static final SqlScript.Statement BEGIN_EXCLUSIVE =
      SqlScript.split("BEGIN EXCLUSIVE").get(0);

  private static SqlScript.Statement begin(String mode) {
    return switch (mode) {
      case "IMMEDIATE" -> BEGIN_IMMEDIATE;
      case "EXCLUSIVE" -> BEGIN_EXCLUSIVE;
      default -> BEGIN_DEFERRED;
    };
  }

  /** One request on the current protocol connection. */
  @FunctionalInterface
  interface Request<T> {
    /**
     * @param generation changes whenever the protocol connection is replaced, so prepared statement
     *     ids of an older generation are known to be gone
     */
    T run(ProtocolConnection conn, int db, long generation) throws DqliteException;
  }

  private final LeaderLink link;
  private final String database;
  private Settings settings;
  private final TransactionState tx = new TransactionState();
  private final WriterQueue.Turn writerTurn;
  private final StatementCache<Prepared> statements;
  private final GroupCommitRunner groupRunner = new GroupCommitRunner(this);

  private volatile boolean closed; // volatile: abandon() runs on the cleaner's thread

  /** setReadOnly(true): transactions begin DEFERRED and never wait for the writer turn. */
  private boolean readOnly;

  /** The connection ran a statement that changed its own state: it stays out of group commits. */
  private boolean privateState;

  /**
   * @param writers the queue this connection's writers wait in, or null for none
   */
  Session(LeaderConnector connector, String database, Settings settings, WriterQueue writers) {
    this.link = new LeaderLink(connector, database);
    this.database = database;
    this.settings = settings;
    this.writerTurn = new WriterQueue.Turn(writers);
    this.statements = new StatementCache<>(settings.statementCacheSize());
  }

  /** Connects now, so that opening a JDBC connection fails fast when no leader is reachable. */
  void connect() throws SQLException {
    connection();
  }

  Settings settings() {
    return settings;
  }

  void setSettings(Settings settings) {
    this.settings = settings;
  }

  String database() {
    return database;
  }

  /** The leader's address, or null while disconnected. */
  String leaderAddress() {
    return link.leaderAddress();
  }

  boolean autoCommit() {
    return tx.autoCommit();
  }

  /** Takes effect at the next BEGIN the driver sends. */
  void setReadOnly(boolean value) {
    readOnly = value;
  }

  /** Whether a transaction is open on the server, as far as the driver can tell. */
  boolean inTransaction() {
    return tx.open();
  }

  void setAutoCommit(boolean value) throws SQLException {
    if (value && !tx.autoCommit() && (tx.open() || tx.aborted())) {
      commit();
    }
    tx.setAutoCommit(value);
  }

  void commit() throws SQLException {
    checkOpen();
    if (tx.aborted()) {
      tx.abortReported();
      throw SqlErrors.create(
          DqliteSqlState.SERIALIZATION_FAILURE,
          "commit failed: the transaction had already been rolled back by a leadership change or"
              + " a broken connection; nothing of it was applied. Retry the whole transaction",
          0,
          null);
    }
    if (!tx.open()) {
      writerTurn.endUnless(tx.open());
      return;
    }
    executeOwn(COMMIT);
  }

  /** Rolls back the open transaction, if any; a transaction lost with its connection is gone. */
  void rollback() throws SQLException {
    checkOpen();
    if (!tx.open()) {
      tx.rolledBack();
      writerTurn.endUnless(tx.open());
      return;
    }
    try {
      executeOwn(ROLLBACK);
    } catch (SQLException e) {
      tx.rolledBack();
      writerTurn.endUnless(tx.open());
      if (DqliteSqlState.SERIALIZATION_FAILURE.state().equals(e.getSQLState())) {
        return; // the transaction died with its connection: rolled back already
      }
      if (e.getMessage() != null && e.getMessage().contains("no transaction is active")) {
        return;
      }
      throw e;
    }
  }

  /**
   * Runs {@code request} for {@code statement}: begins the transaction first in manual-commit mode,
   * applies the retry rules above, and tracks BEGIN/COMMIT/ROLLBACK/SAVEPOINT.
   *
   * @param timeout the statement's query timeout, or null for the connection's request timeout
   */
  <T> T execute(SqlScript.Statement statement, Duration timeout, Request<T> request)
      throws SQLException {
    return execute(statement, timeout, request, null);
  }

  /**
   * The request of a query sent in the same write as the driver's lazy BEGIN, when the query is the
   * first statement of a transaction: one round trip for both.
   */
  @FunctionalInterface
  interface AfterBegin<T> {
    /**
     * @param beginSql the BEGIN to send ahead of the query
     * @param begun to run once the BEGIN succeeded, before the query's answer is read
     */
    Request<T> request(String beginSql, Runnable begun);
  }

  /**
   * As {@link #execute(SqlScript.Statement, Duration, Request)}; a read that begins a transaction
   * is sent through {@code afterBegin} (when not null), right behind its BEGIN.
   */
  <T> T execute(
      SqlScript.Statement statement, Duration timeout, Request<T> request, AfterBegin<T> afterBegin)
      throws SQLException {
    checkOpen();
    if (tx.aborted() && statement.kind() != Kind.ROLLBACK) {
      throw SqlErrors.create(
          DqliteSqlState.SERIALIZATION_FAILURE,
          "the current transaction was rolled back by a leadership change or a broken connection:"
              + " call rollback() and retry the whole transaction",
          0,
          null);
    }
    if (tx.aborted()) {
      tx.rolledBack();
      writerTurn.endUnless(tx.open());
      return null; // a ROLLBACK of a transaction that is already gone
    }
    if (!privateState && statement.sessionState()) {
      privateState = true;
    }
    try {
      return executeInTurn(statement, timeout, request, afterBegin);
    } finally {
      writerTurn.endUnless(tx.open());
    }
  }

  /**
   * Whether {@code statement} may run in a {@link GroupCommit}: {@code groupCommit} is on, it is a
   * plain INSERT, UPDATE, DELETE or REPLACE in auto-commit mode with no transaction open, and this
   * connection never changed its own state (a PRAGMA assignment, ATTACH, a TEMP object), so that
   * running it on another connection of the group gives the same result; and no other connection of
   * this thread holds the writer turn (the write then fails alone, at once, instead of failing the
   * group it would lead).
   */
  boolean groupable(SqlScript.Statement statement) {
    return settings.groupCommit()
        && writerTurn.group() != null
        && statement.kind() == Kind.UPDATE
        && statement.dml()
        && !statement.returning()
        && tx.autoCommit()
        && !tx.open()
        && !tx.aborted()
        && !privateState
        && !writerTurn.heldByAnotherConnectionOfThisThread();
  }

  /** Runs a {@link #groupable} write in a group commit, perhaps on another connection. */
  ExecResult writeInGroup(GroupCommit.Write write) throws SQLException {
    checkOpen();
    return writerTurn.group().submit(write, groupRunner::run, settings.busyTimeout());
  }

  /** Runs one of the driver's own parameterless statements (BEGIN, COMMIT, ROLLBACK). */
  void executeOwn(SqlScript.Statement statement) throws SQLException {
    execute(statement, null, (c, d, g) -> c.execSql(d, statement.sql(), null));
  }

  /** A failed group's transaction is gone: the turn goes to the next writer. */
  void transactionAbandoned() {
    tx.rolledBack();
    writerTurn.endUnless(false);
  }

  private <T> T executeInTurn(
      SqlScript.Statement statement, Duration timeout, Request<T> request, AfterBegin<T> afterBegin)
      throws SQLException {
    for (boolean restarted = false; ; restarted = true) {
      Request<T> send = request;
      if (tx.needsLazyBegin(statement.kind())) {
        SqlScript.Statement begin =
            begin(TransactionState.beginMode(settings.transactionMode(), readOnly));
        // BEGIN IMMEDIATE/EXCLUSIVE take the writer turn and the write lock before the first
        // read, so the transaction's snapshot cannot go stale before it writes; a DEFERRED one
        // (read-only connections, transactionMode=DEFERRED) waits for nothing, and takes the
        // turn at its first write.
        writerTurn.await(begin, settings.busyTimeout());
        if (afterBegin != null && statement.readOnly()) {
          // A read may travel with the BEGIN: were the BEGIN refused, the read would have run
          // outside the transaction, which changes nothing, and its answer is dropped. A busy
          // BEGIN is retried with its read, as a BEGIN alone is (nothing is open yet).
          send = afterBegin.request(begin.sql(), tx::begunLazily);
        } else {
          run(begin, null, (c, d, g) -> c.execSql(d, begin.sql(), null));
          tx.begunLazily();
        }
      }
      writerTurn.await(statement, settings.busyTimeout());
      try {
        return run(statement, timeout, send);
      } catch (EmptyTransactionLost lost) {
        if (restarted) {
          throw lost.failure;
        }
        // Only the driver's own BEGIN and this statement were lost, and nothing of an
        // uncommitted transaction is applied: begin again on the new leader and run it there.
        log.debug("transaction lost before its first statement completed; starting it again");
      }
    }
  }

  /** The transaction died while it held nothing but the driver's lazy BEGIN. */
  private static final class EmptyTransactionLost extends SQLException {
    private static final long serialVersionUID = 1L;
    private final transient SQLException failure;

    EmptyTransactionLost(SQLException failure) {
      super(failure.getMessage(), failure.getSQLState(), failure.getErrorCode(), failure);
      this.failure = failure;
    }
  }

  private <T> T run(SqlScript.Statement statement, Duration timeout, Request<T> request)
      throws SQLException {
    long busyDeadline = System.nanoTime() + settings.busyTimeout().toNanos();
    boolean retried = false;
    for (int attempt = 0; ; attempt++) {
      ProtocolConnection c = connection();
      long start = System.nanoTime();
      try {
        c.setRequestTimeout(FailoverErrors.effectiveTimeout(settings.requestTimeout(), timeout));
        link.clearCanceled();
        T result = request.run(c, link.db(), link.generation());
        trace(statement, c, start, null);
        tx.completed(statement);
        return result;
      } catch (DqliteException e) {
        trace(statement, c, start, e);
        boolean refused = SqlErrors.isLeaderChangeRefusal(e.code(), e.getMessage());
        if (e.isConnectionBroken() || c.isClosed() || refused) {
          boolean notApplied =
              refused
                  || e.code() == ErrorCodes.SQLITE_IOERR_NOT_LEADER
                  || e.code() == ErrorCodes.SQLITE_IOERR_NOT_LEADER_LEGACY;
          boolean timedOut = link.canceled() || e instanceof DqliteTimeoutException;
          link.drop(e.getMessage());
          if (SqlErrors.isUnreadableAnswer(e)) {
            // Asking again would get the same answer: no restart, no retry.
            throw SqlErrors.unreadableAnswer(
                e, statement.sql(), tx.lost(statement.kind(), true, false));
          }
          switch (tx.lost(statement.kind(), timedOut, notApplied)) {
            case RESTART -> throw new EmptyTransactionLost(transactionLost(statement, e, false));
            case ROLLED_BACK -> throw transactionLost(statement, e, false);
            case COMMIT_UNKNOWN -> throw transactionLost(statement, e, true);
            case NONE -> {}
          }
          // Nothing was applied when the node refused as not leader, when the statement only
          // reads, or when it was a BEGIN (which changes nothing by itself).
          boolean harmless = notApplied || statement.readOnly() || statement.kind() == Kind.BEGIN;
          if (!retried && harmless && !timedOut) {
            retried = true;
            log.debug(
                "retrying on the new leader, the statement was not applied: {}", e.getMessage());
            continue;
          }
          throw failure(statement, e);
        }
        if (e.isBusy() && !tx.open() && System.nanoTime() < busyDeadline) {
          FailoverErrors.backOff(attempt);
          continue;
        }
        throw SqlErrors.from(e, statement.sql());
      } catch (IllegalArgumentException | IllegalStateException e) {
        // The protocol layer refused the request before sending it (e.g. over 255 parameters).
        throw new SQLException(
            e.getMessage() + " (statement: " + SqlErrors.abbreviate(statement.sql()) + ")",
            DqliteSqlState.DATA_EXCEPTION.state(),
            e);
      }
    }
  }

  /** A statement {@code sql} prepared on the connection of {@code generation}. */
  record Prepared(String sql, StatementInfo info, long generation) {}

  /**
   * Prepares {@code sql} on the current leader, or takes it from the statement cache; no
   * transaction is begun for it.
   */
  Prepared prepare(SqlScript.Statement statement) throws SQLException {
    checkOpen();
    connection(); // a reconnect empties the cache first
    Prepared cached = statements.take(statement.sql());
    if (cached != null) {
      return cached;
    }
    SqlScript.Statement probe = new SqlScript.Statement(statement.sql(), Kind.QUERY, null, false);
    return run(probe, null, (c, d, g) -> prepare(c, d, g, statement));
  }

  /** Prepares {@code statement} on {@code conn}, the connection of {@code generation}. */
  static Prepared prepare(
      ProtocolConnection conn, int db, long generation, SqlScript.Statement statement)
      throws DqliteException {
    return new Prepared(statement.sql(), conn.prepare(db, statement.sql()), generation);
  }

  /**
   * Gives back a statement that is no longer used: kept in the statement cache, or finalized if its
   * connection is still the current one; best effort.
   *
   * <p>A query whose rows were interrupted before their end is finalized rather than kept:
   * libdqlite leaves it mid-step, holding its read snapshot, until it runs again or is finalized
   * ({@link ProtocolConnection#midStep}). A query the node ran to its end is kept like a write: the
   * next run binds (which resets it) and queries it again with no PREPARE request.
   */
  void finalizeStatement(Prepared prepared) {
    ProtocolConnection c = link.current();
    if (closed
        || prepared == null
        || c == null
        || c.isClosed()
        || prepared.generation() != link.generation()) {
      return;
    }
    List<Prepared> unused =
        c.midStep(prepared.info().id())
            ? List.of(prepared)
            : statements.offer(prepared.sql(), prepared);
    for (Prepared p : unused) {
      try {
        connection();
        c.finalizeStatement(link.db(), p.info().id());
      } catch (DqliteException | SQLException | RuntimeException e) {
        log.debug("finalize statement on {}: {}", c.address(), e.getMessage());
      }
    }
  }

  /**
   * {@code last_insert_rowid()} of this session's node connection when the driver knows it without
   * asking (see {@link ProtocolConnection#lastInsertRowid()}), or null: then the node is asked.
   * Null too for a transaction that must first report its loss.
   */
  Long knownLastInsertRowid() {
    ProtocolConnection c = link.current();
    if (closed || tx.aborted() || c == null || c.isClosed() || link.hasCursor()) {
      return null;
    }
    OptionalLong known = c.lastInsertRowid();
    return known.isPresent() ? known.getAsLong() : null;
  }

  /** Maps a failure while reading rows of a streaming result set, applying the same rules. */
  SQLException rowsFailed(SqlScript.Statement statement, DqliteException e) {
    boolean refused = SqlErrors.isLeaderChangeRefusal(e.code(), e.getMessage());
    if (e.isConnectionBroken() || refused) {
      link.drop(e.getMessage());
      if (SqlErrors.isUnreadableAnswer(e)) {
        return SqlErrors.unreadableAnswer(
            e, statement.sql(), tx.lost(statement.kind(), true, false));
      }
      boolean interrupted = link.canceled() || e instanceof DqliteTimeoutException;
      return switch (tx.lost(statement.kind(), interrupted, refused)) {
        case NONE -> failure(statement, e);
        case COMMIT_UNKNOWN -> transactionLost(statement, e, true);
        case RESTART, ROLLED_BACK -> transactionLost(statement, e, false);
      };
    }
    return SqlErrors.from(e, statement.sql());
  }

  private SQLException failure(SqlScript.Statement statement, DqliteException e) {
    return FailoverErrors.failure(statement, e, link.canceled());
  }

  private SQLException transactionLost(
      SqlScript.Statement statement, DqliteException e, boolean commitInFlight) {
    return FailoverErrors.transactionLost(statement, e, commitInFlight, link.canceled());
  }

  private void trace(SqlScript.Statement s, ProtocolConnection c, long start, DqliteException e) {
    if (settings.tracing().equals("OFF")) {
      return;
    }
    double ms = (System.nanoTime() - start) / 1e6;
    String outcome = e == null ? "ok" : "failed: " + e.getMessage();
    if (settings.tracing().equals("INFO")) {
      log.info("{} ms on {}: {} ({})", String.format("%.3f", ms), c.address(), s.sql(), outcome);
    } else {
      log.debug("{} ms on {}: {} ({})", String.format("%.3f", ms), c.address(), s.sql(), outcome);
    }
  }

  /** The current protocol connection, after draining any streaming result and reconnecting. */
  private ProtocolConnection connection() throws SQLException {
    checkOpen();
    StreamingCursor cursor = link.takeCursor();
    if (cursor != null) {
      SQLException failure = cursor.buffer();
      if (failure != null && tx.aborted()) {
        // The transaction died while rows were drained: this request must not run outside it.
        throw SqlErrors.create(
            DqliteSqlState.SERIALIZATION_FAILURE,
            failure.getMessage(),
            failure.getErrorCode(),
            failure);
      }
    }
    long before = link.generation();
    ProtocolConnection c = link.connection();
    if (link.generation() != before) {
      statements.clear(); // prepared on the old connection: the node forgot them
    }
    return c;
  }

  /** Registers the streaming result set that holds the connection until read or closed. */
  void streaming(StreamingCursor cursor) {
    link.streaming(cursor);
  }

  void released(StreamingCursor cursor) {
    link.released(cursor);
  }

  /** Aborts the request in flight, from any thread, by closing the protocol connection. */
  void cancel() {
    link.cancel();
  }

  /** A cheap round trip to the leader. */
  boolean ping(Duration timeout) {
    try {
      run(
          PING,
          timeout,
          (c, d, g) -> {
            try (var rows = c.querySql(d, "SELECT 1", null)) {
              return rows.next();
            }
          });
      return true;
    } catch (SQLException e) {
      log.debug("connection check failed: {}", e.getMessage());
      return false;
    }
  }

  boolean isClosed() {
    return closed;
  }

  private void checkOpen() throws SQLException {
    if (closed) {
      throw SqlErrors.closed("connection to database " + database);
    }
  }

  /**
   * Frees what a connection the application dropped without closing still holds, without any
   * request: the writer turn goes to the next writer, and closing the socket makes the node roll
   * back a transaction left open. Runs on the cleaner's thread once the {@link DqliteConnection} is
   * unreachable; its last statement may still be finishing on the application's thread.
   *
   * @return whether the session was still open (and so had leaked)
   */
  boolean abandon() {
    if (closed) {
      return false;
    }
    ProtocolConnection c = link.current();
    if (c != null) {
      // The connection can become unreachable while its last statement still runs here (the JIT
      // ends an object's reachability at its last use, and this session does not reference it):
      // let a request in flight finish, holding the monitor every request holds, before closing.
      synchronized (c) {
        closed = true;
      }
    } else {
      closed = true;
    }
    boolean heldTurn = writerTurn.held();
    link.drop("the application dropped its JDBC connection without closing it");
    writerTurn.endUnless(false);
    log.warn(
        "a JDBC connection to database {} was garbage-collected without close(){}; its socket is"
            + " closed now. Close connections (try-with-resources) or return them to the pool",
        database,
        heldTurn ? " while it held the writer turn, which is handed on now" : "");
    return true;
  }

  /** Rolls back an open transaction (best effort) and closes the protocol connection. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    try {
      ProtocolConnection c = link.current();
      if (tx.open() && c != null && !c.isClosed()) {
        rollback();
      }
    } catch (SQLException e) {
      log.debug("rollback on close failed: {}", e.getMessage());
    }
    closed = true;
    link.drop("closed by the application");
    writerTurn.endUnless(false);
  }
}
