package io.dqlite.sidecar.daemon;

import static io.dqlite.sidecar.daemon.SidecarCluster.cluster;
import static io.dqlite.sidecar.daemon.SidecarCluster.jdbc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sidecars on Debian trixie's libdqlite 1.18.1 (in the trixie root, {@link Engine#TRIXIE}): the
 * binding finds the newer calls, a cluster of three writes and hands over, disk mode keeps data
 * across a restart, and what the engine does with the requests that 1.11.1 mishandles.
 */
class Libdqlite118IT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] HOSTS = {"127.0.118.1", "127.0.118.2", "127.0.118.3"};
  private static final Engine[] TRIXIE = {Engine.TRIXIE, Engine.TRIXIE, Engine.TRIXIE};
  private static final Duration UP = Duration.ofSeconds(60);

  private Path base;
  private SidecarProcess single;

  @AfterEach
  void cleanUp() throws Exception {
    if (single != null) {
      single.kill();
      System.out.println("---- " + single + "\n" + single.logTail(40));
    }
    if (base != null && !Boolean.getBoolean("dqlite.it.keep")) {
      try (Stream<Path> paths = Files.walk(base)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void threeNodesReportTheEngine_writeAndHandOver_andGoDqlite2DemoJoins() throws Exception {
    try (SidecarCluster c = SidecarCluster.start("e118", HOSTS, TRIXIE, List.of())) {
      for (SidecarProcess s : c.sidecars()) {
        JsonNode engine = cluster(s).get("self").get("engine");
        // Debian's 1.18.1 reports 1.18.0, as its 1.11.1 reports 1.10.0.
        assertThat(engine.get("version").asText()).as(s.toString()).isEqualTo("1.18.0");
        assertThat(engine.get("exports").toString())
            .contains(
                "dqlite_node_enable_disk_mode",
                "dqlite_node_describe_last_entry",
                "dqlite_node_set_auto_recovery",
                "dqlite_node_set_snapshot_compression");
        assertThat(engine.get("lastEntryAtStart").get("index").asLong()).isZero();
      }
      SidecarProcess leader = c.leader();
      try (Connection conn = jdbc(c.follower(), "e118");
          Statement st = conn.createStatement()) {
        st.execute("CREATE TABLE t (n INTEGER)");
        for (int i = 0; i < 50; i++) {
          st.execute("INSERT INTO t VALUES (" + i + ")");
        }
      }
      SidecarProcess.Answer answer = leader.handover();
      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
      assertThat(JSON.readTree(answer.body()).get("leaderAfter").get("address").asText())
          .isNotEqualTo(leader.address());
      try (Connection conn = jdbc(leader, "e118");
          Statement st = conn.createStatement()) {
        st.execute("INSERT INTO t VALUES (50)");
        try (ResultSet rs = st.executeQuery("SELECT count(*), sum(n) FROM t")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong(1)).isEqualTo(51);
          assertThat(rs.getLong(2)).isEqualTo(51L * 50 / 2);
        }
      }
      goDqlite2DemoJoins(c);
    }
  }

  /**
   * go-dqlite 2.0.0's dqlite-demo (its App, on the same libdqlite 1.18.1) joins the Java nodes'
   * cluster: it becomes a member, its key/value API writes through the cluster's leader, and the
   * row reads back through a Java node's app socket.
   */
  private static void goDqlite2DemoJoins(SidecarCluster c) throws Exception {
    Path dir = c.base().resolve("demo");
    Files.createDirectories(dir);
    String db = HOSTS[0] + ":" + SidecarProcess.freePort(HOSTS[0]);
    String api = HOSTS[0] + ":" + SidecarProcess.freePort(HOSTS[0]);
    Path log = c.base().resolve("demo.log");
    List<String> cmd =
        Engine.TRIXIE.wrap(
            List.of(
                "dqlite-demo",
                "-a",
                api,
                "-d",
                db,
                "-D",
                dir.toString(),
                "-j",
                c.sidecars().get(0).address()),
            List.of(dir),
            java.util.Map.of());
    Process demo =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      await("dqlite-demo joined and serves")
          .atMost(UP)
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                assertThat(demo.isAlive())
                    .as("dqlite-demo alive: " + Files.readString(log))
                    .isTrue();
                assertThat(cluster(c.sidecars().get(0)).get("members").toString()).contains(db);
                HttpResponse<String> put =
                    http.send(
                        HttpRequest.newBuilder(URI.create("http://" + api + "/greeting"))
                            .timeout(Duration.ofSeconds(10))
                            .PUT(HttpRequest.BodyPublishers.ofString("hello from go-dqlite 2"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
              });
      try (Connection conn = jdbc(c.sidecars().get(2), "demo");
          Statement st = conn.createStatement();
          ResultSet rs = st.executeQuery("SELECT value FROM model WHERE key = 'greeting'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("hello from go-dqlite 2");
      }
    } finally {
      demo.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      System.out.println("---- dqlite-demo " + db + "\n" + Files.readString(log));
    }
  }

  @Test
  void diskModeKeepsTheDataAcrossARestart_andTheLogIsDescribedAtStart() throws Exception {
    single =
        new SidecarProcess(
            HOSTS[0],
            base(),
            socket("disk"),
            List.of(
                "--disk-mode", "true", "--snapshot-compression", "true", "--auto-recovery", "true"),
            Engine.TRIXIE);
    single.start(List.of());
    awaitReady(single);
    JsonNode engine = cluster(single).get("self").get("engine");
    assertThat(engine.get("diskMode").asBoolean()).isTrue();
    assertThat(engine.get("snapshotCompression").asBoolean()).isTrue();
    try (Connection conn = jdbc(single, "disk");
        Statement st = conn.createStatement()) {
      st.execute("CREATE TABLE kept (k TEXT PRIMARY KEY, v BLOB)");
      for (int i = 0; i < 20; i++) {
        st.execute("INSERT INTO kept VALUES ('k" + i + "', randomblob(1000))");
      }
    }
    // Disk mode: the database is a file in the data directory, not only raft entries.
    try (Stream<Path> files = Files.walk(single.dir())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("files under " + single.dir())
          .contains("disk");
    }
    assertThat(single.terminate(Duration.ofSeconds(60)))
        .as("exited after SIGTERM")
        .isNotEqualTo(-1);

    single.start(List.of(), null);
    awaitReady(single);
    JsonNode last = cluster(single).get("self").get("engine").get("lastEntryAtStart");
    assertThat(last.get("index").asLong()).as(last.toString()).isGreaterThan(20);
    assertThat(last.get("term").asLong()).as(last.toString()).isPositive();
    try (Connection conn = jdbc(single, "disk");
        Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*), sum(length(v)) FROM kept")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(20);
      assertThat(rs.getLong(2)).isEqualTo(20_000);
    }
  }

  @Test
  void diskModeOnTheHostsLibdqlite111StopsTheStartNamingTheMissingCall() throws Exception {
    single =
        new SidecarProcess(
            HOSTS[1], base(), socket("disk111"), List.of("--disk-mode", "true"), Engine.HOST);
    single.start(List.of());
    assertThat(single.process().waitFor(60, TimeUnit.SECONDS)).as("exits").isTrue();
    assertThat(single.process().exitValue()).isNotZero();
    assertThat(single.logText())
        .contains("disk mode is not supported by libdqlite 1.10.0")
        .contains("exports no dqlite_node_enable_disk_mode");
  }

  /**
   * Real requests, straight to the node: HEARTBEAT is answered on 1.18.1 (1.11.1 stops reading the
   * connection), and a finalized statement id still kills the node, as on 1.11.1, so the client's
   * and the app socket's guard stays.
   */
  @Test
  void heartbeatIsAnsweredButAFinalizedStatementIdStillKillsTheNode() throws Exception {
    single = new SidecarProcess(HOSTS[2], base(), socket("wire"), List.of(), Engine.TRIXIE);
    single.start(List.of());
    awaitReady(single);
    try (TcpWire w = TcpWire.client(single.address(), Duration.ofSeconds(5))) {
      w.send(TcpWire.HEARTBEAT, TcpWire.words(0));
      TcpWire.Answer a = w.receive();
      assertThat(a.type()).as("FAILURE").isZero();
      assertThat(a.failureCode()).isEqualTo(1005);
      assertThat(a.failureMessage()).isEqualTo("unrecognized request type");
      // ... and the connection still serves.
      w.send(TcpWire.LEADER, TcpWire.words(0));
      assertThat(w.receive().type()).as("NODE").isEqualTo(1);
    }
    try (TcpWire w = TcpWire.client(single.address(), Duration.ofSeconds(5))) {
      assertThat(w.openAndPrepare("wire", "SELECT 1", "SELECT 2").type()).as("STMT").isEqualTo(5);
      assertThat(w.finalizeStmt(0).type()).as("EMPTY").isEqualTo(8);
      w.finalizeStmt(0);
    }
    assertThat(single.process().waitFor(30, TimeUnit.SECONDS)).as("the node died").isTrue();
    assertThat(single.logText()).contains("SIGSEGV").contains("libdqlite.so.0");
  }

  private Path base() throws java.io.IOException {
    if (base == null) {
      Path root = Path.of("target", "sidecar-it").toAbsolutePath();
      Files.createDirectories(root);
      base = Files.createTempDirectory(root, "e118-");
    }
    return base;
  }

  private static String socket(String name) {
    return "@dqlite-e118-"
        + name
        + "-"
        + ProcessHandle.current().pid()
        + "-"
        + ThreadLocalRandom.current().nextInt(100_000);
  }

  private static void awaitReady(SidecarProcess s) {
    await("ready: " + s)
        .atMost(UP)
        .pollInterval(Duration.ofMillis(300))
        .untilAsserted(
            () -> {
              assertThat(s.isAlive()).as("alive\n" + s.logTail(30)).isTrue();
              assertThat(s.get("/readyz").status()).isEqualTo(200);
            });
  }
}
