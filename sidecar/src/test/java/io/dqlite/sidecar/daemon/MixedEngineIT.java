package io.dqlite.sidecar.daemon;

import static io.dqlite.sidecar.daemon.SidecarCluster.cluster;
import static io.dqlite.sidecar.daemon.SidecarCluster.jdbc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.client.Client;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * One cluster of libdqlite 1.11.1 (host) and 1.18.1 (trixie root) nodes, as during a rolling
 * upgrade: leadership moves from one engine to the other and back with writes in between, and a
 * 1.11.1 node that was down catches up from a 1.18.1 leader that has taken snapshots since (small
 * snapshot thresholds force them), so it gets a snapshot written by the newer engine.
 */
class MixedEngineIT {

  private static final String[] HOSTS = {"127.0.118.11", "127.0.118.12", "127.0.118.13"};
  private static final Engine[] ENGINES = {Engine.HOST, Engine.TRIXIE, Engine.HOST};
  private static final Duration MOVE = Duration.ofSeconds(30);

  @org.junit.jupiter.api.Test
  void leadershipMovesBetweenEnginesBothWays_andAnOldNodeCatchesUpFromANewLeader()
      throws Exception {
    try (SidecarCluster c =
        SidecarCluster.start(
            "mixed",
            HOSTS,
            ENGINES,
            List.of("--snapshot-threshold", "32", "--snapshot-trailing", "32"))) {
      SidecarProcess oldNode = c.sidecars().get(0);
      SidecarProcess newNode = c.sidecars().get(1);
      SidecarProcess oldFollower = c.sidecars().get(2);
      assertThat(cluster(newNode).get("self").get("engine").get("version").asText())
          .isEqualTo("1.18.0");
      assertThat(cluster(oldNode).get("self").get("engine").get("version").asText())
          .isEqualTo("1.10.0");
      // The default applied depends on the engine (EngineDefaults): the 1.18.1 node got
      // snapshot compression off; nothing was passed to 1.11.1, which has no such call.
      assertThat(cluster(newNode).get("self").get("engine").get("snapshotCompression").isBoolean())
          .isTrue();
      assertThat(cluster(newNode).get("self").get("engine").get("snapshotCompression").asBoolean())
          .isFalse();
      assertThat(cluster(oldNode).get("self").get("engine").path("snapshotCompression").isBoolean())
          .as("1.11.1: unset")
          .isFalse();
      try (Connection conn = jdbc(oldFollower, "mixed");
          Statement st = conn.createStatement()) {
        st.execute("CREATE TABLE t (n INTEGER)");
      }

      transferTo(c, oldNode);
      insert(oldFollower, 0, 10);
      transferTo(c, newNode);
      insert(oldFollower, 10, 20);
      assertThat(count(newNode)).isEqualTo(20);
      transferTo(c, oldNode);
      insert(newNode, 20, 30);
      assertThat(count(oldFollower)).isEqualTo(30);

      // A 1.11.1 node misses more entries than the 1.18.1 leader keeps: it needs its snapshot.
      assertThat(oldFollower.terminate(Duration.ofSeconds(60))).isNotEqualTo(-1);
      transferTo(c, newNode);
      insert(newNode, 30, 130);
      oldFollower.start(List.of(), oldFollower.address());
      transferTo(c, oldFollower);
      assertThat(count(newNode)).isEqualTo(130);
      assertThat(sum(oldFollower)).isEqualTo(130L * 129 / 2);
    }
  }

  /** Asks the leader to transfer leadership to {@code target}, and waits until all agree. */
  private static void transferTo(SidecarCluster c, SidecarProcess target) throws Exception {
    long id = target.nodeId();
    await("leadership at " + target)
        .atMost(MOVE)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              String leader = c.leaderAddress();
              if (!leader.equals(target.address())) {
                try (Client client = Client.connect(leader)) {
                  client.transfer(id);
                }
              }
              for (SidecarProcess s : c.sidecars()) {
                if (s.isAlive()) {
                  assertThat(cluster(s).get("leader").get("address").asText())
                      .as(s.toString())
                      .isEqualTo(target.address());
                }
              }
            });
  }

  private static void insert(SidecarProcess via, int from, int to) throws SQLException {
    try (Connection conn = jdbc(via, "mixed");
        Statement st = conn.createStatement()) {
      for (int i = from; i < to; i++) {
        st.execute("INSERT INTO t VALUES (" + i + ")");
      }
    }
  }

  private static long count(SidecarProcess via) throws SQLException {
    return query(via, "SELECT count(*) FROM t");
  }

  private static long sum(SidecarProcess via) throws SQLException {
    return query(via, "SELECT sum(n) FROM t");
  }

  private static long query(SidecarProcess via, String sql) throws SQLException {
    try (Connection conn = jdbc(via, "mixed");
        Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    }
  }
}
