package io.dqlite.bench;

import io.dqlite.client.jdbc.DqliteTransactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** How a benchmark write is issued through the driver's retrying helpers. */
public enum WriteMode {
  /** {@code DqliteTransactions.inTransaction}: BEGIN, the INSERT, COMMIT (three requests). */
  TRANSACTION,
  /**
   * {@code DqliteTransactions.inAutoCommit}: the auto-commit {@code executeUpdate} alone (one
   * request, as go's {@code db.Exec}), retried by the same helper and policy.
   */
  AUTOCOMMIT;

  /** Runs {@code work} on {@code connection} in this mode, retried by {@code policy}. */
  public <T> T run(
      Connection connection, DqliteTransactions.Policy policy, DqliteTransactions.Work<T> work)
      throws SQLException {
    return this == TRANSACTION
        ? DqliteTransactions.inTransaction(connection, policy, work)
        : DqliteTransactions.inAutoCommit(connection, policy, work);
  }

  /**
   * Writes {@code key} and {@code value} through {@code insert} (prepared {@link
   * KvWorkload#WRITE_SQL}) in this mode.
   *
   * @return the attempts the helper made: 1, plus one per retry
   */
  public int insert(
      Connection connection,
      DqliteTransactions.Policy policy,
      PreparedStatement insert,
      String key,
      String value)
      throws SQLException {
    int[] attempts = {0};
    run(
        connection,
        policy,
        c -> {
          attempts[0]++;
          insert.setString(1, key);
          insert.setString(2, value);
          return insert.executeUpdate();
        });
    return attempts[0];
  }
}
