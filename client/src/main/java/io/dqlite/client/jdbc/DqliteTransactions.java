package io.dqlite.client.jdbc;

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
 * bounded number of attempts and a bounded total time; then the last error is thrown.
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
   * @param maxAttempts attempts in all, at least 1; default 100
   * @param initialBackoff the first delay, doubled per attempt; default 2 ms
   * @param maxBackoff the largest delay; each delay is drawn from its upper half; default 250 ms
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

    public static Policy defaults() {
      return new Policy(
          100, Duration.ofMillis(2), Duration.ofMillis(250), Duration.ofSeconds(60), false);
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

    Duration delay(int attempt) {
      long cap = maxBackoff.toNanos();
      long base = initialBackoff.toNanos() << Math.min(attempt, 30);
      long d = base <= 0 || base > cap ? cap : base;
      return Duration.ofNanos((long) (d * (0.5 + ThreadLocalRandom.current().nextDouble() / 2)));
    }
  }

  /** {@link #inTransaction(DataSource, Policy, Work)} with {@link Policy#defaults()}. */
  public static <T> T inTransaction(DataSource dataSource, Work<T> work) throws SQLException {
    return inTransaction(dataSource, Policy.defaults(), work);
  }

  /** Each attempt takes a connection from {@code dataSource} and returns it afterwards. */
  public static <T> T inTransaction(DataSource dataSource, Policy policy, Work<T> work)
      throws SQLException {
    return retrying(
        policy,
        () -> {
          try (Connection c = dataSource.getConnection()) {
            return once(c, work);
          }
        });
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
        sleep(policy.delay(n - 1));
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
