package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dqlite.client.testing.DqliteDemoCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Group commit ({@code groupCommit=TRUE}) on a real three-node dqlite-demo cluster: writes that
 * queue together commit together, and each keeps its own update count, generated key and error.
 */
class GroupCommitIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private static DqliteDemoCluster cluster;
  private static String url;
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @BeforeAll
  static void startCluster() throws SQLException {
    cluster = DqliteDemoCluster.start(3, "127.0.2.8");
    url = cluster.jdbcUrl("group-commit-it?groupCommit=TRUE&busyTimeout=60000");
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE kv (k TEXT NOT NULL UNIQUE, v TEXT)");
      s.execute("INSERT INTO kv (k, v) VALUES ('taken', 'before')");
    }
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void stopThreads() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
  }

  /** Inserts {@code key} on its own connection; returns the generated rowid. */
  private Future<Long> insert(String key) {
    return pool.submit(
        () -> {
          try (Connection c = DriverManager.getConnection(url);
              PreparedStatement ps =
                  c.prepareStatement(
                      "INSERT INTO kv (k, v) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, key);
            ps.setString(2, "value of " + key);
            assertThat(ps.executeUpdate()).isEqualTo(1);
            try (ResultSet keys = ps.getGeneratedKeys()) {
              assertThat(keys.next()).isTrue();
              return keys.getLong(1);
            }
          }
        });
  }

  private static String keyAt(long rowid) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement ps = c.prepareStatement("SELECT k FROM kv WHERE rowid = ?")) {
      ps.setLong(1, rowid);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  @Test
  void writesQueuedBehindATransactionCommitTogetherEachWithItsOwnKeyOrError() throws Exception {
    WriterQueue writers = WriterQueue.shared(cluster.addresses(), "group-commit-it");
    GroupCommit group = writers.group();
    long groupedBefore = group.groupedWrites();
    List<Future<Long>> inserts = new ArrayList<>();
    Future<Long> duplicate;
    try (Connection holder = DriverManager.getConnection(url);
        Statement s = holder.createStatement()) {
      // An open write transaction holds the writer queue: every insert below queues behind it.
      holder.setAutoCommit(false);
      s.executeUpdate("UPDATE kv SET v = 'held' WHERE k = 'taken'");
      inserts.add(insert("a"));
      // The first insert leads a group of one, which waits for the queue; the next three wait
      // for the group after it.
      await().atMost(WAIT).until(() -> writers.waiting() == 1);
      inserts.add(insert("b"));
      duplicate = insert("taken");
      inserts.add(insert("c"));
      await().atMost(WAIT).until(() -> group.waiting() == 3);
      holder.commit();
    }

    List<String> keys = new ArrayList<>();
    for (Future<Long> f : inserts) {
      keys.add(keyAt(f.get(60, TimeUnit.SECONDS)));
    }
    assertThat(keys).containsExactly("a", "b", "c");
    assertThatThrownBy(() -> duplicate.get(60, TimeUnit.SECONDS))
        .hasCauseInstanceOf(SQLIntegrityConstraintViolationException.class)
        .hasMessageContaining("UNIQUE constraint failed: kv.k");
    // b and c committed in a group after the duplicate was taken out of it.
    assertThat(group.groupedWrites() - groupedBefore).isGreaterThanOrEqualTo(2);
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT v FROM kv WHERE k = 'taken'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("held");
    }
  }

  @Test
  void manyWritersLoseNothingAndEveryUpdateCountIsTheirOwn() throws Exception {
    int writers = 6;
    int perWriter = 40;
    List<Future<Integer>> done = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      done.add(
          pool.submit(
              () -> {
                try (Connection c = DriverManager.getConnection(url);
                    PreparedStatement insert =
                        c.prepareStatement("INSERT INTO kv (k, v) VALUES (?, 'x')");
                    PreparedStatement delete =
                        c.prepareStatement("DELETE FROM kv WHERE k LIKE ?")) {
                  for (int i = 0; i < perWriter; i++) {
                    insert.setString(1, "w" + writer + "-" + i);
                    assertThat(insert.executeUpdate()).isEqualTo(1);
                  }
                  // Each writer's own rows, counted by the statement that deleted them.
                  delete.setString(1, "w" + writer + "-1%");
                  return delete.executeUpdate();
                }
              }));
    }
    for (Future<Integer> f : done) {
      // "-1", "-10".."-19", "-100".. within 0..39: 1 + 10 = 11 rows per writer.
      assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo(11);
    }
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM kv WHERE k LIKE 'w%'")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(writers * (perWriter - 11));
    }
  }
}
