package io.dqlite.sidecar.appsocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.client.Client;
import io.dqlite.client.leader.ConnectorConfig;
import io.dqlite.client.leader.InMemoryNodeStore;
import io.dqlite.client.leader.LeaderConnector;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import io.dqlite.client.net.Dialer;
import io.dqlite.client.protocol.ProtocolConnection;
import io.dqlite.client.testing.DqliteDemoCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The app socket's warm upstream on real go-dqlite nodes (dqlite-demo): a fresh socket serves its
 * first client on the connection it dialled ahead, without dialling during the client's session;
 * and a spare whose node lost leadership is closed at the check, never handed out, and the client
 * reaches the new leader. The periodic check is set to an hour here, so only the check at take time
 * can catch the stale spare.
 */
class WarmUpstreamIT {

  private static final String HOST = "127.0.8.10";

  private DqliteDemoCluster cluster;
  private UpstreamConnector connector;
  private AppSocket socket;
  private final AtomicInteger dials = new AtomicInteger();

  @AfterEach
  void stop() {
    if (socket != null) {
      socket.close();
    }
    if (connector != null) {
      connector.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aFreshSocketServesItsFirstClientOnTheUpstreamItDialledAhead() throws Exception {
    start();
    await("a warm upstream").atMost(Duration.ofSeconds(30)).until(connector.warm()::ready);
    int before = dials.get();

    write("INSERT INTO w VALUES (1)");

    assertThat(connector.warm().taken()).as("warm upstreams handed to a client").isEqualTo(1);
    // The client's own session dialled nothing; at most the refill behind it did (one search:
    // the last leader, answering as leader).
    await("the refill").atMost(Duration.ofSeconds(30)).until(connector.warm()::ready);
    assertThat(dials.get() - before).as("dials during and after the client's session").isOne();
  }

  @Test
  void aSpareToAFormerLeaderIsClosedAtTheCheckAndTheClientFindsTheNewLeader() throws Exception {
    start();
    await("a warm upstream").atMost(Duration.ofSeconds(30)).until(connector.warm()::ready);
    String old = connector.lastLeader();
    transferLeadershipAwayFrom(old);

    write("INSERT INTO w VALUES (2)");

    assertThat(connector.warm().discarded()).as("spares closed at the check").isEqualTo(1);
    assertThat(connector.warm().taken()).as("spares handed out").isZero();
    assertThat(connector.lastLeader()).as("the leader the client reached").isNotEqualTo(old);
  }

  private void start() throws Exception {
    cluster = DqliteDemoCluster.start(3, HOST);
    try (ProtocolConnection c =
        new LeaderConnector(cluster.store(), cluster.connectorConfig()).connect()) {
      c.execSql(c.open("warm"), "CREATE TABLE IF NOT EXISTS w (n INT)", List.of());
    }
    Dialer real = cluster.connectorConfig().dialer();
    ConnectorConfig config =
        cluster.connectorConfig().toBuilder()
            .dialer(
                (address, timeout) -> {
                  dials.incrementAndGet();
                  return real.dial(address, timeout);
                })
            .build();
    connector =
        new UpstreamConnector(
                cluster.store(), config, Duration.ofSeconds(10), Duration.ofSeconds(2))
            .keepWarm(Duration.ofHours(1));
    socket =
        AppSocket.serve(
            SocketListener.open("@dqlite-warm-it-" + ProcessHandle.current().pid()),
            connector,
            AppSocket.Limits.defaults(),
            new AcceptBackoff());
  }

  private void transferLeadershipAwayFrom(String address) throws Exception {
    try (Client admin = Client.findLeader(cluster.store(), cluster.connectorConfig())) {
      NodeInfo target =
          admin.cluster().stream()
              .filter(n -> !n.address().equals(address) && n.role() == NodeRole.VOTER)
              .findFirst()
              .orElseThrow();
      admin.transfer(target.id());
    }
    await("leadership moved away from " + address)
        .atMost(Duration.ofSeconds(30))
        .until(() -> cluster.leader().map(n -> !n.address().equals(address)).orElse(false));
  }

  private void write(String sql) throws Exception {
    try (ProtocolConnection c =
        new LeaderConnector(InMemoryNodeStore.of(socket.address()), ConnectorConfig.defaults())
            .connect()) {
      int db = c.open("warm");
      c.execSql(db, sql, List.of());
    }
  }
}
