package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.testing.DqliteDemoCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Writers of one JVM queue for the database: plain JDBC transactions on several threads, with no
 * retry helper, never see a busy error, which dqlite answers at once to a second writer (and the
 * driver reports at once inside a transaction).
 */
class WriterQueueIT {

  private static final int THREADS = 4;
  private static final int TRANSACTIONS = 40;

  private static DqliteDemoCluster cluster;
  private static String base;

  @BeforeAll
  static void startCluster() throws SQLException {
    cluster = DqliteDemoCluster.start(3, "127.0.2.6");
    base = cluster.jdbcUrl("writer-queue-it");
    try (Connection c = DriverManager.getConnection(base);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
      s.execute("INSERT INTO counter VALUES (1, 0), (2, 0)");
      s.execute("CREATE TABLE entry (worker INTEGER, i INTEGER, payload TEXT, UNIQUE (worker, i))");
    }
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** One thread's transactions; each returns how many it committed. */
  private interface Body {
    void run(Connection c, int worker, int i) throws SQLException;
  }

  private static void onThreads(String url, Body body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int w = 0; w < THREADS; w++) {
        int worker = w;
        done.add(
            pool.submit(
                () -> {
                  try (Connection c = DriverManager.getConnection(url)) {
                    c.setAutoCommit(false);
                    for (int i = 0; i < TRANSACTIONS; i++) {
                      body.run(c, worker, i);
                      c.commit();
                    }
                  }
                  return TRANSACTIONS;
                }));
      }
      for (Future<Integer> f : done) {
        // Any SQLException of any thread (a busy error above all) fails the test here.
        assertThat(f.get(180, TimeUnit.SECONDS)).isEqualTo(TRANSACTIONS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static long counter(int id) throws SQLException {
    try (Connection c = DriverManager.getConnection(base);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT n FROM counter WHERE id = " + id)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void deferredWriteTransactionsOfManyThreadsNeverSeeBusy() throws Exception {
    onThreads(
        base,
        (c, worker, i) -> {
          try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE counter SET n = n + 1 WHERE id = 1");
          }
          try (PreparedStatement ps = c.prepareStatement("INSERT INTO entry VALUES (?, ?, ?)")) {
            ps.setInt(1, worker);
            ps.setInt(2, i);
            ps.setString(3, "x".repeat(1024));
            ps.executeUpdate();
          }
        });

    assertThat(counter(1)).isEqualTo(THREADS * TRANSACTIONS);
    try (Connection c = DriverManager.getConnection(base);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT worker) FROM entry")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(THREADS * TRANSACTIONS);
      assertThat(rs.getLong(2)).isEqualTo(THREADS);
    }
  }

  @Test
  void immediateTransactionsReadThenWriteWithoutLostUpdates() throws Exception {
    // BEGIN IMMEDIATE waits its turn, so the read is never stale when the write comes.
    onThreads(
        base + "?transactionMode=IMMEDIATE",
        (c, worker, i) -> {
          long n;
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("SELECT n FROM counter WHERE id = 2")) {
            rs.next();
            n = rs.getLong(1);
          }
          try (PreparedStatement ps = c.prepareStatement("UPDATE counter SET n = ? WHERE id = 2")) {
            ps.setLong(1, n + 1);
            ps.executeUpdate();
          }
        });

    assertThat(counter(2)).isEqualTo(THREADS * TRANSACTIONS);
  }
}
