package io.dqlite.client.jdbc;

import io.dqlite.client.jdbc.SqlScript.Kind;

/**
 * What the driver knows of the transaction on the leader, and the rules that follow from it. Pure:
 * no I/O, so every rule has a table test. The server cannot be asked whether a transaction is open,
 * so the state follows the statements that completed ({@code BEGIN}, {@code COMMIT}/{@code END},
 * {@code ROLLBACK}, {@code SAVEPOINT}, {@code RELEASE}) and the connections that were lost.
 */
final class TransactionState {

  /** What losing the connection (or the leadership) did to the statement's transaction. */
  enum Loss {
    /** No transaction was open. */
    NONE,
    /**
     * The transaction held only the driver's lazy BEGIN and the failed statement: nothing was
     * committed, so begin again on the new leader and run the statement there.
     */
    RESTART,
    /** The transaction was rolled back with its connection: SQLSTATE 40001. */
    ROLLED_BACK,
    /** A COMMIT was in flight: it may or may not have been committed (08007). */
    COMMIT_UNKNOWN
  }

  /**
   * The BEGIN the driver sends lazily: {@code configured} ({@code transactionMode}), except that a
   * read-only connection's transaction begins DEFERRED, so that it never takes the writer turn or
   * SQLite's write lock (it still may write: read-only is a hint, and a write then takes the turn
   * as in DEFERRED mode).
   */
  static String beginMode(String configured, boolean readOnly) {
    return readOnly ? "DEFERRED" : configured;
  }

  private boolean autoCommit = true;
  private boolean open;
  private boolean onlyLazyBegin;
  private boolean aborted;
  private String outerSavepoint;

  boolean autoCommit() {
    return autoCommit;
  }

  void setAutoCommit(boolean value) {
    autoCommit = value;
  }

  /** Whether a transaction is open on the server, as far as the driver can tell. */
  boolean open() {
    return open;
  }

  /**
   * Whether a manual-commit transaction was lost and the application has not rolled back yet:
   * statements and commit() must fail until it does, so the loss cannot go unnoticed.
   */
  boolean aborted() {
    return aborted;
  }

  /** Whether the driver must send BEGIN before {@code kind}, in manual-commit mode. */
  boolean needsLazyBegin(Kind kind) {
    return !autoCommit
        && !open
        && kind != Kind.BEGIN
        && kind != Kind.COMMIT
        && kind != Kind.ROLLBACK;
  }

  /** The driver's lazy BEGIN succeeded. */
  void begunLazily() {
    open = true;
    onlyLazyBegin = true;
    outerSavepoint = null;
  }

  /** {@code statement} completed on the server. */
  void completed(SqlScript.Statement statement) {
    switch (statement.kind()) {
      case BEGIN -> {
        open = true;
        outerSavepoint = null;
      }
      case COMMIT, ROLLBACK -> {
        open = false;
        outerSavepoint = null;
      }
      case SAVEPOINT -> {
        if (!open) {
          // A SAVEPOINT outside a transaction starts one, which its RELEASE ends.
          open = true;
          outerSavepoint = statement.savepoint();
        }
      }
      case RELEASE -> {
        if (outerSavepoint != null && outerSavepoint.equals(statement.savepoint())) {
          open = false;
          outerSavepoint = null;
        }
      }
      default -> {}
    }
    if (statement.kind() != Kind.BEGIN) {
      onlyLazyBegin = false;
    }
  }

  /**
   * The connection or the leadership died under {@code kind}.
   *
   * @param interrupted the statement timed out or was canceled: restarting it would only repeat
   *     that
   * @param refused the node answered "not leader" before running anything
   */
  Loss lost(Kind kind, boolean interrupted, boolean refused) {
    if (!open) {
      return Loss.NONE;
    }
    boolean restart = onlyLazyBegin && kind != Kind.COMMIT && !interrupted;
    open = false;
    onlyLazyBegin = false;
    outerSavepoint = null;
    if (restart) {
      return Loss.RESTART;
    }
    if (kind == Kind.COMMIT) {
      // commit() itself reports the outcome: nothing is left to abort.
      return refused ? Loss.ROLLED_BACK : Loss.COMMIT_UNKNOWN;
    }
    aborted = !autoCommit;
    return Loss.ROLLED_BACK;
  }

  /** The application rolled back, or the server said no transaction was active. */
  void rolledBack() {
    open = false;
    aborted = false;
    onlyLazyBegin = false;
    outerSavepoint = null;
  }

  /** commit() reported the loss of an aborted transaction. */
  void abortReported() {
    aborted = false;
  }
}
