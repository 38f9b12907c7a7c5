package io.dqlite.client.jdbc;

import io.dqlite.client.leader.Backoff;
import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.DqliteTimeoutException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a session reports when a request fails with its connection (the rules in {@link Session}'s
 * Javadoc and docs/jdbc.md), and how long it waits before polling a busy database again. Pure but
 * for the back-off's sleep.
 */
final class FailoverErrors {

  private static final Duration BUSY_BACKOFF_FIRST = Duration.ofMillis(1);
  private static final Duration BUSY_BACKOFF_CAP = Duration.ofMillis(32);

  /** ProtocolConnection wants a positive timeout; "no limit" is this long. */
  private static final Duration NO_LIMIT = Duration.ofDays(365);

  private FailoverErrors() {}

  /** A statement outside a transaction failed with its connection and was not retried. */
  static SQLException failure(SqlScript.Statement statement, DqliteException e, boolean canceled) {
    if (canceled || e instanceof DqliteTimeoutException) {
      return SqlErrors.create(
          DqliteSqlState.QUERY_CANCELED,
          (canceled ? "statement canceled" : "statement timed out")
              + " (node "
              + e.address()
              + "): "
              + e.getMessage()
              + (statement.readOnly() ? "" : "; it may or may not have been applied")
              + ". Statement: "
              + SqlErrors.abbreviate(statement.sql()),
          (int) e.code(),
          e);
    }
    if (statement.readOnly()) {
      return SqlErrors.create(
          DqliteSqlState.CONNECTION_FAILURE,
          e.getMessage()
              + " while reading: "
              + SqlErrors.abbreviate(statement.sql())
              + ". Nothing was changed; the next statement reconnects to the leader",
          (int) e.code(),
          e);
    }
    return SqlErrors.from(e, statement.sql());
  }

  /**
   * The transaction died with its connection: 40001, or 08007 for a COMMIT in flight, or 40000 when
   * the application canceled the statement (retrying would undo the cancel, so it is not
   * retryable).
   */
  static SQLException transactionLost(
      SqlScript.Statement statement, DqliteException e, boolean commitInFlight, boolean canceled) {
    if (commitInFlight) {
      return SqlErrors.create(
          DqliteSqlState.TRANSACTION_RESOLUTION_UNKNOWN,
          "COMMIT failed in flight on node "
              + e.address()
              + " ("
              + e.getMessage()
              + "): the transaction may or may not have been committed; check before retrying",
          (int) e.code(),
          e);
    }
    if (canceled) {
      return SqlErrors.create(
          DqliteSqlState.TRANSACTION_ROLLBACK,
          "transaction rolled back: the statement was canceled (node "
              + e.address()
              + ": "
              + e.getMessage()
              + "); nothing of it was applied. Not retried: the cancel asked for the work to"
              + " stop. Statement: "
              + SqlErrors.abbreviate(statement.sql()),
          (int) e.code(),
          e);
    }
    String why =
        e instanceof DqliteTimeoutException
            ? "the statement timed out"
            : "the leader changed or the connection broke";
    return SqlErrors.create(
        DqliteSqlState.SERIALIZATION_FAILURE,
        "transaction rolled back: "
            + why
            + " (node "
            + e.address()
            + ": "
            + e.getMessage()
            + "); nothing of it was applied. Roll back and retry the whole transaction"
            + " (DqliteTransactions does). Statement: "
            + SqlErrors.abbreviate(statement.sql()),
        (int) e.code(),
        e);
  }

  /** The shorter of the connection's request timeout and the statement's query timeout. */
  static Duration effectiveTimeout(Duration requestTimeout, Duration statementTimeout) {
    Duration t = requestTimeout;
    if (statementTimeout != null
        && !statementTimeout.isZero()
        && (t.isZero() || statementTimeout.compareTo(t) < 0)) {
      t = statementTimeout;
    }
    return t.isZero() ? NO_LIMIT : t;
  }

  /** Busy from another process (this one's writers queue): poll 1, 2, 4 ... 32 ms apart. */
  static void backOff(int attempt) throws SQLException {
    double jitter = ThreadLocalRandom.current().nextDouble();
    Duration d = Backoff.delay(attempt, BUSY_BACKOFF_FIRST, BUSY_BACKOFF_CAP, jitter);
    try {
      Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for a busy database", "HY008", e);
    }
  }
}
