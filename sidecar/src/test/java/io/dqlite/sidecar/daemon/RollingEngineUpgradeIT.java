package io.dqlite.sidecar.daemon;

import static io.dqlite.sidecar.daemon.SidecarCluster.cluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A rolling upgrade from libdqlite 1.11.1 to 1.18.1 under writes: three 1.11.1 sidecars are stopped
 * one by one (SIGTERM: handover, then exit) and started again on the same data directory in the
 * trixie root, while a writer inserts rows through the cluster; every row whose insert was
 * acknowledged is there at the end, and 1.18.1 reads each node's 1.11.1 raft log.
 */
class RollingEngineUpgradeIT {

  private static final String[] HOSTS = {"127.0.118.21", "127.0.118.22", "127.0.118.23"};
  private static final Engine[] ENGINES = {Engine.HOST, Engine.HOST, Engine.HOST};
  private static final int MAX_ROWS = 5_000;

  /** Between two inserts: about 40 writes/s, so the bound outlasts three restarts. */
  private static final long PACE_NANOS = Duration.ofMillis(20).toNanos();

  @Test
  void everyAcknowledgedWriteSurvivesARollingUpgradeFrom111To118() throws Exception {
    try (SidecarCluster c = SidecarCluster.start("rolling", HOSTS, ENGINES, List.of())) {
      String url =
          "jdbc:dqlite://"
              + c.sidecars().stream().map(SidecarProcess::address).collect(Collectors.joining(","))
              + "/ledger";
      try (Connection conn = DriverManager.getConnection(url);
          Statement st = conn.createStatement()) {
        st.execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY)");
      }
      Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
      AtomicInteger failures = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      Thread writer = new Thread(() -> write(url, acknowledged, failures, stop), "ledger-writer");
      writer.start();
      try {
        for (SidecarProcess s : c.sidecars()) {
          int before = acknowledged.size();
          assertThat(s.terminate(Duration.ofSeconds(60))).as(s + " exited").isNotEqualTo(-1);
          s.engine(Engine.TRIXIE);
          s.start(List.of(), s.address());
          await("upgraded " + s + " ready among 3")
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(500))
              .ignoreExceptions()
              .untilAsserted(
                  () -> {
                    assertThat(s.isAlive()).as(s + " alive\n" + s.logTail(30)).isTrue();
                    assertThat(s.get("/readyz").status()).isEqualTo(200);
                    assertThat(cluster(s).get("members").size()).isEqualTo(3);
                  });
          // The upgraded node read its 1.11.1 log: its last entry at start is past the table.
          assertThat(
                  cluster(s)
                      .get("self")
                      .get("engine")
                      .get("lastEntryAtStart")
                      .get("index")
                      .asLong())
              .isPositive();
          await("writes go on after " + s)
              .atMost(Duration.ofSeconds(30))
              .until(() -> acknowledged.size() > before + 20);
        }
      } finally {
        stop.set(true);
        writer.join(60_000);
      }
      Set<Integer> present = new HashSet<>();
      try (Connection conn = DriverManager.getConnection(url);
          Statement st = conn.createStatement();
          ResultSet rs = st.executeQuery("SELECT id FROM ledger")) {
        while (rs.next()) {
          present.add(rs.getInt(1));
        }
      }
      System.out.printf(
          "rolling upgrade: %d acknowledged, %d present, %d failed attempts%n",
          acknowledged.size(), present.size(), failures.get());
      assertThat(acknowledged).isNotEmpty();
      assertThat(present).containsAll(acknowledged);
      for (SidecarProcess s : c.sidecars()) {
        assertThat(cluster(s).get("self").get("engine").get("version").asText())
            .isEqualTo("1.18.0");
      }
    }
  }

  /** Inserts ids 0, 1, ... until stopped (at most {@link #MAX_ROWS}); records acknowledged ids. */
  private static void write(
      String url, Set<Integer> acknowledged, AtomicInteger failures, AtomicBoolean stop) {
    int next = 0;
    Connection conn = null;
    try {
      while (!stop.get() && next < MAX_ROWS) {
        try {
          if (conn == null) {
            conn = DriverManager.getConnection(url);
          }
          try (PreparedStatement ps = conn.prepareStatement("INSERT INTO ledger VALUES (?)")) {
            ps.setInt(1, next);
            ps.executeUpdate();
          }
          acknowledged.add(next);
        } catch (SQLException e) {
          // Not acknowledged: it may or may not be there. A new connection finds the leader.
          failures.incrementAndGet();
          closeQuietly(conn);
          conn = null;
        }
        next++;
        java.util.concurrent.locks.LockSupport.parkNanos(PACE_NANOS);
      }
    } finally {
      closeQuietly(conn);
    }
  }

  private static void closeQuietly(Connection conn) {
    if (conn != null) {
      try {
        conn.close();
      } catch (SQLException e) {
        // the connection is gone either way
      }
    }
  }
}
