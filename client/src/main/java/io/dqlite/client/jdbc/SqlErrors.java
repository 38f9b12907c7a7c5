package io.dqlite.client.jdbc;

import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.ErrorCodes;
import io.dqlite.client.protocol.FrameTooLargeException;
import io.dqlite.client.protocol.MalformedTextException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;

/**
 * Turns dqlite failures into {@link SQLException}s: the SQLSTATE and exception class from the
 * SQLite result code (see {@link DqliteSqlState}), the code as vendor code, the node's address in
 * the message.
 */
final class SqlErrors {

  private SqlErrors() {}

  /** raft's RAFT_NOTLEADER, which libdqlite 1.11.1 can answer in place of a SQLite code. */
  static final int RAFT_NOTLEADER = 7;

  /** raft's RAFT_LEADERSHIPLOST, likewise. */
  static final int RAFT_LEADERSHIPLOST = 8;

  /**
   * Whether a failure response means that libdqlite refused the request because leadership was
   * moving or had moved away, <em>before</em> running anything. Such a request was not applied, and
   * the connection is useless: the session reconnects to the new leader.
   *
   * <ul>
   *   <li>Code 7 or 8 with any text but SQLite's own for those codes: libdqlite 1.11.1's exec path
   *       runs a raft barrier before stepping the statement, and when the barrier fails it answers
   *       the raw raft code (RAFT_NOTLEADER = 7 while a leadership transfer is under way,
   *       RAFT_LEADERSHIPLOST = 8) with the connection's stale {@code sqlite3_errmsg}, typically
   *       "no more rows available". SQLite's genuine codes 7 (SQLITE_NOMEM, "out of memory") and 8
   *       (SQLITE_READONLY, "attempt to write a readonly database") keep their meaning.
   *   <li>Code 12 (SQLITE_NOTFOUND) "no database opened", or the node's "no statement with id":
   *       after a leadership loss libdqlite closes the connection's leader state, so the database
   *       and its statements are gone. go-dqlite 1.11 treats every SQLITE_NOTFOUND as a bad
   *       connection. The client's own refusal of a finalized statement id (which says "not sent")
   *       is not one.
   * </ul>
   */
  static boolean isLeaderChangeRefusal(long code, String message) {
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    if (code == RAFT_NOTLEADER) {
      return !m.contains("out of memory");
    }
    if (code == RAFT_LEADERSHIPLOST) {
      return !m.contains("readonly") && !m.contains("read-only") && !m.contains("read only");
    }
    if (code == ErrorCodes.SQLITE_NOTFOUND) {
      return m.contains("no database opened")
          || (m.contains("no statement with id") && !m.contains("not sent"));
    }
    return false;
  }

  /** The SQLSTATE for a failure response carrying SQLite/dqlite {@code code}. */
  static DqliteSqlState stateFor(long code, String message) {
    if (ErrorCodes.isBusy(code)) {
      return DqliteSqlState.OBJECT_IN_USE;
    }
    if (isLeaderChangeRefusal(code, message)) {
      // Refused before anything ran: nothing was applied, a new connection may succeed.
      return DqliteSqlState.CONNECTION_FAILURE;
    }
    if (ErrorCodes.isLeadershipLost(code)) {
      return DqliteSqlState.TRANSACTION_RESOLUTION_UNKNOWN;
    }
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    return switch (ErrorCodes.primary(code)) {
      case 0 ->
          m.contains("empty statement")
              ? DqliteSqlState.SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION
              : DqliteSqlState.GENERAL_ERROR;
      case ErrorCodes.SQLITE_ERROR -> errorState(m);
      case 4 -> DqliteSqlState.TRANSACTION_ROLLBACK; // SQLITE_ABORT
      case 8 -> DqliteSqlState.READ_ONLY_SQL_TRANSACTION; // SQLITE_READONLY
      case 9 -> DqliteSqlState.QUERY_CANCELED; // SQLITE_INTERRUPT
      case ErrorCodes.SQLITE_IOERR, 11, 13, 14, 26 -> DqliteSqlState.SYSTEM_ERROR;
      case 18 -> DqliteSqlState.PROGRAM_LIMIT_EXCEEDED; // SQLITE_TOOBIG
      case ErrorCodes.SQLITE_CONSTRAINT -> DqliteSqlState.INTEGRITY_CONSTRAINT_VIOLATION;
      case 20 -> DqliteSqlState.DATA_EXCEPTION; // SQLITE_MISMATCH
      case 25 -> DqliteSqlState.INVALID_DESCRIPTOR_INDEX; // SQLITE_RANGE
      default -> DqliteSqlState.GENERAL_ERROR;
    };
  }

  /** SQLITE_ERROR covers parse and schema errors as well as anything else: tell them apart. */
  private static DqliteSqlState errorState(String m) {
    if (m.contains("syntax error")
        || m.contains("no such table")
        || m.contains("no such column")
        || m.contains("no such function")
        || m.contains("no such index")
        || m.contains("no such view")
        || m.contains("no such trigger")
        || m.contains("already exists")
        || m.contains("incomplete input")
        || m.contains("unrecognized token")
        || m.contains("ambiguous column")
        || m.contains("values were supplied")
        || m.contains("wrong number of arguments")) {
      return DqliteSqlState.SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION;
    }
    if (m.contains("transaction")) {
      return DqliteSqlState.INVALID_TRANSACTION_STATE;
    }
    return DqliteSqlState.GENERAL_ERROR;
  }

  /** An exception of the class that matches {@code state}. */
  static SQLException create(
      DqliteSqlState state, String message, int vendorCode, Throwable cause) {
    String s = state.state();
    SQLException e =
        switch (state) {
          // Busy and locked as a rollback exception: the statement was not applied, and it is the
          // class frameworks translate to a locking failure (Spring's
          // PessimisticLockingFailureException, Hibernate's LockAcquisitionException).
          case OBJECT_IN_USE, SERIALIZATION_FAILURE, TRANSACTION_ROLLBACK ->
              new SQLTransactionRollbackException(message, s, vendorCode);
          case UNABLE_TO_CONNECT, CONNECTION_FAILURE ->
              new SQLTransientConnectionException(message, s, vendorCode);
          case TRANSACTION_RESOLUTION_UNKNOWN, CONNECTION_DOES_NOT_EXIST ->
              new SQLNonTransientConnectionException(message, s, vendorCode);
          case INTEGRITY_CONSTRAINT_VIOLATION ->
              new SQLIntegrityConstraintViolationException(message, s, vendorCode);
          case SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION ->
              new SQLSyntaxErrorException(message, s, vendorCode);
          case QUERY_CANCELED -> new SQLTimeoutException(message, s, vendorCode);
          case FEATURE_NOT_SUPPORTED, ACTIVE_SQL_TRANSACTION ->
              new SQLFeatureNotSupportedException(message, s, vendorCode);
          case DATA_EXCEPTION,
              NUMERIC_VALUE_OUT_OF_RANGE,
              INVALID_DATETIME_FORMAT,
              INVALID_CHARACTER_VALUE_FOR_CAST,
              CHARACTER_NOT_IN_REPERTOIRE ->
              new SQLDataException(message, s, vendorCode);
          default -> new SQLException(message, s, vendorCode);
        };
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }

  /**
   * A failure response or broken connection from {@code e}, raised while running {@code sql}.
   * Leadership and connection failures are mapped by the caller, which knows whether a transaction
   * was open; here they become "outcome unknown".
   */
  static SQLException from(DqliteException e, String sql) {
    DqliteSqlState state =
        e.isConnectionBroken()
            ? DqliteSqlState.TRANSACTION_RESOLUTION_UNKNOWN
            : stateFor(e.code(), e.getMessage());
    return create(state, describe(e, sql, state), (int) e.code(), e);
  }

  /**
   * Whether the node's answer was refused as unreadable: larger than {@code maxFrameSize}, or text
   * that is not UTF-8. The connection is gone, but asking again would get the same answer, so it is
   * neither retried nor reported as retryable.
   */
  static boolean isUnreadableAnswer(DqliteException e) {
    return e instanceof FrameTooLargeException || e instanceof MalformedTextException;
  }

  /** 54000 for an answer over the size limit, 22021 for text that is not UTF-8. */
  static SQLException unreadableAnswer(DqliteException e, String sql, TransactionState.Loss loss) {
    DqliteSqlState state =
        e instanceof FrameTooLargeException
            ? DqliteSqlState.PROGRAM_LIMIT_EXCEEDED
            : DqliteSqlState.CHARACTER_NOT_IN_REPERTOIRE;
    String consequence =
        switch (loss) {
          case NONE -> "; the connection was dropped, the next statement opens a new one";
          case COMMIT_UNKNOWN ->
              "; the connection was dropped with the COMMIT in flight: the transaction may or may"
                  + " not have been committed";
          case RESTART, ROLLED_BACK ->
              "; the connection was dropped and the open transaction rolled back with it";
        };
    return create(state, e.getMessage() + consequence + ". Statement: " + abbreviate(sql), 0, e);
  }

  /** "{node message} (node ADDRESS, code N) in: SQL". Plus a hint for the states that need one. */
  static String describe(DqliteException e, String sql, DqliteSqlState state) {
    String message = e.getMessage() == null ? "dqlite error" : e.getMessage();
    StringBuilder sb = new StringBuilder(message);
    // The protocol layer's messages usually name the node and code already.
    boolean hasNode = e.address() != null && message.contains(e.address());
    boolean hasCode = e.code() == 0 || message.contains("code " + e.code());
    if (!hasNode || !hasCode) {
      sb.append(" (");
      if (!hasNode) {
        sb.append("node ").append(e.address() == null ? "unknown" : e.address());
      }
      if (!hasCode) {
        sb.append(hasNode ? "" : ", ").append("code ").append(e.code());
      }
      sb.append(')');
    }
    if (sql != null) {
      sb.append(" executing: ").append(abbreviate(sql));
    }
    if (isLeaderChangeRefusal(e.code(), e.getMessage())) {
      sb.append(
          ". The node refused the request because leadership moved (libdqlite reports raft's"
              + " code with a stale text); nothing was applied. The next statement reconnects to"
              + " the leader");
      return sb.toString();
    }
    switch (state) {
      case OBJECT_IN_USE -> sb.append(busyHint(e.code()));
      case TRANSACTION_RESOLUTION_UNKNOWN ->
          sb.append(
              ". The statement may or may not have been applied; the next statement reconnects to"
                  + " the leader");
      default -> {}
    }
    return sb.toString();
  }

  /**
   * What a busy answer means and what helps. SQLITE_BUSY_SNAPSHOT (517) is not a lock held now: the
   * transaction read an older version of the database than the one it must write to, so no waiting
   * can let its write through; only the whole transaction, begun again, can.
   */
  static String busyHint(long code) {
    if (code == ErrorCodes.SQLITE_BUSY_SNAPSHOT) {
      return ". The transaction's read snapshot went stale: another transaction committed after"
          + " this one first read, so SQLite refuses its write (SQLITE_BUSY_SNAPSHOT); waiting"
          + " longer (busyTimeout) cannot help. Roll back and retry the whole transaction"
          + " (DqliteTransactions does), or begin it with transactionMode=IMMEDIATE (the"
          + " default for connections that are not read-only), which takes the write lock at"
          + " BEGIN";
    }
    return ". The database is locked by another writer: retry (DqliteTransactions does); outside"
        + " a transaction, raising busyTimeout lets the driver wait longer";
  }

  static String abbreviate(String sql) {
    String oneLine = sql.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
  }

  static SQLException closed(String what) {
    return new SQLNonTransientConnectionException(
        what + " is closed", DqliteSqlState.CONNECTION_DOES_NOT_EXIST.state());
  }

  static SQLFeatureNotSupportedException unsupported(String what) {
    return new SQLFeatureNotSupportedException(
        what + " is not supported by the dqlite driver",
        DqliteSqlState.FEATURE_NOT_SUPPORTED.state());
  }
}
