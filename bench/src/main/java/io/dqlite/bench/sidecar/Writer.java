package io.dqlite.bench.sidecar;

import io.dqlite.bench.KvWorkload;
import io.dqlite.bench.WriteMode;
import io.dqlite.client.jdbc.DqliteDataSource;
import io.dqlite.client.jdbc.DqliteTransactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Random;

/**
 * One worker's connection and its kvwrite: the prepared INSERT OR REPLACE of a key and a 1 KiB
 * value through {@link DqliteTransactions}, as a transaction (lazy BEGIN, the INSERT, COMMIT) or in
 * auto-commit mode, with the latency of every measured write, the retries the helper absorbed and
 * the errors that reached the caller. Used by one thread at a time.
 */
class Writer implements AutoCloseable {

  /**
   * What a write is.
   *
   * @param mode a three-request transaction or one auto-commit request
   * @param keys 0: a new random key per write; N: a key drawn from N fixed ones
   */
  record Kind(WriteMode mode, int keys) {}

  private final Random random;
  private final Kind kind;
  private Connection connection;
  private PreparedStatement insert;
  long[] samples = new long[16 * 1024];
  int count;
  long errors;
  long retries;
  String firstError;

  Writer(Random random, Kind kind) {
    this.random = random;
    this.kind = kind;
  }

  void open(DqliteDataSource dataSource) throws SQLException {
    connection = dataSource.getConnection();
    insert = connection.prepareStatement(KvWorkload.WRITE_SQL);
  }

  /** One write; its latency is recorded when {@code measured}. False when it failed. */
  boolean write(boolean measured) {
    String key =
        kind.keys() > 0
            ? KvWorkload.fixedKey(random.nextInt(kind.keys()))
            : KvWorkload.randomKey(random);
    String value = KvWorkload.randomValue(random);
    long t0 = System.nanoTime();
    int attempts;
    try {
      attempts =
          kind.mode().insert(connection, DqliteTransactions.Policy.defaults(), insert, key, value);
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
      retries += attempts - 1;
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
