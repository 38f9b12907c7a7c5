package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

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
                    c -> {
                      attempts.incrementAndGet();
                      throw SqlErrors.create(
                          DqliteSqlState.INTEGRITY_CONSTRAINT_VIOLATION, "unique", 19, null);
                    }))
        .hasMessage("unique");
    assertThatThrownBy(
            () ->
                DqliteTransactions.inTransaction(
                    recordingConnection(),
                    FAST,
                    c -> {
                      attempts.incrementAndGet();
                      throw SqlErrors.create(
                          DqliteSqlState.TRANSACTION_RESOLUTION_UNKNOWN, "in flight", 10506, null);
                    }))
        .hasMessage("in flight");
    assertThat(attempts).hasValue(2);
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

  @Test
  void backoffGrowsAndStaysWithinItsCap() {
    DqliteTransactions.Policy p = DqliteTransactions.Policy.defaults();
    for (int attempt = 0; attempt < 40; attempt++) {
      Duration d = p.delay(attempt);
      Duration base = attempt < 7 ? Duration.ofMillis(2L << attempt) : Duration.ofMillis(250);
      Duration cap = base.compareTo(Duration.ofMillis(250)) > 0 ? Duration.ofMillis(250) : base;
      assertThat(d).isBetween(cap.dividedBy(2), cap);
    }
  }
}
