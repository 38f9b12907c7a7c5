package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dqlite.client.Client;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.testing.DqliteDemoCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Leadership changes under a JDBC client, on a real three-node dqlite-demo cluster. */
class JdbcLeadershipIT {

  private DqliteDemoCluster cluster;
  private String url;

  @BeforeEach
  void startCluster() {
    cluster = DqliteDemoCluster.start(3, "127.0.2.2");
    url =
        cluster.jdbcUrl(
            "leadership?leaderTimeout=30000&connectTimeout=2000&attemptTimeout=5000"
                + "&requestTimeout=20000");
  }

  @AfterEach
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Moves leadership away from {@code from} to another voter and waits until it moved. */
  private String transferLeadershipAwayFrom(String from) throws Exception {
    try (Client client = Client.findLeader(cluster.store(), cluster.connectorConfig())) {
      assertThat(client.address()).isEqualTo(from);
      NodeInfo target =
          client.cluster().stream()
              .filter(
                  n ->
                      !n.address().equals(from)
                          && n.role() == io.dqlite.client.model.NodeRole.VOTER)
              .findFirst()
              .orElseThrow();
      client.transfer(target.id());
      return target.address();
    }
  }

  @Test
  void nextStatementReachesTheNewLeaderAfterATransfer() throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (v INTEGER)");
      s.execute("INSERT INTO t VALUES (1)");
      PreparedStatement insert = c.prepareStatement("INSERT INTO t VALUES (?)");
      String old = c.unwrap(DqliteConnection.class).leaderAddress();

      String target = transferLeadershipAwayFrom(old);

      // The old leader answers "not leader" before running anything: the driver reconnects and
      // runs the statement on the new leader, once. The prepared statement is prepared again.
      insert.setInt(1, 2);
      assertThat(insert.executeUpdate()).isEqualTo(1);
      assertThat(c.unwrap(DqliteConnection.class).leaderAddress()).isEqualTo(target);
      try (ResultSet rs = s.executeQuery("SELECT count(*), sum(v) FROM t")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(2);
        assertThat(rs.getInt(2)).isEqualTo(3);
      }
      insert.close();
    }
  }

  @Test
  void openTransactionLosingItsLeaderFailsWithARetryableState() throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (v INTEGER)");
      c.setAutoCommit(false);
      s.execute("INSERT INTO t VALUES (1)");
      String old = c.unwrap(DqliteConnection.class).leaderAddress();

      transferLeadershipAwayFrom(old);

      AtomicReference<SQLException> failure = new AtomicReference<>();
      assertThatThrownBy(() -> s.execute("INSERT INTO t VALUES (2)"))
          .isInstanceOf(SQLTransactionRollbackException.class)
          .satisfies(e -> failure.set((SQLException) e));
      assertThat(failure.get().getSQLState()).isEqualTo("40001");
      assertThat(failure.get().getMessage()).contains("transaction rolled back").contains(old);
      assertThat(DqliteSqlState.isRetryable(failure.get())).isTrue();
      // commit() must not pretend the lost transaction succeeded.
      assertThatThrownBy(c::commit)
          .isInstanceOf(SQLTransactionRollbackException.class)
          .hasMessageContaining("already been rolled back");
      c.rollback();

      // Retrying the whole transaction works on the new leader.
      s.execute("INSERT INTO t VALUES (3)");
      c.commit();
      try (ResultSet rs = s.executeQuery("SELECT group_concat(v) FROM t")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("3");
      }
      c.commit();
    }
  }

  @Test
  void writerSurvivesAKilledLeaderWithoutLosingAcknowledgedRows() throws Exception {
    DqliteDataSource ds = withAckedTable(url);
    Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    Set<Long> unknown = ConcurrentHashMap.newKeySet();
    int total = 400;
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try (Connection c = ds.getConnection()) {
      // The writer inserts rows 1..total, each in its own transaction, while the leader dies.
      Future<?> writer =
          executor.submit(
              () -> {
                for (long id = 1; id <= total; id++) {
                  long row = id;
                  writeRow(
                      row,
                      acknowledged,
                      unknown,
                      () ->
                          DqliteTransactions.inTransaction(
                              c,
                              POLICY,
                              conn -> {
                                try (PreparedStatement ps =
                                    conn.prepareStatement("INSERT INTO acked VALUES (?, 'w')")) {
                                  ps.setLong(1, row);
                                  return ps.executeUpdate();
                                }
                              }));
                }
                return null;
              });
      await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 100);
      DqliteDemoCluster.Node leader = cluster.leader().orElseThrow();
      leader.kill();
      writer.get(3, TimeUnit.MINUTES);

      assertNoAcknowledgedRowLost(c, leader, total, acknowledged, unknown);
    } finally {
      executor.shutdownNow();
    }
  }

  /** Retries for up to a minute: long enough to ride out a killed leader's election. */
  private static final DqliteTransactions.Policy POLICY =
      DqliteTransactions.Policy.defaults().timeout(Duration.ofSeconds(60));

  /** A data source on {@code url}, whose database has the empty table {@code acked}. */
  private static DqliteDataSource withAckedTable(String url) throws SQLException {
    DqliteDataSource ds = new DqliteDataSource(url);
    try (Connection setup = ds.getConnection();
        Statement s = setup.createStatement()) {
      s.execute("CREATE TABLE acked (id INTEGER PRIMARY KEY, writer TEXT)");
    }
    return ds;
  }

  /** A write through the retry helper. */
  private interface RowWrite {
    void run() throws SQLException;
  }

  /**
   * Runs the write of row {@code id}: acknowledged when it returns; of unknown outcome when it
   * fails with 08007, the only failure allowed (a write or COMMIT in flight, never lost).
   */
  private static void writeRow(long id, Set<Long> acknowledged, Set<Long> unknown, RowWrite write) {
    try {
      write.run();
      acknowledged.add(id);
    } catch (SQLException e) {
      assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("08007");
      unknown.add(id);
    }
  }

  /**
   * After {@code leader} was killed under writers of rows 1..total: every row is acknowledged or of
   * unknown outcome (a COMMIT in flight), few are unknown, the connection moved to a new leader,
   * every acknowledged row is there, and every other row there is an unknown one.
   */
  private static void assertNoAcknowledgedRowLost(
      Connection c,
      DqliteDemoCluster.Node leader,
      int total,
      Set<Long> acknowledged,
      Set<Long> unknown)
      throws SQLException {
    LoggerFactory.getLogger(JdbcLeadershipIT.class)
        .info(
            "killed leader {}: {} rows acknowledged, {} with unknown outcome",
            leader.address(),
            acknowledged.size(),
            unknown.size());
    assertThat(acknowledged.size() + unknown.size()).isEqualTo(total);
    assertThat(unknown).hasSizeLessThan(10);
    assertThat(c.unwrap(DqliteConnection.class).leaderAddress()).isNotEqualTo(leader.address());

    Set<Long> present = new HashSet<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM acked")) {
      while (rs.next()) {
        present.add(rs.getLong(1));
      }
    }
    assertThat(present).containsAll(acknowledged);
    Set<Long> extra = new HashSet<>(present);
    extra.removeAll(acknowledged);
    assertThat(unknown).containsAll(extra);
  }

  @Test
  void groupCommitWritersSurviveAKilledLeaderWithoutLosingAcknowledgedRows() throws Exception {
    DqliteDataSource ds = withAckedTable(url + "&groupCommit=TRUE");
    Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    Set<Long> unknown = ConcurrentHashMap.newKeySet();
    int writers = 4;
    int perWriter = 150;
    ExecutorService executor = Executors.newFixedThreadPool(writers);
    try (Connection c = ds.getConnection()) {
      // Writer w inserts rows w+1, w+1+writers, ... in auto-commit mode: they commit in groups.
      List<Future<?>> running = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int first = w + 1;
        running.add(
            executor.submit(
                () -> {
                  try (Connection own = ds.getConnection();
                      PreparedStatement ps =
                          own.prepareStatement("INSERT INTO acked VALUES (?, 'g')")) {
                    for (long id = first; id <= (long) writers * perWriter; id += writers) {
                      ps.setLong(1, id);
                      writeRow(
                          id,
                          acknowledged,
                          unknown,
                          () ->
                              DqliteTransactions.inAutoCommit(
                                  own, POLICY, conn -> ps.executeUpdate()));
                    }
                  }
                  return null;
                }));
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 150);
      DqliteDemoCluster.Node leader = cluster.leader().orElseThrow();
      leader.kill();
      for (Future<?> f : running) {
        f.get(3, TimeUnit.MINUTES);
      }
      // The reader's own connection finds the new leader too.
      try (Statement s = c.createStatement()) {
        s.execute("SELECT 1");
      }

      assertNoAcknowledgedRowLost(c, leader, writers * perWriter, acknowledged, unknown);
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void manyWritersThroughTheHelperSurfaceNoBusyErrors() throws Exception {
    DqliteDataSource ds = new DqliteDataSource(url + "&busyTimeout=0");
    try (Connection setup = ds.getConnection();
        Statement s = setup.createStatement()) {
      s.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)");
      s.execute("INSERT INTO counter VALUES (1, 0)");
    }
    int writers = 4;
    int perWriter = 50;
    Thread[] threads = new Thread[writers];
    AtomicReference<Throwable> error = new AtomicReference<>();
    for (int w = 0; w < writers; w++) {
      threads[w] =
          new Thread(
              () -> {
                try (Connection c = ds.getConnection()) {
                  for (int i = 0; i < perWriter; i++) {
                    DqliteTransactions.inTransaction(
                        c,
                        conn -> {
                          try (Statement st = conn.createStatement()) {
                            // Read then write in one transaction: the classic busy case.
                            try (ResultSet rs =
                                st.executeQuery("SELECT n FROM counter WHERE id = 1")) {
                              rs.next();
                            }
                            return st.executeUpdate("UPDATE counter SET n = n + 1 WHERE id = 1");
                          }
                        });
                  }
                } catch (Throwable t) {
                  error.compareAndSet(null, t);
                }
              });
      threads[w].start();
    }
    for (Thread t : threads) {
      t.join(Duration.ofMinutes(3).toMillis());
      assertThat(t.isAlive()).as("writer finished within 3 minutes").isFalse();
    }
    assertThat(error.get()).isNull();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT n FROM counter")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(writers * perWriter);
    }
  }
}
