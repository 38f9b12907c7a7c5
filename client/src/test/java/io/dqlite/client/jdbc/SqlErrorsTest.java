package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.model.DqliteConnectionException;
import io.dqlite.client.model.DqliteException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransientException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlErrorsTest {

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "5     | database is locked                             | 55006",
        "517   | database is locked (BUSY_SNAPSHOT)             | 55006",
        "6     | database table is locked                       | 55006",
        "19    | UNIQUE constraint failed: t.id                 | 23000",
        "2067  | UNIQUE constraint failed: t.id                 | 23000",
        "1299  | NOT NULL constraint failed: t.a                | 23000",
        "1     | near \"SELEC\": syntax error                   | 42000",
        "1     | no such table: missing                         | 42000",
        "1     | table t already exists                         | 42000",
        "1     | cannot commit - no transaction is active       | 25000",
        "1     | something else                                 | HY000",
        "0     | empty statement                                | 42000",
        "8     | attempt to write a readonly database           | 25006",
        "9     | interrupted                                    | 57014",
        "10    | disk I/O error                                 | 58030",
        "10250 | not leader                                     | 08007",
        "10506 | leadership lost                                | 08007",
        "18    | string or blob too big                         | 54000",
        "25    | column index out of range                      | 07009",
        "4     | abort                                          | 40000",
        "7     | no more rows available                         | 08006",
        "7     | out of memory                                  | HY000",
        "8     | no more rows available                         | 08006",
        "12    | no database opened                             | 08006",
        "12    | no statement with id 3                         | 08006",
        "12    | no statement with id 3 on this connection; not sent | HY000",
      })
  void mapsResultCodesToSqlStates(long code, String message, String state) {
    assertThat(SqlErrors.stateFor(code, message).state()).isEqualTo(state);
  }

  @Test
  void aStaleSnapshotSaysWhatHappenedAndThatOnlyRetryingTheTransactionHelps() {
    SQLException stale =
        SqlErrors.from(
            new DqliteException(517, "database is locked", "10.0.0.1:9001"), "UPDATE t SET a = 1");
    assertThat(stale.getSQLState()).isEqualTo("55006");
    assertThat(stale.getErrorCode()).isEqualTo(517);
    assertThat(stale.getMessage())
        .contains("snapshot went stale")
        .contains("another transaction committed")
        .contains("retry the whole transaction")
        .contains("transactionMode=IMMEDIATE")
        .contains("busyTimeout) cannot help")
        .doesNotContain("raise busyTimeout");

    SQLException locked =
        SqlErrors.from(new DqliteException(5, "database is locked", "n1"), "UPDATE t SET a = 1");
    assertThat(locked.getMessage()).doesNotContain("snapshot").contains("busyTimeout");
  }

  @Test
  void exceptionsCarryCodeNodeAndStatementAndTheRightClass() {
    SQLException busy =
        SqlErrors.from(
            new DqliteException(5, "database is locked", "10.0.0.1:9001"), "UPDATE t SET a = 1");
    assertThat((Throwable) busy).isInstanceOf(SQLTransientException.class);
    assertThat(busy.getErrorCode()).isEqualTo(5);
    assertThat(busy.getMessage())
        .contains("database is locked")
        .contains("node 10.0.0.1:9001")
        .contains("UPDATE t SET a = 1")
        .contains("retry");
    assertThat(DqliteSqlState.isRetryable(busy)).isTrue();

    SQLException unique =
        SqlErrors.from(new DqliteException(2067, "UNIQUE constraint failed: t.id", "n1"), null);
    assertThat((Throwable) unique).isInstanceOf(SQLIntegrityConstraintViolationException.class);
    assertThat(DqliteSqlState.isRetryable(unique)).isFalse();

    assertThat(
            (Throwable)
                SqlErrors.from(new DqliteException(1, "near \"x\": syntax error", "n1"), "x"))
        .isInstanceOf(SQLSyntaxErrorException.class);

    SQLException broken =
        SqlErrors.from(new DqliteConnectionException("connection reset", "n1", null), "INSERT");
    assertThat((Throwable) broken).isInstanceOf(SQLNonTransientConnectionException.class);
    assertThat(broken.getSQLState()).isEqualTo("08007");
    assertThat(broken.getMessage()).contains("may or may not have been applied");
  }

  @Test
  void retryableStatesAreFoundThroughCausesAndNextExceptions() {
    SQLException rollback =
        SqlErrors.create(DqliteSqlState.SERIALIZATION_FAILURE, "rolled back", 10250, null);
    SQLException outer = new SQLException("batch failed", "HY000");
    outer.setNextException(rollback);

    assertThat(DqliteSqlState.isRetryable(outer)).isTrue();
    assertThat(DqliteSqlState.isRetryable(new RuntimeException(rollback))).isTrue();
    assertThat(DqliteSqlState.isRetryable(new SQLException("x", "23000"))).isFalse();
    assertThat(DqliteSqlState.isRetryable(new RuntimeException("no sql"))).isFalse();
  }
}
