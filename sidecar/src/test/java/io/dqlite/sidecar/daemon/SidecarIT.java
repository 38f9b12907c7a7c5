package io.dqlite.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.dqlite.client.net.AbstractUnixSocket;
import io.dqlite.sidecar.api.AdminApi;
import io.dqlite.sidecar.api.AdminJson;
import io.dqlite.sidecar.api.HandoverAnswer;
import io.dqlite.sidecar.api.SidecarView;
import io.dqlite.sidecar.appsocket.GoDqliteShell;
import io.dqlite.sidecar.metrics.PrometheusText;
import io.dqlite.sidecar.zone.FailureDomains;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Three sidecar processes ({@code java -jar target/dqlite-sidecar.jar}) on 127.0.0.2, .3 and .4,
 * one zone each: they form a cluster of three voters that applications reach through each app
 * socket, across leader changes, handovers and a SIGTERM.
 */
class SidecarIT {

  private static final String[] HOSTS = {"127.0.0.2", "127.0.0.3", "127.0.0.4"};
  private static final String[] ZONES = {"zone-a", "zone-b", "zone-c"};
  private static final Duration CLUSTER_UP = Duration.ofSeconds(120);

  private final List<SidecarProcess> sidecars = new ArrayList<>();
  private Path base;

  @BeforeEach
  void startCluster(TestInfo test) throws IOException {
    Path root = Path.of("target", "sidecar-it").toAbsolutePath();
    Files.createDirectories(root);
    base = Files.createTempDirectory(root, test.getTestMethod().orElseThrow().getName() + "-");
    String tag = ProcessHandle.current().pid() + "-" + ThreadLocalRandom.current().nextInt(100_000);
    for (int i = 0; i < 3; i++) {
      sidecars.add(
          new SidecarProcess(
              HOSTS[i], base, "@dqlite-it-" + tag + "-" + i, List.of("--zone", ZONES[i])));
    }
    // As the operator seeds a new cluster: every node gets the first; it drops itself and
    // bootstraps, the others join through it.
    List<String> join = List.of(sidecars.get(0).address());
    for (SidecarProcess s : sidecars) {
      s.start(join);
    }
    await("three ready sidecars")
        .atMost(CLUSTER_UP)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              for (SidecarProcess s : sidecars) {
                assertThat(s.isAlive()).as(s + " alive\n" + s.logTail(30)).isTrue();
                assertThat(s.get("/readyz").status()).as(s + " /readyz").isEqualTo(200);
                assertThat(voters(cluster(s))).as(s + " voters").isEqualTo(3L);
              }
            });
  }

  @AfterEach
  void stopCluster() throws IOException {
    for (SidecarProcess s : sidecars) {
      s.kill();
      System.out.println("---- " + s + "\n" + s.logTail(60));
    }
    if (base != null && !Boolean.getBoolean("dqlite.it.keep")) {
      try (java.util.stream.Stream<Path> paths = Files.walk(base)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void everySocketServesTheShellAndJdbcAndMetricsShowOneLeader() throws Exception {
    SidecarProcess first = sidecars.get(0);
    assertThat(GoDqliteShell.run(first.socket(), "it", "CREATE TABLE t (n INT, who TEXT)").ok())
        .isTrue();
    for (int i = 0; i < 3; i++) {
      SidecarProcess s = sidecars.get(i);
      GoDqliteShell.Result insert =
          GoDqliteShell.run(s.socket(), "it", "INSERT INTO t VALUES (" + i + ", 'shell')");
      assertThat(insert.ok()).as(insert.output()).isTrue();
      try (Connection c = jdbc(s);
          Statement st = c.createStatement()) {
        st.executeUpdate("INSERT INTO t VALUES (" + i + ", 'jdbc')");
      }
    }
    GoDqliteShell.Result count =
        GoDqliteShell.run(sidecars.get(2).socket(), "it", "SELECT count(*) FROM t");
    assertThat(count.output()).isEqualTo("6");

    // Zones become failure domains, the same function everywhere.
    SidecarView view = cluster(first);
    for (SidecarView.MemberView m : view.members()) {
      int i = indexOf(m.address());
      assertThat(m.failureDomain()).isEqualTo(FailureDomains.of(ZONES[i]));
      assertThat(m.online()).isTrue();
    }
    assertThat(view.self().zone()).isEqualTo("zone-a");

    // Exactly one leader across the three /metrics.
    await("one leader in the metrics")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(leadersInMetrics()).isEqualTo(1));
    for (SidecarProcess s : sidecars) {
      PrometheusText m = PrometheusText.parse(s.get("/metrics").body());
      assertThat(m.value("dqlite_role", Map.of("role", "voter"))).contains(1.0);
      assertThat(m.value("dqlite_ready", Map.of())).contains(1.0);
      assertThat(m.value("dqlite_cluster_members", Map.of("role", "voter", "online", "true")))
          .contains(3.0);
      assertThat(m.named("jvm_memory_used_bytes")).isNotEmpty();
    }
  }

  @Test
  void postHandoverOnTheLeaderMovesLeadership() throws Exception {
    SidecarProcess leader = leader();
    // Refused before anything moves: no token, another sidecar's token, another node's id.
    String path = AdminApi.handoverPath(leader.nodeId());
    SidecarProcess other = sidecars.stream().filter(s -> s != leader).findFirst().orElseThrow();
    assertThat(leader.post(path, null).status()).isEqualTo(401);
    assertThat(leader.post(path, other.token()).status()).isEqualTo(401);
    SidecarProcess.Answer wrongNode =
        leader.post(AdminApi.handoverPath(other.nodeId()), leader.token());
    assertThat(wrongNode.status()).as(wrongNode.body()).isEqualTo(409);
    assertThat(wrongNode.body()).contains("not " + AdminApi.hexId(other.nodeId()));
    assertThat(leader.logText()).doesNotContain(leader.token());
    assertThat(leader()).isSameAs(leader);
    SidecarProcess.Answer answer = leader.handover();
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    HandoverAnswer result = AdminJson.readHandover(answer.body());
    assertThat(result.outcome()).isEqualTo(HandoverAnswer.SUCCESS);
    assertThat(result.leaderAfter().address()).isNotEqualTo(leader.address());
    await("leadership elsewhere, seen by all")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              for (SidecarProcess s : sidecars) {
                String now = cluster(s).leader().address();
                assertThat(now).isNotEqualTo(leader.address());
              }
              assertThat(leadersInMetrics()).isEqualTo(1);
            });
    // The former leader's socket still serves, now through the new leader.
    assertThat(GoDqliteShell.run(leader.socket(), "ho", "CREATE TABLE h (n INT)").ok()).isTrue();
    PrometheusText m = PrometheusText.parse(leader.get("/metrics").body());
    assertThat(m.value("dqlite_handovers_total", Map.of("outcome", "success"))).contains(1.0);
  }

  @Test
  void sigtermOnTheLeaderHandsOverBeforeExitAndJdbcFollows() throws Exception {
    SidecarProcess leader = leader();
    SidecarProcess survivor = sidecars.stream().filter(s -> s != leader).findFirst().orElseThrow();
    try (Connection c = jdbc(survivor);
        Statement st = c.createStatement()) {
      st.executeUpdate("CREATE TABLE s (n INT)");
      st.executeUpdate("INSERT INTO s VALUES (1)");

      int exit = leader.terminate(Duration.ofSeconds(90));
      assertThat(exit).as("exit code after SIGTERM\n" + leader.logTail(40)).isNotEqualTo(-1);
      String log = leader.logText();
      assertThat(log).contains("handover done").contains("stopped in");
      assertThat(log.indexOf("handover done")).isLessThan(log.indexOf("stopped in"));

      // The same JDBC connection writes on, on the new leader.
      await("the JDBC connection writes through the new leader")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptionsInstanceOf(SQLException.class)
          .untilAsserted(() -> assertThat(st.executeUpdate("INSERT INTO s VALUES (2)")).isOne());
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM s WHERE n = 1")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isOne();
      }
    }
    String newLeader = cluster(survivor).leader().address();
    assertThat(newLeader).isNotEqualTo(leader.address());
  }

  @Test
  void garbageOnTheAppSocketClosesOnlyThatConnection() throws Exception {
    SidecarProcess s = sidecars.get(1);
    try (Connection c = jdbc(s);
        Statement st = c.createStatement()) {
      st.executeUpdate("CREATE TABLE g (n INT)");
      try (AbstractUnixSocket bad =
          AbstractUnixSocket.connect(s.socket().substring(1), Duration.ofSeconds(5))) {
        bad.output().write(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9});
        bad.output().flush();
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(30), () -> endOf(bad.input())))
            .isTrue();
      }
      assertThat(st.executeUpdate("INSERT INTO g VALUES (1)")).isOne();
    }
    PrometheusText m = PrometheusText.parse(s.get("/metrics").body());
    assertThat(m.value("dqlite_app_socket_protocol_errors_total", Map.of())).contains(1.0);
    assertThat(s.isAlive()).isTrue();
  }

  private static boolean endOf(InputStream in) {
    try {
      while (in.read() >= 0) {
        // Drain whatever arrives; the proxy must close.
      }
      return true;
    } catch (IOException e) {
      return true;
    }
  }

  private static Connection jdbc(SidecarProcess s) throws SQLException {
    return DriverManager.getConnection("jdbc:dqlite://" + s.socket() + "/it");
  }

  private SidecarProcess leader() throws IOException {
    String address = cluster(sidecars.get(0)).leader().address();
    return sidecars.get(indexOf(address));
  }

  private int indexOf(String address) {
    for (int i = 0; i < sidecars.size(); i++) {
      if (sidecars.get(i).address().equals(address)) {
        return i;
      }
    }
    throw new IllegalStateException("no sidecar at " + address);
  }

  private int leadersInMetrics() {
    int leaders = 0;
    for (SidecarProcess s : sidecars) {
      if (!s.isAlive()) {
        continue;
      }
      Optional<Double> v =
          PrometheusText.parse(s.get("/metrics").body()).value("dqlite_leader", Map.of());
      leaders += v.orElseThrow() == 1.0 ? 1 : 0;
    }
    return leaders;
  }

  private static SidecarView cluster(SidecarProcess s) throws IOException {
    SidecarProcess.Answer a = s.get(AdminApi.CLUSTER);
    if (a.status() != 200) {
      throw new IOException(s + " /cluster answered " + a.status() + ": " + a.body());
    }
    return AdminJson.readCluster(a.body());
  }

  private static long voters(SidecarView cluster) {
    return cluster.members().stream()
        .filter(m -> "voter".equals(m.role()) && Boolean.TRUE.equals(m.online()))
        .count();
  }
}
