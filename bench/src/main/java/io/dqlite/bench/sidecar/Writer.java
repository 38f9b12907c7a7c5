package io.dqlite.bench.sidecar;

import io.dqlite.bench.KvWorkload;
import io.dqlite.client.jdbc.DqliteDataSource;
import io.dqlite.client.jdbc.DqliteTransactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Random;

/**
 * One worker's connection and its kvwrite: a transaction through {@link DqliteTransactions} (lazy
 * BEGIN, the prepared INSERT OR REPLACE of a new random key and a 1 KiB value, COMMIT), with the
 * latency of every measured write, the retries the helper absorbed and the errors that reached the
 * caller. Used by one thread at a time.
 */
class Writer implements AutoCloseable {

  private final Random random;
  private Connection connection;
  private PreparedStatement insert;
  long[] samples = new long[16 * 1024];
  int count;
  long errors;
  long retries;
  String firstError;

  Writer(Random random) {
    this.random = random;
  }

  void open(DqliteDataSource dataSource) throws SQLException {
    connection = dataSource.getConnection();
    insert = connection.prepareStatement(KvWorkload.WRITE_SQL);
  }

  /** One write; its latency is recorded when {@code measured}. False when it failed. */
  boolean write(boolean measured) {
    String key = WriteLoad.randomKey(random);
    String value = WriteLoad.randomValue(random);
    int[] attempts = {0};
    long t0 = System.nanoTime();
    try {
      DqliteTransactions.inTransaction(
          connection,
          DqliteTransactions.Policy.defaults(),
          c -> {
            attempts[0]++;
            insert.setString(1, key);
            insert.setString(2, value);
            return insert.executeUpdate();
          });
    } catch (SQLException | RuntimeException e) {
      errors++;
      if (firstError == null) {
        firstError = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      return false;
    }
    long elapsed = System.nanoTime() - t0;
    if (measured) {
      if (count == samples.length) {
        samples = Arrays.copyOf(samples, samples.length * 2);
      }
      samples[count++] = elapsed;
      retries += attempts[0] - 1;
    }
    return true;
  }

  @Override
  public void close() {
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (SQLException e) {
      // Best effort at the end of a run.
    }
  }
}
