package io.dqlite.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dqlite.client.Client;
import io.dqlite.client.jdbc.DqliteDataSource;
import io.dqlite.client.jdbc.DqliteProperty;
import io.dqlite.client.leader.ConnectorConfig;
import io.dqlite.client.leader.InMemoryNodeStore;
import io.dqlite.client.leader.LeaderConnector;
import io.dqlite.client.leader.NoLeaderException;
import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import io.dqlite.client.protocol.ProtocolConnection;
import io.dqlite.client.protocol.Rows;
import io.dqlite.sidecar.tls.SimpleTls;
import io.dqlite.sidecar.tls.TestCertificates;
import io.dqlite.sidecar.tls.TlsCredentials;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apps with TLS, as go-dqlite wires it: libdqlite on a private abstract socket, a mutual-TLS
 * listener on the public address in front of it, raft's outgoing connections dialled with TLS and
 * handed to libdqlite through socketpairs, and the App's clients dialling with TLS.
 */
class TlsIT {

  private static final String HOST = "127.0.7.13";
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  @TempDir Path tmp;

  private final TestCertificates.Authority authority = TestCertificates.authority("dqlite-ca");
  private AppCluster cluster;

  @BeforeEach
  void cluster() {
    cluster =
        new AppCluster(
            tmp,
            HOST,
            b -> b.rolesAdjustmentFrequency(Duration.ofSeconds(1)).tls(tls(credentials())));
  }

  @AfterEach
  void close() {
    cluster.close();
  }

  /** A node certificate of the cluster's authority, with go-dqlite's shared DNS name. */
  private TlsCredentials credentials() {
    return authority.node("node").dns("dqlite").ip(HOST).issue().credentials();
  }

  private static TlsSetup tls(TlsCredentials credentials) {
    return new TlsSetup(SimpleTls.listen(credentials), SimpleTls.dial(credentials));
  }

  @Test
  void threeNodeTlsCluster_formsReplicatesAndTransfersLeadership() throws Exception {
    App a1 = cluster.start(DEADLINE);
    App a2 = cluster.start(DEADLINE);
    App a3 = cluster.start(DEADLINE);
    for (App app : List.of(a1, a2, a3)) {
      assertThat(app.nodeBindAddress()).startsWith("@").isNotEqualTo(app.address());
    }
    await("3 voters")
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(cluster.members())
                    .extracting(NodeInfo::role)
                    .containsExactly(NodeRole.VOTER, NodeRole.VOTER, NodeRole.VOTER));

    // SQL through the App's TLS dialer, to the leader.
    try (ProtocolConnection leader = leaderConnection(a2)) {
      int db = leader.open("tls");
      leader.execSql(db, "CREATE TABLE t (n INT)", List.of());
      leader.execSql(db, "INSERT INTO t VALUES (42)", List.of());
    }
    // The leader hands over; the new leader has the row, so raft replicated it over TLS.
    App first = cluster.leader();
    first.handover(Duration.ofSeconds(60));
    App second = cluster.leader();
    assertThat(second).isNotSameAs(first);
    try (ProtocolConnection leader = leaderConnection(second)) {
      int db = leader.open("tls");
      try (Rows rows = leader.querySql(db, "SELECT n FROM t", List.of())) {
        assertThat(rows.next()).isTrue();
        assertThat(((Number) rows.row().values().get(0)).longValue()).isEqualTo(42);
      }
    }
    // The private socket answers in plain text, as go-dqlite's App.Client.
    try (Client local = a3.client()) {
      assertThat(local.cluster()).hasSize(3);
    }
  }

  @Test
  void plainClientsAndNodesWithACertificateFromAnotherAuthorityAreRefused() throws Exception {
    App a1 = cluster.start(DEADLINE);

    // A plain-TCP client gets no answer it understands.
    ConnectorConfig plain =
        ConnectorConfig.defaults().toBuilder()
            .dialTimeout(Duration.ofSeconds(2))
            .requestTimeout(Duration.ofSeconds(5))
            .build();
    assertThatThrownBy(
            () -> {
              try (Client client = Client.connect(a1.address(), plain)) {
                client.leader();
              }
            })
        .isInstanceOf(DqliteException.class);

    // A client with a certificate from another authority fails the handshake.
    TestCertificates.Authority other = TestCertificates.authority("other-ca");
    TlsCredentials rogue = other.node("rogue").dns("dqlite").ip(HOST).issue().credentials();
    ConnectorConfig rogueConfig =
        ConnectorConfig.builder()
            .dialer(SimpleTls.dial(rogue).dialer())
            .connectTimeout(Duration.ofSeconds(3))
            .build();
    assertThatThrownBy(
            () -> Client.findLeader(InMemoryNodeStore.of(a1.address()), rogueConfig).close())
        .isInstanceOf(NoLeaderException.class)
        .hasMessageContaining("TLS handshake");

    // A node with such a certificate never joins.
    App intruder =
        App.builder(tmp.resolve("intruder"))
            .address(Loopback.freeAddress(HOST))
            .cluster(a1.address())
            .tls(tls(rogue))
            .build();
    try (intruder) {
      assertThatThrownBy(() -> intruder.ready(Duration.ofSeconds(5)))
          .isInstanceOf(TimeoutException.class);
      assertThat(cluster.members()).extracting(NodeInfo::id).containsExactly(a1.id());
    }
  }

  @Test
  void jdbcThroughTheAppDialsWithTls() throws Exception {
    App a1 = cluster.start(DEADLINE);
    DataSource ds = a1.open("db");
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (n INT)");
      assertThat(s.executeUpdate("INSERT INTO t VALUES (7)")).isEqualTo(1);
      try (ResultSet rs = s.executeQuery("SELECT n FROM t")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(7);
      }
      assertThat(c.getMetaData().getURL()).isEqualTo("jdbc:dqlite://" + a1.address() + "/db");
    }
    // The same node through a plain URL: the TLS listener refuses it, so open() used TLS.
    DqliteDataSource plain = new DqliteDataSource("jdbc:dqlite://" + a1.address() + "/db");
    plain.setProperty(DqliteProperty.LEADER_TIMEOUT, "2000");
    assertThatThrownBy(plain::getConnection)
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08001"));
  }

  /** go-dqlite's SimpleTLSConfig pair and App.Driver(): a TLS App and its own JDBC driver. */
  @Test
  void theSimplePairSecuresAnAppAndItsDriverDialsWithTls() throws Exception {
    App app =
        App.builder(tmp.resolve("simple"))
            .address(Loopback.freeAddress(HOST))
            .tls(TlsSetup.simple(credentials()))
            .build();
    try (app) {
      app.ready(DEADLINE);
      java.sql.Driver driver = app.driver();
      assertThat(driver.connect("jdbc:dqlite://" + app.address() + "/db", null)).isNull();
      String url = app.jdbcUrl("drv") + "?busyTimeout=5000";
      assertThat(driver.acceptsURL(url)).isTrue();
      try (Connection c = driver.connect(url, new java.util.Properties());
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (n INT)");
        assertThat(s.executeUpdate("INSERT INTO t VALUES (8)")).isEqualTo(1);
      }
      // A second connection of the same driver sees the row (one leader, one database).
      try (Connection c = driver.connect(app.jdbcUrl("drv"), null);
          ResultSet rs = c.createStatement().executeQuery("SELECT n FROM t")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(8);
      }
      assertThatThrownBy(() -> driver.connect("jdbc:dqlite-app:a/b", null))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08001"))
          .hasMessageContaining("without '/'");
    }
    // The pair refuses, as go-dqlite panics, a certificate without a DNS name to expect.
    assertThatThrownBy(() -> TlsSetup.simple(authority.node("bare").ip(HOST).issue().credentials()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no DNS subject alternative name");
  }

  private static ProtocolConnection leaderConnection(App app) throws Exception {
    return new LeaderConnector(app.store(), app.connectorConfig()).connect();
  }
}
