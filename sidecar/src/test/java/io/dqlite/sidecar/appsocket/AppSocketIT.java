package io.dqlite.sidecar.appsocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.dqlite.client.Client;
import io.dqlite.client.leader.ConnectorConfig;
import io.dqlite.client.leader.InMemoryNodeStore;
import io.dqlite.client.leader.LeaderConnector;
import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.ErrorCodes;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.net.AbstractUnixSocket;
import io.dqlite.client.protocol.ProtocolConnection;
import io.dqlite.client.protocol.Rows;
import io.dqlite.client.testing.DqliteDemoCluster;
import io.dqlite.sidecar.metrics.AppSocketMeters;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The app socket in front of a real three-node go-dqlite cluster. */
class AppSocketIT {

  private static DqliteDemoCluster cluster;
  private AppSocket socket;

  @BeforeAll
  static void startCluster() {
    cluster = DqliteDemoCluster.start(3, "127.0.8.1");
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void closeSocket() {
    if (socket != null) {
      socket.close();
    }
  }

  private AppSocket start(String address) throws IOException {
    ConnectorConfig config = cluster.connectorConfig();
    socket =
        AppSocket.start(
            AppSocket.Options.defaults(address, config),
            InMemoryNodeStore.of(cluster.addresses().toArray(String[]::new)),
            AppSocketMeters.noop());
    return socket;
  }

  private static String abstractName() {
    return "@dqlite-sidecar-it-"
        + ProcessHandle.current().pid()
        + "-"
        + ThreadLocalRandom.current().nextInt(1_000_000);
  }

  private static ProtocolConnection leaderVia(String address) throws DqliteException {
    return new LeaderConnector(InMemoryNodeStore.of(address), cluster.connectorConfig()).connect();
  }

  @Test
  void goDqliteShellWorksThroughTheAbstractSocket() throws Exception {
    String address = start(abstractName()).address();
    assertThat(GoDqliteShell.run(address, "shell", "CREATE TABLE t (n INT, s TEXT)").output())
        .doesNotContain("Error");
    assertThat(
            GoDqliteShell.run(address, "shell", "INSERT INTO t VALUES (1, 'one'), (2, 'two')").ok())
        .isTrue();
    GoDqliteShell.Result select =
        GoDqliteShell.run(address, "shell", "SELECT n, s FROM t ORDER BY n");
    assertThat(select.ok()).as(select.output()).isTrue();
    assertThat(select.output()).contains("1|one").contains("2|two");
    GoDqliteShell.Result members = GoDqliteShell.run(address, "shell", ".cluster");
    assertThat(members.output()).contains(cluster.node(0).address());
  }

  @Test
  void leaderAnswerIsTheSocketItselfAndMultiPartRowsArrive() throws Exception {
    String address = start(abstractName()).address();
    try (ProtocolConnection c = leaderVia(address)) {
      assertThat(c.address()).isEqualTo(address);
      assertThat(c.leader().orElseThrow().address()).isEqualTo(address);
      int db = c.open("rows");
      c.execSql(db, "CREATE TABLE IF NOT EXISTS big (n INT, pad TEXT)", List.of());
      c.execSql(db, "DELETE FROM big", List.of());
      c.execSql(
          db,
          "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3000)"
              + " INSERT INTO big SELECT n, printf('%0200d', n) FROM r",
          List.of());
      try (Rows rows = c.querySql(db, "SELECT n, pad FROM big ORDER BY n", List.of())) {
        List<List<Object>> all = rows.readAll();
        assertThat(all).hasSize(3000);
        assertThat(all.get(2999).get(0)).isEqualTo(3000L);
        assertThat(rows.batchCount()).as("batches").isGreaterThan(1);
      }
      // Closing rows early interrupts the query; the connection stays usable.
      Rows partial = c.querySql(db, "SELECT n, pad FROM big ORDER BY n", List.of());
      assertThat(partial.next()).isTrue();
      partial.close();
      try (Rows count = c.querySql(db, "SELECT count(*) FROM big", List.of())) {
        assertThat(count.readAll()).containsExactly(List.of(3000L));
      }
    }
  }

  @Test
  void garbageClosesOnlyThatConnection() throws Exception {
    String address = start(abstractName()).address();
    try (ProtocolConnection good = leaderVia(address)) {
      int db = good.open("garbage");
      good.execSql(db, "CREATE TABLE IF NOT EXISTS g (n INT)", List.of());
      try (AbstractUnixSocket bad =
          AbstractUnixSocket.connect(address.substring(1), Duration.ofSeconds(5))) {
        byte[] version = {1, 0, 0, 0, 0, 0, 0, 0};
        bad.output().write(version);
        // A header announcing request type 200, which does not exist.
        bad.output().write(new byte[] {1, 0, 0, 0, (byte) 200, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8});
        bad.output().flush();
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(30), () -> readToEnd(bad.input())))
            .isEqualTo(-1);
      }
      try (AbstractUnixSocket versionless =
          AbstractUnixSocket.connect(address.substring(1), Duration.ofSeconds(5))) {
        versionless.output().write("GET / HTTP/1.1\r\n\r\n".getBytes());
        assertThat(
                assertTimeoutPreemptively(
                    Duration.ofSeconds(30), () -> readToEnd(versionless.input())))
            .isEqualTo(-1);
      }
      good.execSql(db, "INSERT INTO g VALUES (1)", List.of());
      try (Rows r = good.querySql(db, "SELECT count(*) FROM g", List.of())) {
        assertThat(r.readAll()).hasSize(1);
      }
    }
  }

  @Test
  void followsTheLeaderAcrossATransfer() throws Exception {
    String address = start(abstractName()).address();
    ProtocolConnection before = leaderVia(address);
    int db = before.open("moves");
    before.execSql(db, "CREATE TABLE IF NOT EXISTS m (n INT)", List.of());
    before.execSql(db, "INSERT INTO m VALUES (1)", List.of());

    NodeInfo oldLeader;
    try (Client admin = Client.findLeader(cluster.store(), cluster.connectorConfig())) {
      oldLeader = admin.leader().orElseThrow();
      NodeInfo target =
          admin.cluster().stream()
              .filter(
                  n ->
                      n.id() != oldLeader.id() && n.role() == io.dqlite.client.model.NodeRole.VOTER)
              .findFirst()
              .orElseThrow();
      admin.transfer(target.id());
    }

    // The old session had a database open: it gets a leadership error or a closed connection.
    assertThatThrownBy(() -> before.execSql(db, "INSERT INTO m VALUES (2)", List.of()))
        .isInstanceOf(DqliteException.class)
        .satisfies(
            e -> {
              DqliteException d = (DqliteException) e;
              assertThat(before.isClosed() || ErrorCodes.isLeadershipLost(d.code()))
                  .as(d.getMessage())
                  .isTrue();
            });
    before.close();

    await("a new connection through the socket writes on the new leader")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .ignoreExceptionsInstanceOf(DqliteException.class)
        .untilAsserted(
            () -> {
              try (ProtocolConnection after = leaderVia(address)) {
                int d = after.open("moves");
                after.execSql(d, "INSERT INTO m VALUES (3)", List.of());
                try (Rows r = after.querySql(d, "SELECT n FROM m ORDER BY n", List.of())) {
                  assertThat(r.readAll()).contains(List.of(1L), List.of(3L));
                }
              }
            });
    assertThat(GoDqliteShell.run(address, "moves", "SELECT count(*) FROM m").ok()).isTrue();
  }

  @Test
  void socketFileHasMode0660AndServesJdbc(@TempDir Path dir) throws Exception {
    Path path = dir.resolve("run").resolve("app.sock");
    start(path.toString());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
        .isEqualTo("rw-rw----");
    try (Connection c = DriverManager.getConnection("jdbc:dqlite:unix:" + path + "?database=jdbc");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS j (n INT)");
      s.execute("INSERT INTO j VALUES (42)");
      try (ResultSet rs = s.executeQuery("SELECT n FROM j")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(42);
      }
    }
    socket.close();
    assertThat(path).doesNotExist();
  }

  @Test
  void jdbcWorksThroughTheAbstractSocket() throws Exception {
    String address = start(abstractName()).address();
    try (Connection c = DriverManager.getConnection("jdbc:dqlite://" + address + "/jdbcabs");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS k (v TEXT)");
      s.execute("INSERT INTO k VALUES ('x')");
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM k")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isPositive();
      }
    }
  }

  /**
   * Over the socket the driver sends one request at a time: the socket relays to the leader over
   * TCP, where an answer sent behind another would wait for that connection's delayed ACK (~40 ms
   * per transaction). Counted in round trips, on a socket without a warm upstream, so that nothing
   * else in this JVM talks to a node meanwhile.
   */
  @Test
  void aTransactionThroughTheSocketSendsOneRequestAtATime() throws Exception {
    ConnectorConfig config = cluster.connectorConfig();
    socket =
        AppSocket.serve(
            SocketListener.open(abstractName()),
            new UpstreamConnector(
                InMemoryNodeStore.of(cluster.addresses().toArray(String[]::new)),
                config,
                Duration.ofSeconds(10),
                Duration.ofSeconds(2)),
            AppSocket.Limits.defaults(),
            new AcceptBackoff());
    try (Connection c = DriverManager.getConnection("jdbc:dqlite://" + socket.address() + "/tx")) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, n INT)");
        s.execute("INSERT OR REPLACE INTO t VALUES (1, 0), (2, 0)");
      }
      PreparedStatement read = c.prepareStatement("SELECT n FROM t WHERE id = ?");
      PreparedStatement add = c.prepareStatement("UPDATE t SET n = n + 1 WHERE id = ?");
      c.setAutoCommit(false);
      long[] trips = new long[2];
      for (int unit = 0; unit < 2; unit++) { // the first prepares both statements
        long before = ProtocolConnection.roundTrips();
        read.setInt(1, 1);
        try (ResultSet rs = read.executeQuery()) {
          assertThat(rs.next()).isTrue();
        }
        for (int id = 1; id <= 2; id++) {
          add.setInt(1, id);
          add.addBatch();
        }
        assertThat(add.executeBatch()).containsExactly(1, 1);
        c.commit();
        trips[unit] = ProtocolConnection.roundTrips() - before;
      }
      // BEGIN, the read, two EXECs, COMMIT; over TCP the BEGIN travels with the read and the
      // EXECs together: 3.
      assertThat(trips[1]).as("round trips of a warm unit through the socket").isEqualTo(5);
    }
  }

  /** Reads until end of stream; returns -1 then. Bounded: the proxy must close the connection. */
  private static int readToEnd(InputStream in) throws IOException {
    byte[] buf = new byte[256];
    for (int i = 0; i < 1000; i++) {
      int n;
      try {
        n = in.read(buf);
      } catch (IOException e) {
        return -1;
      }
      if (n < 0) {
        return -1;
      }
    }
    return 0;
  }
}
