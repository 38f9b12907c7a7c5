package io.dqlite.client.jdbc;

import io.dqlite.client.leader.Backoff;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs work in a transaction and retries it when dqlite says the whole transaction can be retried:
 * busy/locked (55006), rolled back by a leadership change (40001), no leader reachable yet (08001),
 * connection lost during a read (08006). Retries back off exponentially with jitter, within a
 * bounded number of attempts and a bounded total time; then the last error is thrown. What no
 * attempt can clear is thrown at once: among others 25001, a write blocked by the writer turn that
 * another connection of the calling thread holds, and 40000, a statement the application canceled.
 *
 * <p>Busy errors are rare with the driver's defaults: the writers of one JVM queue for the database
 * ({@code writerQueue}), so what is retried is mostly contention with other processes. The back-off
 * is short (1 to 32 ms) because a dqlite write transaction holds the lock for a few milliseconds.
 *
 * <p>{@link #inAutoCommit} runs work of one statement the same way, without BEGIN and COMMIT: one
 * request per write instead of three, as go-dqlite's {@code db.Exec}.
 *
 * <p>An outcome-unknown failure (08007: the connection or leadership was lost while a write or a
 * COMMIT was in flight) is not retried by default, since the work may have been applied; use {@link
 * Policy#retryUnknownOutcome(boolean)} for idempotent work.
 *
 * <pre>{@code
 * long id = DqliteTransactions.inTransaction(dataSource, conn -> {
 *   try (PreparedStatement ps = conn.prepareStatement("INSERT INTO t(v) VALUES (?)",
 *       Statement.RETURN_GENERATED_KEYS)) { ... }
 * });
 * }</pre>
 */
public final class DqliteTransactions {

  private static final Logger log = LoggerFactory.getLogger(DqliteTransactions.class);

  private DqliteTransactions() {}

  /** The work of one attempt; it must not commit or roll back itself. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws Exception;
  }

  /**
   * How to retry.
   *
   * @param maxAttempts attempts in all, at least 1; default 1000
   * @param initialBackoff the first delay, doubled per attempt; default 1 ms
   * @param maxBackoff the largest delay; each delay is drawn from its upper half; default 32 ms
   * @param timeout no attempt starts after this much time since the first; default 60 s
   * @param retryUnknownOutcome retry 08007 too (only for idempotent work); default false
   */
  public record Policy(
      int maxAttempts,
      Duration initialBackoff,
      Duration maxBackoff,
      Duration timeout,
      boolean retryUnknownOutcome) {

    public Policy {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
      }
    }

    /**
     * 1000 attempts, 1 to 32 ms apart, none after 60 s, 08007 not retried. The cap is a few commit
     * times: a longer one makes the unlucky writer sleep long after the lock was freed, and the
     * timeout, not the attempts, bounds the total wait.
     */
    public static Policy defaults() {
      return new Policy(
          1000, Duration.ofMillis(1), Duration.ofMillis(32), Duration.ofSeconds(60), false);
    }

    public Policy maxAttempts(int n) {
      return new Policy(n, initialBackoff, maxBackoff, timeout, retryUnknownOutcome);
    }

    public Policy timeout(Duration d) {
      return new Policy(maxAttempts, initialBackoff, maxBackoff, d, retryUnknownOutcome);
    }

    public Policy retryUnknownOutcome(boolean retry) {
      return new Policy(maxAttempts, initialBackoff, maxBackoff, timeout, retry);
    }

    /** The delay after failed attempt {@code attempt + 1}, for a {@code jitter} in [0, 1]. */
    Duration delay(int attempt, double jitter) {
      return Backoff.delay(attempt, initialBackoff, maxBackoff, jitter);
    }
  }

  /** {@link #inTransaction(DataSource, Policy, Work)} with {@link Policy#defaults()}. */
  public static <T> T inTransaction(DataSource dataSource, Work<T> work) throws SQLException {
    return inTransaction(dataSource, Policy.defaults(), work);
  }

  /** Each attempt takes a connection from {@code dataSource} and returns it afterwards. */
  public static <T> T inTransaction(DataSource dataSource, Policy policy, Work<T> work)
      throws SQLException {
    return retrying(policy, () -> withConnection(dataSource, c -> once(c, work)));
  }

  /** {@link #inTransaction(Connection, Policy, Work)} with {@link Policy#defaults()}. */
  public static <T> T inTransaction(Connection connection, Work<T> work) throws SQLException {
    return inTransaction(connection, Policy.defaults(), work);
  }

  /** Every attempt uses {@code connection}, which follows the leader by itself. */
  public static <T> T inTransaction(Connection connection, Policy policy, Work<T> work)
      throws SQLException {
    return retrying(policy, () -> once(connection, work));
  }

  /**
   * Runs {@code work} with auto-commit on, so that each statement is its own transaction, and
   * retries it like {@link #inTransaction(Connection, Policy, Work)}: for work of one statement (or
   * of statements each safe to run again). One request per write, where a transaction costs three.
   * The driver already retries a busy statement for {@code busyTimeout}; this adds the policy's
   * attempts and the other retryable failures.
   */
  public static <T> T inAutoCommit(Connection connection, Policy policy, Work<T> work)
      throws SQLException {
    return retrying(policy, () -> autoCommitOnce(connection, work));
  }

  /** {@link #inAutoCommit(Connection, Policy, Work)} on a connection from {@code dataSource}. */
  public static <T> T inAutoCommit(DataSource dataSource, Policy policy, Work<T> work)
      throws SQLException {
    return retrying(policy, () -> withConnection(dataSource, c -> autoCommitOnce(c, work)));
  }

  /** One attempt on a connection of its own, returned to {@code dataSource} (its pool) after. */
  private static <T> T withConnection(DataSource dataSource, Work<T> attempt) throws Exception {
    try (Connection c = dataSource.getConnection()) {
      return attempt.run(c);
    }
  }

  private static <T> T autoCommitOnce(Connection c, Work<T> work) throws Exception {
    if (!c.getAutoCommit()) {
      // Turning it on would commit the caller's open transaction behind its back.
      throw new SQLException(
          "inAutoCommit needs a connection in auto-commit mode; this one is in a transaction"
              + " (use inTransaction, or setAutoCommit(true) first)",
          DqliteSqlState.INVALID_TRANSACTION_STATE.state());
    }
    return work.run(c);
  }

  /** Whether the policy retries {@code e}. */
  static boolean retryable(Throwable e, Policy policy) {
    if (DqliteSqlState.isRetryable(e)) {
      return true;
    }
    if (!policy.retryUnknownOutcome()) {
      return false;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s
          && DqliteSqlState.TRANSACTION_RESOLUTION_UNKNOWN.state().equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private interface Attempt<T> {
    T run() throws Exception;
  }

  private static <T> T retrying(Policy policy, Attempt<T> attempt) throws SQLException {
    long deadline = System.nanoTime() + policy.timeout().toNanos();
    for (int n = 1; ; n++) {
      try {
        return attempt.run();
      } catch (Exception e) {
        boolean again =
            retryable(e, policy) && n < policy.maxAttempts() && System.nanoTime() < deadline;
        if (!again) {
          throw asSql(e, n);
        }
        log.debug("transaction attempt {} failed, retrying: {}", n, e.getMessage());
        sleep(policy.delay(n - 1, ThreadLocalRandom.current().nextDouble()));
      }
    }
  }

  private static <T> T once(Connection c, Work<T> work) throws Exception {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      T result = work.run(c);
      c.commit();
      return result;
    } catch (Exception | Error e) {
      try {
        c.rollback();
      } catch (SQLException rollbackFailure) {
        e.addSuppressed(rollbackFailure);
      }
      throw e;
    } finally {
      try {
        c.setAutoCommit(autoCommit);
      } catch (SQLException e) {
        log.debug("restoring auto-commit failed: {}", e.getMessage());
      }
    }
  }

  private static SQLException asSql(Exception e, int attempts) {
    if (e instanceof RuntimeException r) {
      throw r;
    }
    if (e instanceof SQLException s) {
      if (attempts > 1) {
        s.addSuppressed(new SQLException("gave up after " + attempts + " attempts"));
      }
      return s;
    }
    return new SQLException("transaction work failed: " + e.getMessage(), "HY000", e);
  }

  private static void sleep(Duration d) throws SQLException {
    try {
      Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting to retry a transaction", "HY008", e);
    }
  }
}
