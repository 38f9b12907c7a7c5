package io.dqlite.client.jdbc;

import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The SQLSTATEs this driver reports, and which of them mean "retry the work". Every {@link
 * SQLException} the driver throws carries one of these states and, when the failure came from the
 * server, the dqlite/SQLite result code as {@link SQLException#getErrorCode() vendor code}.
 *
 * <p>Retryable states are also thrown as {@link java.sql.SQLTransientException} subclasses, so
 * pools and frameworks that only look at the class classify them the same way. {@link
 * DqliteTransactions} retries exactly the states for which {@link #retryable()} is true.
 */
public enum DqliteSqlState {
  /** No node answered as leader within {@code leaderTimeout}; nothing was sent. */
  UNABLE_TO_CONNECT("08001", true, "no leader reachable; nothing was applied"),
  /** The connection was closed by the application. */
  CONNECTION_DOES_NOT_EXIST("08003", false, "connection closed"),
  /**
   * The connection or the leadership was lost while a statement was in flight outside a
   * transaction: the statement may or may not have been applied. Retry only idempotent work.
   */
  TRANSACTION_RESOLUTION_UNKNOWN(
      "08007", false, "connection lost with a statement in flight; it may have been applied"),
  /**
   * The connection broke while a read-only statement ran or its rows streamed: nothing was changed.
   * The next statement reconnects to the leader.
   */
  CONNECTION_FAILURE(
      "08006",
      true,
      "connection lost during a read, or the request refused by a node that was losing leadership; nothing was changed"),
  /**
   * A JDBC feature SQLite/dqlite lacks, on a healthy connection. Thrown as {@link
   * java.sql.SQLFeatureNotSupportedException}, but with ODBC's "optional feature not implemented"
   * rather than SQL's 0A000: connection pools (HikariCP among them) evict a connection that raises
   * 0A000, and nothing is wrong with this one.
   */
  FEATURE_NOT_SUPPORTED("HYC00", false, "optional feature not supported"),
  /** A column or parameter index out of range. */
  INVALID_DESCRIPTOR_INDEX("07009", false, "invalid column or parameter index"),
  DATA_EXCEPTION("22000", false, "data exception"),
  NUMERIC_VALUE_OUT_OF_RANGE("22003", false, "numeric value out of range"),
  INVALID_DATETIME_FORMAT("22007", false, "invalid date/time format"),
  INVALID_CHARACTER_VALUE_FOR_CAST("22018", false, "value cannot be converted"),
  /** The node sent text (a value, a column name, a message) that is not well-formed UTF-8. */
  CHARACTER_NOT_IN_REPERTOIRE("22021", false, "text from the node is not UTF-8"),
  /** SQLITE_CONSTRAINT: unique, primary key, foreign key, not null, check. */
  INTEGRITY_CONSTRAINT_VIOLATION("23000", false, "integrity constraint violation"),
  INVALID_CURSOR_STATE("24000", false, "result set closed or not on a row"),
  INVALID_TRANSACTION_STATE("25000", false, "invalid transaction state"),
  /**
   * A write that needs the database's one writer turn while another connection of the same thread
   * holds it in a transaction that has not ended (Spring's REQUIRES_NEW inside a writing
   * transaction). Only that thread can end the other transaction, so neither waiting nor retrying
   * can help. Thrown as {@link java.sql.SQLFeatureNotSupportedException}: a second write
   * transaction beside one's own is what a one-writer database cannot do, and frameworks translate
   * that class as a misuse (Spring's {@code InvalidDataAccessApiUsageException}), not as a
   * transient locking failure they might retry.
   */
  ACTIVE_SQL_TRANSACTION(
      "25001",
      false,
      "another transaction of this thread holds the writer turn; only ending it can help"),
  /** SQLITE_READONLY. */
  READ_ONLY_SQL_TRANSACTION("25006", false, "database is read-only"),
  /**
   * A statement used after it was closed, on a connection that is still open (08003 would make a
   * pool evict the healthy connection).
   */
  OBJECT_NOT_IN_PREREQUISITE_STATE("55000", false, "statement closed"),
  /** SQLITE_ABORT: the statement was aborted, e.g. by a concurrent ROLLBACK. */
  TRANSACTION_ROLLBACK("40000", false, "statement aborted"),
  /**
   * The leader changed while a transaction was open: the transaction was rolled back with the old
   * leader and nothing of it was applied. Retry the whole transaction.
   */
  SERIALIZATION_FAILURE(
      "40001", true, "transaction rolled back by a leadership change; retry the transaction"),
  /** SQLITE_ERROR from the parser or the schema: syntax, unknown table or column. */
  SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION("42000", false, "syntax error or unknown object"),
  /** SQLITE_TOOBIG. */
  PROGRAM_LIMIT_EXCEEDED("54000", false, "value or statement too big"),
  /** SQLITE_BUSY, SQLITE_LOCKED: another connection holds the lock. Nothing was applied. */
  OBJECT_IN_USE("55006", true, "database busy or locked; retry"),
  /** Statement.cancel, setQueryTimeout or requestTimeout ended the statement. */
  QUERY_CANCELED("57014", false, "statement canceled or timed out"),
  /** SQLITE_IOERR (other than leadership), SQLITE_FULL, SQLITE_CORRUPT... */
  SYSTEM_ERROR("58030", false, "I/O or storage error on the node"),
  /** A bad URL or connection property value. */
  INVALID_CONNECTION_PROPERTY("HY024", false, "invalid URL or connection property"),
  GENERAL_ERROR("HY000", false, "general error");

  private final String state;
  private final boolean retryable;
  private final String meaning;

  DqliteSqlState(String state, boolean retryable, String meaning) {
    this.state = state;
    this.retryable = retryable;
    this.meaning = meaning;
  }

  /** The five-character SQLSTATE. */
  public String state() {
    return state;
  }

  /** Whether work that failed with this state can be retried as a whole without double effect. */
  public boolean retryable() {
    return retryable;
  }

  /** A short explanation, as docs/jdbc.md lists it. */
  public String meaning() {
    return meaning;
  }

  /** The entry for a SQLSTATE string. */
  public static Optional<DqliteSqlState> of(String sqlState) {
    return Arrays.stream(values()).filter(s -> s.state.equals(sqlState)).findFirst();
  }

  /**
   * Whether {@code e}, or an exception in its cause chain or {@link SQLException#getNextException
   * next-exception} chain, carries a retryable state of this driver.
   */
  public static boolean isRetryable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        for (SQLException s = sql; s != null; s = s.getNextException()) {
          if (s.getSQLState() != null && of(s.getSQLState()).map(x -> x.retryable).orElse(false)) {
            return true;
          }
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
