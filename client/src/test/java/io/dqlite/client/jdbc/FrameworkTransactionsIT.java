package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dqlite.client.testing.DqliteDemoCluster;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transactions the way frameworks (Hibernate, Spring's DataSourceTransactionManager) run them,
 * behind HikariCP: {@code setAutoCommit(false)}, read, write, {@code commit()}, with no retry
 * helper. Under the default transaction mode none may surface a busy error; read-only transactions
 * must not wait for the writer turn; a call the pool would take as fatal must not evict a healthy
 * connection.
 */
class FrameworkTransactionsIT {

  private static final Logger log = LoggerFactory.getLogger(FrameworkTransactionsIT.class);
  private static final int WRITERS = 16;
  private static final int TRANSACTIONS = 200;

  private static DqliteDemoCluster cluster;

  @BeforeAll
  static void start() {
    cluster = DqliteDemoCluster.start(3, "127.0.2.91");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static HikariDataSource pool(String database, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(cluster.jdbcUrl(database));
    config.setMaximumPoolSize(size);
    config.setPoolName("framework-" + database);
    return new HikariDataSource(config);
  }

  @Test
  void readModifyWriteTransactionsFromManyThreadsAllCommit() throws Exception {
    try (HikariDataSource pool = pool("rmw", WRITERS + 2)) {
      try (Connection c = pool.getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
        s.execute("CREATE TABLE log (id INTEGER PRIMARY KEY, thread INTEGER, seq INTEGER)");
        for (int t = 0; t < WRITERS; t++) {
          s.executeUpdate("INSERT INTO counter (id, n) VALUES (" + t + ", 0)");
        }
      }
      Map<Integer, Throwable> failures = new ConcurrentHashMap<>();
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicLong reads = new AtomicLong();
      AtomicLong slowestRead = new AtomicLong();
      List<Throwable> readFailures = new ArrayList<>();
      ExecutorService threads = Executors.newFixedThreadPool(WRITERS + 2);
      long start = System.nanoTime();
      for (int t = 0; t < WRITERS; t++) {
        int thread = t;
        threads.submit(
            () -> {
              for (int i = 0; i < TRANSACTIONS && failures.isEmpty(); i++) {
                try {
                  readModifyWrite(pool, thread, i);
                } catch (Throwable e) {
                  failures.putIfAbsent(thread * TRANSACTIONS + i, e);
                }
              }
            });
      }
      for (int r = 0; r < 2; r++) {
        threads.submit(
            () -> {
              // Bounded, and sharing the two cores with the writers.
              for (int i = 0; i < 2000 && writing.get(); i++) {
                try (Connection c = pool.getConnection()) {
                  c.setReadOnly(true);
                  c.setAutoCommit(false);
                  long begun = System.nanoTime();
                  try (Statement s = c.createStatement();
                      ResultSet rs =
                          s.executeQuery(
                              "SELECT (SELECT total(n) FROM counter),"
                                  + " (SELECT count(*) FROM log)")) {
                    rs.next();
                    // One snapshot: every committed transaction added one to both.
                    assertThat(rs.getLong(1)).isEqualTo(rs.getLong(2));
                  }
                  c.commit();
                  slowestRead.accumulateAndGet(System.nanoTime() - begun, Math::max);
                  reads.incrementAndGet();
                } catch (Throwable e) {
                  synchronized (readFailures) {
                    readFailures.add(e);
                  }
                  return;
                }
              }
            });
      }
      threads.shutdown();
      // The writers alone: a bound, then the readers are told to stop.
      boolean done = false;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
      while (!done && System.nanoTime() < deadline) {
        done = countLog(pool) == WRITERS * TRANSACTIONS || !failures.isEmpty();
        if (!done) {
          threads.awaitTermination(100, TimeUnit.MILLISECONDS);
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      writing.set(false);
      assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      if (!failures.isEmpty()) {
        Throwable first = failures.values().iterator().next();
        throw new AssertionError(
            failures.size() + " transaction(s) failed, first: " + first, first);
      }
      assertThat(readFailures).isEmpty();
      log.info(
          "{} read-modify-write transactions from {} threads in {} s: {} tx/s; {} read-only"
              + " transactions meanwhile, the slowest {} ms",
          WRITERS * TRANSACTIONS,
          WRITERS,
          String.format("%.1f", seconds),
          String.format("%.0f", WRITERS * TRANSACTIONS / seconds),
          reads.get(),
          String.format("%.1f", slowestRead.get() / 1e6));
      assertThat(reads.get()).isPositive();
      try (Connection c = pool.getConnection();
          Statement s = c.createStatement()) {
        for (int t = 0; t < WRITERS; t++) {
          try (ResultSet rs =
              s.executeQuery(
                  "SELECT (SELECT n FROM counter WHERE id = "
                      + t
                      + "),"
                      + " (SELECT count(DISTINCT seq) FROM log WHERE thread = "
                      + t
                      + ")")) {
            rs.next();
            assertThat(rs.getLong(1)).as("counter of thread %d", t).isEqualTo(TRANSACTIONS);
            assertThat(rs.getLong(2)).as("log rows of thread %d", t).isEqualTo(TRANSACTIONS);
          }
        }
        assertThat(countLog(pool)).isEqualTo(WRITERS * TRANSACTIONS);
      }
    }
  }

  private static void readModifyWrite(HikariDataSource pool, int thread, int seq)
      throws SQLException {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        long n;
        try (PreparedStatement ps = c.prepareStatement("SELECT n FROM counter WHERE id = ?")) {
          ps.setInt(1, thread);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            n = rs.getLong(1);
          }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE counter SET n = ? WHERE id = ?")) {
          ps.setLong(1, n + 1);
          ps.setInt(2, thread);
          ps.executeUpdate();
        }
        try (PreparedStatement ps =
            c.prepareStatement("INSERT INTO log (thread, seq) VALUES (?, ?)")) {
          ps.setInt(1, thread);
          ps.setInt(2, seq);
          ps.executeUpdate();
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private static long countLog(HikariDataSource pool) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM log")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * A read-only transaction runs while another connection of the same thread holds the writer turn;
   * a transaction that is not read-only fails at once: only the first connection, on this very
   * thread, could give the turn back.
   */
  @Test
  void readOnlyTransactionsDoNotWaitForTheWriterTurn() throws Exception {
    String url = cluster.jdbcUrl("ro") + "?busyTimeout=500";
    try (Connection writer = DriverManager.getConnection(url);
        Connection reader = DriverManager.getConnection(url);
        Connection other = DriverManager.getConnection(url)) {
      try (Statement s = writer.createStatement()) {
        s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
        s.execute("INSERT INTO t (v) VALUES ('a')");
      }
      writer.setAutoCommit(false);
      try (Statement s = writer.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
        rs.next(); // BEGIN IMMEDIATE: the writer turn is held from here
      }

      reader.setReadOnly(true);
      reader.setAutoCommit(false);
      try (Statement s = reader.createStatement();
          ResultSet rs = s.executeQuery("SELECT v FROM t")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("a");
      }
      reader.commit();

      other.setAutoCommit(false);
      assertThatThrownBy(
              () -> {
                try (Statement s = other.createStatement()) {
                  s.executeQuery("SELECT v FROM t").close();
                }
              })
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("this thread already holds the writer queue");
      other.rollback();

      try (Statement s = writer.createStatement()) {
        s.executeUpdate("INSERT INTO t (v) VALUES ('b')");
      }
      writer.commit();
    }
  }

  /**
   * {@link DqliteTransactions} run on a thread whose other connection holds the writer turn in an
   * open transaction: only that thread can end it, so no retry can succeed. The helper must report
   * the failure at once, not retry it until its 60 s limit. The bound is a hang detector, far above
   * one attempt; it runs the whole scenario on its own thread, which is the one holding the turn.
   */
  @Test
  void dqliteTransactionsReportsAWriteBlockedByThisThreadsOwnTransactionAtOnce() {
    String url = cluster.jdbcUrl("nested") + "?busyTimeout=500";
    SQLException failure =
        assertTimeoutPreemptively(
            Duration.ofSeconds(15),
            () -> {
              try (Connection outer = DriverManager.getConnection(url);
                  Connection inner = DriverManager.getConnection(url)) {
                try (Statement s = outer.createStatement()) {
                  s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
                }
                outer.setAutoCommit(false);
                try (Statement s = outer.createStatement()) {
                  s.executeUpdate("INSERT INTO t (v) VALUES ('outer')");
                }
                SQLException e =
                    catchThrowableOfType(
                        SQLException.class,
                        () ->
                            DqliteTransactions.inTransaction(
                                inner,
                                c -> {
                                  try (Statement s = c.createStatement()) {
                                    return s.executeUpdate("INSERT INTO t (v) VALUES ('inner')");
                                  }
                                }));
                outer.commit();
                return e;
              }
            },
            "DqliteTransactions kept retrying a write only this thread's own transaction blocks");
    assertThat((Throwable) failure)
        .as("the inner transaction fails")
        .isNotNull()
        .hasMessageContaining("this thread already holds the writer queue")
        .hasNoSuppressedExceptions(); // one attempt, no "gave up after N attempts"
    assertThat(DqliteSqlState.isRetryable(failure)).isFalse();
  }

  /** createClob, createBlob and an unsupported call through Hikari keep the physical connection. */
  @Test
  void lobsAndUnsupportedCallsDoNotEvictThePooledConnection() throws Exception {
    try (HikariDataSource pool = pool("lob", 1)) {
      DqliteConnection physical;
      try (Connection c = pool.getConnection();
          Statement s = c.createStatement()) {
        physical = c.unwrap(DqliteConnection.class);
        s.execute("CREATE TABLE doc (id INTEGER PRIMARY KEY, body TEXT, data BLOB)");
        Clob clob = c.createClob();
        clob.setString(1, "hello, clob");
        var blob = c.createBlob();
        blob.setBytes(1, new byte[] {1, 2, 3});
        try (PreparedStatement ps =
            c.prepareStatement("INSERT INTO doc (body, data) VALUES (?, ?)")) {
          ps.setClob(1, clob);
          ps.setBlob(2, blob);
          ps.executeUpdate();
        }
        clob.free();
        blob.free();
        c.createNClob().free();
        assertThatThrownBy(() -> c.prepareCall("CALL x()"))
            .isInstanceOf(SQLFeatureNotSupportedException.class);
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        assertThat(physical.getTransactionIsolation())
            .isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
        assertThatThrownBy(() -> c.setTransactionIsolation(Connection.TRANSACTION_NONE))
            .isInstanceOf(SQLException.class)
            .extracting(e -> ((SQLException) e).getSQLState())
            .isEqualTo("HY024");
      }
      try (Connection c = pool.getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT body, data FROM doc")) {
        assertThat(c.unwrap(DqliteConnection.class)).isSameAs(physical);
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("hello, clob");
        assertThat(rs.getBytes(2)).containsExactly(1, 2, 3);
      }
      assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(1);
    }
  }
}
