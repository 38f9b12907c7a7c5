package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.jdbc.SqlScript.Kind;
import io.dqlite.client.jdbc.TransactionState.Loss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransactionStateTest {

  @ParameterizedTest(name = "transactionMode={0}, readOnly={1} -> BEGIN {2}")
  @CsvSource({
    "IMMEDIATE, false, IMMEDIATE",
    "IMMEDIATE, true,  DEFERRED",
    "DEFERRED,  false, DEFERRED",
    "DEFERRED,  true,  DEFERRED",
    "EXCLUSIVE, false, EXCLUSIVE",
    "EXCLUSIVE, true,  DEFERRED",
  })
  void readOnlyConnectionsBeginDeferredWhateverTheMode(
      String mode, boolean readOnly, String begin) {
    assertThat(TransactionState.beginMode(mode, readOnly)).isEqualTo(begin);
    // A DEFERRED BEGIN is the one that does not wait for the writer turn.
    assertThat(WriterQueue.needed(SqlScript.split("BEGIN " + begin).get(0)))
        .isEqualTo(!begin.equals("DEFERRED"));
  }

  @org.junit.jupiter.api.Test
  void theDefaultModeTakesTheWriterTurnAtBegin() {
    assertThat(DqliteProperty.TRANSACTION_MODE.defaultValue()).isEqualTo("IMMEDIATE");
  }

  /** Runs each statement of a script to completion, as the server would. */
  private static TransactionState after(boolean autoCommit, String script) {
    TransactionState tx = new TransactionState();
    tx.setAutoCommit(autoCommit);
    for (SqlScript.Statement s : SqlScript.split(script)) {
      if (tx.needsLazyBegin(s.kind())) {
        tx.begunLazily();
      }
      tx.completed(s);
    }
    return tx;
  }

  @ParameterizedTest(name = "autoCommit={0}: {1} -> open={2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "true  | SELECT 1                                              | false",
        "true  | BEGIN                                                 | true",
        "true  | BEGIN; INSERT INTO t VALUES (1); COMMIT                | false",
        "true  | BEGIN; END TRANSACTION                                | false",
        "true  | BEGIN; ROLLBACK                                       | false",
        "true  | BEGIN; SAVEPOINT a; ROLLBACK TO a                     | true",
        "true  | SAVEPOINT outer; SAVEPOINT inner; RELEASE inner       | true",
        "true  | SAVEPOINT outer; SAVEPOINT inner; RELEASE outer       | false",
        "true  | BEGIN; SAVEPOINT a; RELEASE a                         | true",
        "false | SELECT 1                                              | true",
        "false | INSERT INTO t VALUES (1); COMMIT                      | false",
        "false | INSERT INTO t VALUES (1); COMMIT; SELECT 1            | true",
        "false | COMMIT                                                | false",
        "false | ROLLBACK                                              | false",
      })
  void tracksTransactionBoundaries(boolean autoCommit, String script, boolean open) {
    assertThat(after(autoCommit, script).open()).isEqualTo(open);
  }

  @ParameterizedTest(name = "{0} then {1} lost (interrupted={2}, refused={3}) -> {4}")
  @CsvSource(
      delimiter = '|',
      value = {
        // autoCommit=false, the lazy BEGIN ran, the first statement failed: begin again.
        "''                          | UPDATE | false | false | RESTART",
        "''                          | QUERY  | false | true  | RESTART",
        // ... unless it timed out or was canceled.
        "''                          | UPDATE | true  | false | ROLLED_BACK",
        // A statement had completed: the transaction is gone.
        "INSERT INTO t VALUES (1)    | UPDATE | false | false | ROLLED_BACK",
        "INSERT INTO t VALUES (1)    | UPDATE | false | true  | ROLLED_BACK",
        // COMMIT in flight: outcome unknown, unless refused before running.
        "INSERT INTO t VALUES (1)    | COMMIT | false | false | COMMIT_UNKNOWN",
        "INSERT INTO t VALUES (1)    | COMMIT | false | true  | ROLLED_BACK",
      })
  void decidesWhatALostConnectionMeans(
      String before, Kind failing, boolean interrupted, boolean refused, Loss expected) {
    TransactionState tx = new TransactionState();
    tx.setAutoCommit(false);
    tx.begunLazily();
    for (SqlScript.Statement s : SqlScript.split(before)) {
      tx.completed(s);
    }

    assertThat(tx.lost(failing, interrupted, refused)).isEqualTo(expected);
    assertThat(tx.open()).isFalse();
    assertThat(tx.aborted()).isEqualTo(expected == Loss.ROLLED_BACK && failing != Kind.COMMIT);
  }

  @Test
  void noTransactionNoLoss() {
    TransactionState tx = after(true, "INSERT INTO t VALUES (1)");

    assertThat(tx.lost(Kind.UPDATE, false, false)).isEqualTo(Loss.NONE);
    assertThat(tx.aborted()).isFalse();
  }

  @Test
  void explicitTransactionInAutoCommitModeIsNotMarkedAborted() {
    TransactionState tx = after(true, "BEGIN; INSERT INTO t VALUES (1)");

    assertThat(tx.lost(Kind.UPDATE, false, false)).isEqualTo(Loss.ROLLED_BACK);
    assertThat(tx.aborted()).isFalse();
  }

  @Test
  void abortedUntilRolledBack() {
    TransactionState tx = after(false, "INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)");
    tx.lost(Kind.UPDATE, false, false);
    assertThat(tx.aborted()).isTrue();
    assertThat(tx.needsLazyBegin(Kind.UPDATE)).isTrue();

    tx.rolledBack();

    assertThat(tx.aborted()).isFalse();
    assertThat(tx.open()).isFalse();
  }

  @Test
  void lazyBeginOnlyInManualCommitModeAndNotForTransactionControl() {
    TransactionState manual = new TransactionState();
    manual.setAutoCommit(false);
    assertThat(manual.needsLazyBegin(Kind.UPDATE)).isTrue();
    assertThat(manual.needsLazyBegin(Kind.QUERY)).isTrue();
    assertThat(manual.needsLazyBegin(Kind.SAVEPOINT)).isTrue();
    assertThat(manual.needsLazyBegin(Kind.BEGIN)).isFalse();
    assertThat(manual.needsLazyBegin(Kind.COMMIT)).isFalse();
    assertThat(manual.needsLazyBegin(Kind.ROLLBACK)).isFalse();
    manual.begunLazily();
    assertThat(manual.needsLazyBegin(Kind.UPDATE)).isFalse();
    assertThat(new TransactionState().needsLazyBegin(Kind.UPDATE)).isFalse();
  }
}
