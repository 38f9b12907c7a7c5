package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class DqliteTransactionsTest {

  private final List<String> calls = new ArrayList<>();

  /** A connection that records the transaction calls the helper makes. */
  private Connection recordingConnection() {
    boolean[] autoCommit = {true};
    return (Connection)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "getAutoCommit":
                  return autoCommit[0];
                case "setAutoCommit":
                  autoCommit[0] = (Boolean) args[0];
                  calls.add("autoCommit=" + args[0]);
                  return null;
                case "commit", "rollback", "close":
                  calls.add(method.getName());
                  return null;
                default:
                  throw new UnsupportedOperationException(method.getName());
              }
            });
  }

  private static final DqliteTransactions.Policy FAST =
      new DqliteTransactions.Policy(
          5, Duration.ofNanos(1), Duration.ofNanos(1), Duration.ofSeconds(30), false);

  @Test
  void retriesRetryableFailuresRollingBackEachAttempt() throws SQLException {
    AtomicInteger attempts = new AtomicInteger();

    String result =
        DqliteTransactions.inTransaction(
            recordingConnection(),
            FAST,
            c -> {
              int n = attempts.incrementAndGet();
              if (n == 1) {
                throw SqlErrors.create(DqliteSqlState.OBJECT_IN_USE, "busy", 5, null);
              }
              if (n == 2) {
                throw new RuntimeException(
                    SqlErrors.create(
                        DqliteSqlState.SERIALIZATION_FAILURE, "leader lost", 10250, null));
              }
              return "done";
            });

    assertThat(result).isEqualTo("done");
    assertThat(attempts).hasValue(3);
    assertThat(calls)
        .containsExactly(
            "autoCommit=false",
            "rollback",
            "autoCommit=true",
            "autoCommit=false",
            "rollback",
            "autoCommit=true",
            "autoCommit=false",
            "commit",
            "autoCommit=true");
  }

  @Test
  void doesNotRetryOtherFailuresOrUnknownOutcomes() {
    AtomicInteger attempts = new AtomicInteger();

    assertThatThrownBy(
            () ->
                DqliteTransactions.inTransaction(
                    recordingConnection(),
                    FAST,
                    failing(DqliteSqlState.INTEGRITY_CONSTRAINT_VIOLATION, "unique", attempts)))
        .hasMessage("unique");
    assertThatThrownBy(
            () ->
                DqliteTransactions.inTransaction(
                    recordingConnection(),
                    FAST,
                    failing(DqliteSqlState.TRANSACTION_RESOLUTION_UNKNOWN, "in flight", attempts)))
        .hasMessage("in flight");
    assertThat(attempts).hasValue(2);
  }

  /**
   * The states the helper retries are those a later attempt can clear: a leader not found yet, a
   * read cut by a broken connection, a transaction rolled back by a leadership change, a busy
   * database. Not 25001 (this thread's own transaction holds the writer turn: every attempt meets
   * it) nor 40000 (a canceled statement: a retry would undo the cancel). Retryable states, and only
   * they, are thrown as SQLTransientException, which frameworks retry by class.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(DqliteSqlState.class)
  void retriesOnlyStatesALaterAttemptCanClear(DqliteSqlState state) {
    boolean clears =
        EnumSet.of(
                DqliteSqlState.UNABLE_TO_CONNECT,
                DqliteSqlState.CONNECTION_FAILURE,
                DqliteSqlState.SERIALIZATION_FAILURE,
                DqliteSqlState.OBJECT_IN_USE)
            .contains(state);
    SQLException e = SqlErrors.create(state, "failure", 0, null);

    assertThat(DqliteTransactions.retryable(e, DqliteTransactions.Policy.defaults()))
        .isEqualTo(clears);
    assertThat(DqliteTransactions.retryable(new RuntimeException(e), FAST)).isEqualTo(clears);
    if (clears) {
      assertThat((Throwable) e).isInstanceOf(SQLTransientException.class);
    }
  }

  @Test
  void aWriteThisThreadsOwnTransactionBlocksFailsAfterOneAttempt() throws Exception {
    WriterQueue queue = new WriterQueue("n1:9001/app");
    WriterQueue.Turn outer = new WriterQueue.Turn(queue);
    outer.await(SqlScript.split("BEGIN IMMEDIATE").get(0), Duration.ZERO);
    AtomicInteger attempts = new AtomicInteger();
    try {
      assertThatThrownBy(
              () ->
                  DqliteTransactions.inTransaction(
                      recordingConnection(),
                      c -> {
                        attempts.incrementAndGet();
                        new WriterQueue.Turn(queue)
                            .await(
                                SqlScript.split("INSERT INTO t VALUES (1)").get(0), Duration.ZERO);
                        return null;
                      }))
          .hasMessageContaining("this thread already holds")
          .hasNoSuppressedExceptions();
    } finally {
      outer.endUnless(false);
    }
    assertThat(attempts).hasValue(1);
  }

  @Test
  void unknownOutcomesAreRetriedOnlyWhenThePolicySaysSo() throws SQLException {
    AtomicInteger attempts = new AtomicInteger();

    int result =
        DqliteTransactions.inTransaction(
            recordingConnection(),
            FAST.retryUnknownOutcome(true),
            c -> {
              if (attempts.incrementAndGet() == 1) {
                throw SqlErrors.create(
                    DqliteSqlState.TRANSACTION_RESOLUTION_UNKNOWN, "in flight", 10506, null);
              }
              return 7;
            });

    assertThat(result).isEqualTo(7);
  }

  @Test
  void givesUpAfterMaxAttemptsWithTheLastError() {
    AtomicInteger attempts = new AtomicInteger();

    assertThatThrownBy(
            () ->
                DqliteTransactions.inTransaction(
                    recordingConnection(),
                    FAST,
                    c -> {
                      throw SqlErrors.create(
                          DqliteSqlState.OBJECT_IN_USE,
                          "busy " + attempts.incrementAndGet(),
                          5,
                          null);
                    }))
        .hasMessage("busy 5")
        .satisfies(e -> assertThat(e.getSuppressed()[0]).hasMessageContaining("after 5 attempts"));
  }

  @ParameterizedTest(name = "default policy, attempt {0}, jitter {1} -> {2} us")
  @CsvSource({
    "0, 1.0, 1000",
    "0, 0.0, 500",
    "1, 1.0, 2000",
    "4, 1.0, 16000",
    "5, 1.0, 32000",
    "5, 0.0, 16000",
    "6, 1.0, 32000",
    "999, 0.5, 24000"
  })
  void defaultBackoffDoublesFromOneMillisecondUpTo32(int attempt, double jitter, long micros) {
    assertThat(DqliteTransactions.Policy.defaults().delay(attempt, jitter).toNanos() / 1000)
        .isEqualTo(micros);
  }

  @Test
  void defaultPolicyIsBoundedByTimeMoreThanByAttempts() {
    DqliteTransactions.Policy p = DqliteTransactions.Policy.defaults();
    long worstNanos = 0;
    for (int attempt = 0; attempt < p.maxAttempts() - 1; attempt++) {
      worstNanos += p.delay(attempt, 1.0).toNanos();
    }
    // 1000 attempts of at most 32 ms would take over 30 s: the 60 s timeout is the real bound.
    assertThat(Duration.ofNanos(worstNanos)).isGreaterThan(Duration.ofSeconds(30));
    assertThat(p.timeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(p.retryUnknownOutcome()).isFalse();
  }

  /** Work that counts its attempts and fails every one with {@code state}. */
  private static DqliteTransactions.Work<Integer> failing(
      DqliteSqlState state, String message, AtomicInteger attempts) {
    return c -> {
      attempts.incrementAndGet();
      throw SqlErrors.create(state, message, 0, null);
    };
  }

  /** Work that answers busy on its first {@code busy} attempts, then returns 1. */
  private static DqliteTransactions.Work<Integer> busyFor(int busy, AtomicInteger attempts) {
    return c -> {
      if (attempts.incrementAndGet() <= busy) {
        throw SqlErrors.create(DqliteSqlState.OBJECT_IN_USE, "busy", 5, null);
      }
      return 1;
    };
  }

  @Test
  void inAutoCommitRetriesWithoutBeginOrCommit() throws SQLException {
    AtomicInteger attempts = new AtomicInteger();

    int result = DqliteTransactions.inAutoCommit(recordingConnection(), FAST, busyFor(2, attempts));

    assertThat(result).isEqualTo(1);
    assertThat(attempts).hasValue(3);
    assertThat(calls).isEmpty();
  }

  @Test
  void inAutoCommitRefusesAConnectionInATransaction() throws SQLException {
    Connection c = recordingConnection();
    c.setAutoCommit(false);
    AtomicInteger attempts = new AtomicInteger();

    assertThatThrownBy(
            () -> DqliteTransactions.inAutoCommit(c, FAST, conn -> attempts.incrementAndGet()))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("auto-commit mode")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25000"));
    assertThat(attempts).hasValue(0);
    assertThat(calls).containsExactly("autoCommit=false");
  }

  @Test
  void inAutoCommitDoesNotRetryAnUnknownOutcome() {
    AtomicInteger attempts = new AtomicInteger();

    assertThatThrownBy(
            () ->
                DqliteTransactions.inAutoCommit(
                    recordingConnection(),
                    FAST,
                    failing(DqliteSqlState.TRANSACTION_RESOLUTION_UNKNOWN, "in flight", attempts)))
        .hasMessage("in flight");
    assertThat(attempts).hasValue(1);
  }
}
