package io.dqlite.client.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import io.dqlite.client.protocol.ProtocolConnection;
import io.dqlite.client.testing.DqliteDemoCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Leader discovery against a real 3-node go-dqlite cluster; the last tests kill nodes, so the order
 * is fixed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeaderConnectorIT {

  private static DqliteDemoCluster cluster;

  @BeforeAll
  static void start() {
    cluster = DqliteDemoCluster.start(3);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static ProtocolConnection connect(NodeStore store) throws NoLeaderException {
    return new LeaderConnector(store, cluster.connectorConfig()).connect();
  }

  private static String leaderAddress() {
    return cluster.leader().orElseThrow().address();
  }

  @Test
  @Order(1)
  void findsTheLeaderFromEveryFollowerAddressAlone() throws Exception {
    String leader = leaderAddress();
    List<String> followers = new ArrayList<>(cluster.addresses());
    followers.remove(leader);
    assertThat(followers).hasSize(2);
    for (String follower : followers) {
      try (ProtocolConnection c = connect(InMemoryNodeStore.of(follower))) {
        assertThat(c.address()).isEqualTo(leader);
        int db = c.open("connector");
        c.execSql(db, "CREATE TABLE IF NOT EXISTS t (a)", List.of());
      }
    }
  }

  @Test
  @Order(2)
  void skipsDeadAddresses() throws Exception {
    String dead = "127.0.0.1:" + deadPort();
    List<NodeInfo> nodes = new ArrayList<>();
    nodes.add(new NodeInfo(0, dead, NodeRole.VOTER));
    cluster.addresses().forEach(a -> nodes.add(new NodeInfo(0, a, NodeRole.SPARE)));
    try (ProtocolConnection c = connect(new InMemoryNodeStore(nodes))) {
      assertThat(c.address()).isEqualTo(leaderAddress());
    }
  }

  @Test
  @Order(3)
  void findsTheNewLeaderAfterTheOldOneIsKilled() throws Exception {
    DqliteDemoCluster.Node old = cluster.leader().orElseThrow();
    NodeStore store = cluster.store();
    old.kill();
    try (ProtocolConnection c = connect(store)) {
      assertThat(c.address()).isNotEqualTo(old.address()).isIn(cluster.addresses());
      int db = c.open("connector");
      c.execSql(db, "INSERT INTO t VALUES (1)", List.of());
    }
  }

  @Test
  @Order(4)
  void namesEveryAddressWhenTheWholeClusterIsDown() {
    cluster.nodes().forEach(DqliteDemoCluster.Node::kill);
    ConnectorConfig config =
        cluster.connectorConfig().toBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    assertThatThrownBy(() -> new LeaderConnector(cluster.store(), config).connect())
        .isInstanceOfSatisfying(
            NoLeaderException.class,
            e -> {
              assertThat(e.attempts())
                  .extracting(NoLeaderException.Attempt::address)
                  .containsExactlyInAnyOrderElementsOf(cluster.addresses());
              assertThat(e.attempts()).allSatisfy(a -> assertThat(a.outcome()).contains("refused"));
              assertThat(e.getMessage()).contains("deadline of 3000 ms reached");
            });
  }

  private static int deadPort() throws Exception {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
