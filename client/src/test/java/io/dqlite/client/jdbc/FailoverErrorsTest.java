package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.DqliteTimeoutException;
import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailoverErrorsTest {

  /**
   * What a transaction lost with its connection reports, and whether DqliteTransactions retries it:
   * a canceled statement is not retried, since a retry would run the work the application stopped.
   */
  @ParameterizedTest(name = "{0}, commit in flight {1}, canceled {2} -> {3}")
  @CsvSource({
    "broken,  false, false, 40001, true,  leader changed or the connection broke",
    "timeout, false, false, 40001, true,  timed out",
    "broken,  false, true,  40000, false, statement was canceled",
    "timeout, false, true,  40000, false, statement was canceled",
    "broken,  true,  false, 08007, false, may or may not have been committed",
    "broken,  true,  true,  08007, false, may or may not have been committed"
  })
  void transactionLost(
      String failure,
      boolean commitInFlight,
      boolean canceled,
      String state,
      boolean retryable,
      String says) {
    DqliteException e =
        failure.equals("timeout")
            ? new DqliteTimeoutException("no answer in 5000 ms", "127.0.0.1:9001", null)
            : new DqliteException(0, "connection reset", "127.0.0.1:9001");
    SQLException lost =
        FailoverErrors.transactionLost(
            SqlScript.split("UPDATE t SET v = 1").get(0), e, commitInFlight, canceled);

    assertThat(lost.getSQLState()).isEqualTo(state);
    assertThat((Throwable) lost).hasMessageContaining(says).hasMessageContaining("127.0.0.1:9001");
    assertThat(DqliteSqlState.isRetryable(lost)).isEqualTo(retryable);
  }
}
